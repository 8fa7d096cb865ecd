"""The demo site: its experts, vocabulary, articles, audience sections and accounts.

Everything here is invented for Vestnik's demo, including the «Центр
евразийских исследований» the experts work at; the articles are analysis, and
the bibliographic notes cite real public documents or the fictional centre's
own reports.
"""

from vestnik.site.demo.articles import (
    arctic,
    black_sea,
    brics,
    caspian,
    outlook,
    south_china_sea,
    water,
)
from vestnik.site.demo.articles.en import brics as brics_en
from vestnik.site.demo.articles.en import caspian as caspian_en
from vestnik.site.demo.spec import (
    DemoAccount,
    DemoArticle,
    DemoCountry,
    DemoExpert,
    DemoSection,
    DemoSectionTranslation,
    DemoTerm,
    DemoTranslation,
    prose,
)
from vestnik.site.services import AUTHORS_GROUP, EDITORS_GROUP

CENTRE = "Центр евразийских исследований"
CENTRE_EN = "Centre for Eurasian Studies"

EXPERTS: tuple[DemoExpert, ...] = (
    DemoExpert(
        key="vedernikova",
        full_name="Марина Ведерникова",
        full_name_en="Marina Vedernikova",
        name_genitive="Марины Ведерниковой",
        gender="f",
        position="Ведущий научный сотрудник, руководитель направления «Энергетика и финансы»",
        affiliation=CENTRE,
        bio=prose("""
            <p>Кандидат экономических наук. Занимается энергетическими рынками Евразии,
            трубопроводной политикой и трансграничными расчётами. До прихода в Центр евразийских
            исследований работала аналитиком в консалтинговой компании, специализирующейся на
            нефтегазовом секторе. Автор докладов о развитии экспортной инфраструктуры Каспийского
            региона.</p>
        """),
        position_en="Leading Research Fellow, Head of the Energy and Finance Programme",
        affiliation_en=CENTRE_EN,
        bio_en=prose("""
            <p>PhD in Economics. Works on Eurasian energy markets, pipeline politics and
            cross-border settlements. Before joining the Centre for Eurasian Studies she was an
            analyst at a consultancy specialising in the oil and gas sector. Author of reports on
            the export infrastructure of the Caspian region.</p>
        """),
    ),
    DemoExpert(
        key="abdrakhmanov",
        full_name="Тимур Абдрахманов",
        full_name_en="Timur Abdrakhmanov",
        name_genitive="Тимура Абдрахманова",
        gender="m",
        position="Руководитель программы «Центральная Азия»",
        affiliation=CENTRE,
        bio=prose("""
            <p>Кандидат политических наук. Исследует водную и энергетическую дипломатию Центральной
            Азии, региональную интеграцию и отношения стран региона с Афганистаном. Ведёт
            магистерский курс «Политика и экономика Центральной Азии».</p>
        """),
        position_en="Head of the Central Asia Programme",
        affiliation_en=CENTRE_EN,
        bio_en=prose("""
            <p>PhD in Political Science. Studies water and energy diplomacy in Central Asia,
            regional integration and the region's relations with Afghanistan. Teaches the
            master's course "Politics and Economics of Central Asia".</p>
        """),
    ),
    DemoExpert(
        key="korsakov",
        full_name="Илья Корсаков",
        full_name_en="Ilya Korsakov",
        name_genitive="Ильи Корсакова",
        gender="m",
        position="Старший научный сотрудник",
        affiliation=CENTRE,
        bio=prose("""
            <p>Специалист по морской логистике и арктической политике. Прежде работал в проектном
            институте, занимавшемся портовой инфраструктурой Северо-Запада России. Сфера интересов
            — Северный морской путь, морское право, транспортные коридоры Евразии.</p>
        """),
        position_en="Senior Research Fellow",
        affiliation_en=CENTRE_EN,
        bio_en=prose("""
            <p>A specialist in maritime logistics and Arctic policy. Previously worked at a design
            institute for the port infrastructure of Russia's North-West. His interests are the
            Northern Sea Route, the law of the sea and Eurasia's transport corridors.</p>
        """),
    ),
    DemoExpert(
        key="lisitsyna",
        full_name="Анна Лисицына",
        full_name_en="Anna Lisitsyna",
        name_genitive="Анны Лисицыной",
        gender="f",
        position="Научный сотрудник направления «Азиатско-Тихоокеанский регион»",
        affiliation=CENTRE,
        bio=prose("""
            <p>Кандидат исторических наук, специалист по Юго-Восточной Азии и АСЕАН. Стажировалась
            в университетах Ханоя и Сингапура. Изучает морские споры в Азии, региональные институты
            и политику средних держав.</p>
        """),
        position_en="Research Fellow, Asia-Pacific Programme",
        affiliation_en=CENTRE_EN,
        bio_en=prose("""
            <p>PhD in History, a specialist in South-East Asia and ASEAN. Held visiting
            fellowships at universities in Hanoi and Singapore. Studies maritime disputes in Asia,
            regional institutions and the policies of middle powers.</p>
        """),
    ),
)

COUNTRIES: tuple[DemoCountry, ...] = (
    DemoCountry("rossiya", "Россия", "Russia", "RU", "РФ, Российская Федерация"),
    DemoCountry("kitay", "Китай", "China", "CN", "КНР, Китайская Народная Республика"),
    DemoCountry("norvegiya", "Норвегия", "Norway", "NO"),
    DemoCountry("kazakhstan", "Казахстан", "Kazakhstan", "KZ", "РК, Республика Казахстан"),
    DemoCountry("azerbaydzhan", "Азербайджан", "Azerbaijan", "AZ", "Азербайджанская Республика"),
    DemoCountry("turkmenistan", "Туркменистан", "Turkmenistan", "TM", "Туркмения"),
    DemoCountry("iran", "Иран", "Iran", "IR", "Исламская Республика Иран"),
    DemoCountry("turtsiya", "Турция", "Türkiye", "TR", "Турецкая Республика"),
    DemoCountry("kirgiziya", "Киргизия", "Kyrgyzstan", "KG", "Кыргызстан, Кыргызская Республика"),
    DemoCountry("tadzhikistan", "Таджикистан", "Tajikistan", "TJ", "Республика Таджикистан"),
    DemoCountry("uzbekistan", "Узбекистан", "Uzbekistan", "UZ", "Республика Узбекистан"),
    DemoCountry("afganistan", "Афганистан", "Afghanistan", "AF"),
    DemoCountry("indiya", "Индия", "India", "IN", "Республика Индия"),
    DemoCountry("braziliya", "Бразилия", "Brazil", "BR"),
    DemoCountry("yuar", "ЮАР", "South Africa", "ZA", "Южно-Африканская Республика, Южная Африка"),
    DemoCountry("oae", "ОАЭ", "United Arab Emirates", "AE", "Объединённые Арабские Эмираты"),
    DemoCountry("indoneziya", "Индонезия", "Indonesia", "ID"),
    DemoCountry("ukraina", "Украина", "Ukraine", "UA"),
    DemoCountry("egipet", "Египет", "Egypt", "EG", "Арабская Республика Египет"),
    DemoCountry("filippiny", "Филиппины", "Philippines", "PH"),
    DemoCountry("vetnam", "Вьетнам", "Viet Nam", "VN", "СРВ"),
    DemoCountry("malayziya", "Малайзия", "Malaysia", "MY"),
    DemoCountry(
        "ssha", "США", "United States", "US", "Соединённые Штаты, Соединённые Штаты Америки"
    ),
)

REGIONS: tuple[DemoTerm, ...] = (
    DemoTerm("arctic", "Арктика", "Arctic"),
    DemoTerm("caspian", "Каспийский регион", "Caspian region"),
    DemoTerm("central-asia", "Центральная Азия", "Central Asia"),
    DemoTerm("south-caucasus", "Южный Кавказ", "South Caucasus"),
    DemoTerm("black-sea", "Черноморский регион", "Black Sea region"),
    DemoTerm("middle-east", "Ближний Восток", "Middle East"),
    DemoTerm("southeast-asia", "Юго-Восточная Азия", "Southeast Asia"),
    DemoTerm("global-south", "Глобальный Юг", "Global South"),
)

TOPICS: tuple[DemoTerm, ...] = (
    DemoTerm("logistics", "Транспорт и логистика", "Transport and logistics"),
    DemoTerm("maritime-law", "Морское право", "Law of the sea"),
    DemoTerm("energy", "Энергетика", "Energy"),
    DemoTerm("water", "Водные ресурсы", "Water"),
    DemoTerm("finance", "Международные финансы", "International finance"),
    DemoTerm("sanctions", "Санкции", "Sanctions"),
    DemoTerm("food-security", "Продовольственная безопасность", "Food security"),
    DemoTerm("security", "Региональная безопасность", "Regional security"),
    DemoTerm("integration", "Региональная интеграция", "Regional integration"),
)

# Oldest first: the order is also the order in which they are created.
ARTICLES: tuple[DemoArticle, ...] = (
    arctic.ARTICLE,
    caspian.ARTICLE,
    water.ARTICLE,
    black_sea.ARTICLE,
    brics.ARTICLE,
    south_china_sea.ARTICLE,
    outlook.ARTICLE,
)

# Both by Марина Ведерникова: the English site has one expert blog, hers, with both.
TRANSLATIONS: tuple[DemoTranslation, ...] = (caspian_en.TRANSLATION, brics_en.TRANSLATION)

HOME_INTRO = prose("""
    <p>Аналитика и экспертные блоги о Евразии и мире: энергетика и транспортные коридоры, водные
    ресурсы, международные финансы, морское право и региональная безопасность. Авторы —
    исследователи <b>Центра евразийских исследований</b>.</p>
""")

HOME_INTRO_EN = prose("""
    <p>Analysis and expert blogs on Eurasia and the world: energy and transport corridors, water
    resources, international finance, the law of the sea and regional security. The authors are
    researchers at the <b>Centre for Eurasian Studies</b>. A selection of their articles is
    available in English.</p>
""")

SECTIONS: tuple[DemoSection, ...] = (
    DemoSection(
        slug="business",
        intro=prose("""
            <p>Практическая аналитика для компаний, работающих на рынках Евразии: логистические
            маршруты, энергетика, расчёты с зарубежными партнёрами и риски, которые стоит учитывать
            при планировании.</p>
        """),
        articles=(
            ("caspian-transit", "Портфель маршрутов вместо одного «правильного»"),
            ("brics-payments", "Что реально работает в расчётах в национальных валютах"),
            ("arctic-shipping", "Когда арктический маршрут выгоден грузоотправителю"),
            ("black-sea-grain", "Фрахт и страхование в условиях военных рисков"),
        ),
        experts=("vedernikova", "korsakov"),
    ),
    DemoSection(
        slug="researchers",
        intro=prose("""
            <p>Материалы с развёрнутым аппаратом ссылок: правовые режимы, переговорные процессы,
            модели регионального сотрудничества. Каждую статью можно процитировать по ГОСТ Р
            7.0.100-2018 или в стиле APA и выгрузить в BibTeX, RIS или CSL-JSON.</p>
        """),
        articles=(
            ("south-china-sea-code", "Арбитражное решение 2016 года и статья 121 Конвенции"),
            ("central-asia-water", "Модели совместного владения гидроэнергетическими объектами"),
            ("caspian-transit", "Правовой статус Каспия после конвенции 2018 года"),
        ),
        experts=("lisitsyna", "abdrakhmanov"),
    ),
    DemoSection(
        slug="students",
        intro=prose("""
            <p>С чего начать изучение международных отношений в Евразии. Статьи этого раздела
            объясняют ключевые понятия на конкретных примерах:</p> <ul> <li>что такое транспортный
            коридор и почему короткий путь не всегда самый выгодный;</li> <li>как государства делят
            общие реки;</li> <li>зачем нужны кодексы поведения, если есть международное право.</li>
            </ul>
        """),
        articles=(
            ("central-asia-water", "Как государства делят общие реки"),
            ("arctic-shipping", "Почему короткий путь не всегда быстрый"),
            ("south-china-sea-code", "Право, переговоры и инциденты на море"),
        ),
        experts=("abdrakhmanov", "lisitsyna", "korsakov"),
    ),
)

# The English «Бизнесу», featuring the English articles of its Russian selection.
SECTION_TRANSLATIONS: tuple[DemoSectionTranslation, ...] = (
    DemoSectionTranslation(
        slug="business",
        language="en",
        title="For business",
        intro=prose("""
            <p>Practical analysis for companies working in Eurasian markets: logistics routes,
            energy, payments with foreign partners and the risks worth weighing when
            planning.</p>
        """),
        articles=(
            ("caspian-transit", "A portfolio of routes instead of one “right” one"),
            ("brics-payments", "What actually works for payments in national currencies"),
        ),
    ),
)

ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        username="author",
        first_name="Тимур",
        last_name="Абдрахманов",
        email="author@example.org",
        group=AUTHORS_GROUP,
        expert="abdrakhmanov",
    ),
    DemoAccount(
        username="editor",
        first_name="Ольга",
        last_name="Миронова",
        email="editor@example.org",
        group=EDITORS_GROUP,
    ),
)
