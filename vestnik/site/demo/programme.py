"""The demo centre's publications and events: two series, three papers, two events.

Invented for Vestnik's demo like the rest of `site.demo`. Each publication's
PDF is generated from its chapters when the demo loads, so search finds a
sentence from the middle of the file, and the events' dates are set relative
to the day the demo is first loaded: one is always ahead, one behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoSeries:
    key: str
    name: str
    name_en: str
    item_name: str
    item_name_en: str
    description: str


@dataclass(frozen=True)
class DemoChapter:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class DemoPublication:
    key: str
    series: str  # DemoSeries.key
    number: str
    year: int
    title: str
    title_en: str
    authors: tuple[str, ...]  # DemoExpert.key, in the order of the title page
    abstract: str
    abstract_en: str
    chapters: tuple[DemoChapter, ...]
    month: int
    day: int
    isbn: str = ""
    doi: str = ""
    countries: tuple[str, ...] = ()  # ISO codes
    topics: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoEvent:
    key: str
    kind: str  # events.models.EventKind value
    title: str
    title_en: str
    description: str
    description_en: str
    days_from_load: int  # negative: it took place before the demo was loaded
    start_hour: int
    duration_hours: int
    place: str
    place_en: str
    online_url: str
    speakers: tuple[str, ...]  # DemoExpert.key
    moderators: tuple[str, ...]
    # (name, affiliation, English name, English affiliation)
    guests: tuple[tuple[str, str, str, str], ...] = ()
    capacity: int = 0
    registration_open: bool = False
    questions: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()  # DemoPublication.key
    resulting_publication: str = ""
    transcript: tuple[str, ...] = field(default=())
    video_url: str = ""
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


SERIES: tuple[DemoSeries, ...] = (
    DemoSeries(
        key="reports",
        name="Доклады",
        name_en="Reports",
        item_name="Доклад",
        item_name_en="Report",
        description=(
            "Итоговые доклады исследовательских программ Центра: развёрнутый анализ, "
            "сценарии и рекомендации."
        ),
    ),
    DemoSeries(
        key="working-papers",
        name="Рабочие тетради",
        name_en="Working papers",
        item_name="Рабочая тетрадь",
        item_name_en="Working paper",
        description=(
            "Промежуточные результаты исследований, открытые для обсуждения до окончательной "
            "публикации."
        ),
    ),
)

PUBLICATIONS: tuple[DemoPublication, ...] = (
    DemoPublication(
        key="caspian-corridor-2030",
        series="reports",
        number="3",
        year=2026,
        month=2,
        day=16,
        title="Транскаспийский коридор до 2030 года: пропускная способность, тарифы, риски",
        title_en="The Trans-Caspian Corridor to 2030: Capacity, Tariffs, Risks",
        authors=("vedernikova", "abdrakhmanov"),
        isbn="978-5-00000-031-6",
        abstract=(
            "Доклад оценивает, сколько грузов сможет пропустить маршрут через Каспийское море "
            "к 2030 году, из чего складывается сквозной тариф и какие узкие места ограничат рост. "
            "Три сценария развития сопоставлены с планами портов и железных дорог."
        ),
        abstract_en=(
            "The report estimates how much cargo the route across the Caspian Sea can carry by "
            "2030, what makes up the through tariff and which bottlenecks will limit growth. "
            "Three scenarios are compared with the plans of ports and railways."
        ),
        countries=("KZ", "AZ", "TM", "TR"),
        regions=("caspian",),
        topics=("logistics", "energy"),
        chapters=(
            DemoChapter(
                "Введение",
                (
                    "Маршрут через Каспийское море соединяет железные дороги Центральной Азии "
                    "с портами Южного Кавказа и дальше с Чёрным морем. Его привлекательность "
                    "для грузоотправителей определяется не длиной пути, а предсказуемостью: "
                    "сколько дней груз ждёт парома и сколько стоит перевалка.",
                    "Мы опирались на открытые данные портов, расписания паромных линий и "
                    "интервью с экспедиторами, проведённые в 2025 году. Оценки округлены; "
                    "методика приведена в приложении.",
                ),
            ),
            DemoChapter(
                "Пропускная способность",
                (
                    "Порты восточного берега за последние три года расширили причалы, но "
                    "флот паромов и танкеров растёт медленнее. Узким местом остаётся не "
                    "инфраструктура на берегу, а число судов, способных пройти Волго-Донской "
                    "канал или построенных на самом Каспии.",
                    "При сохранении нынешних темпов обновления флота маршрут к 2030 году "
                    "сможет обрабатывать около десяти миллионов тонн сухих грузов в год. "
                    "Для двадцати миллионов потребуется одновременно удвоить паромный флот "
                    "и синхронизировать расписания портов.",
                ),
            ),
            DemoChapter(
                "Сквозной тариф",
                (
                    "Сквозной тариф складывается из пяти частей: железнодорожного плеча до "
                    "порта, перевалки, морского фрахта, второй перевалки и железной дороги "
                    "до Чёрного моря. Ни одна из сторон не контролирует всю цепочку, поэтому "
                    "единая ставка остаётся договорённостью, а не правилом.",
                    "Экспедиторы называют главным риском не цену, а время ожидания парома: "
                    "неделя простоя съедает выгоду от более короткого пути. Контейнерный "
                    "поезд, который уходит по расписанию независимо от загрузки, ценится "
                    "выше скидки на фрахт.",
                ),
            ),
            DemoChapter(
                "Сценарии",
                (
                    "В инерционном сценарии объёмы растут на пять–семь процентов в год, "
                    "а маршрут остаётся дополнением к северному направлению. В сценарии "
                    "координации страны маршрута вводят общий график паромов и единый "
                    "электронный документ, и объёмы удваиваются к концу десятилетия.",
                    "В сценарии разрыва один из участников цепочки меняет правила транзита, "
                    "и грузоотправители возвращаются к проверенным маршрутам. Вероятность "
                    "этого сценария мы оцениваем как низкую, но его последствия самые "
                    "долгие: доверие к маршруту восстанавливается годами.",
                ),
            ),
            DemoChapter(
                "Рекомендации",
                (
                    "Главная рекомендация доклада — считать паромное расписание общей "
                    "инфраструктурой: публиковать его заранее и соблюдать так же строго, "
                    "как расписание поездов. Вторая — признавать электронные накладные "
                    "всех стран маршрута без повторного оформления на каждой границе.",
                    "Третья рекомендация касается финансирования: верфи на Каспии способны "
                    "строить паромы, если заказы будут размещены сразу на серию судов, а "
                    "не по одному.",
                ),
            ),
        ),
    ),
    DemoPublication(
        key="water-energy-cascades",
        series="working-papers",
        number="12",
        year=2026,
        month=4,
        day=7,
        title="Вода и энергия в Центральной Азии: как делят каскады ГЭС",
        title_en="Water and Energy in Central Asia: Sharing the Hydropower Cascades",
        authors=("abdrakhmanov",),
        abstract=(
            "Рабочая тетрадь сравнивает три модели совместного использования каскадов "
            "гидроэлектростанций на трансграничных реках региона: обмен воды на энергию, "
            "совместное владение и рыночную торговлю электроэнергией."
        ),
        abstract_en=(
            "The working paper compares three models of sharing hydropower cascades on the "
            "region's transboundary rivers: water for energy swaps, joint ownership and market "
            "electricity trade."
        ),
        countries=("KG", "TJ", "UZ", "KZ"),
        regions=("central-asia",),
        topics=("water", "energy", "integration"),
        chapters=(
            DemoChapter(
                "Постановка вопроса",
                (
                    "Страны верховьев рек зимой нуждаются в электроэнергии и сбрасывают воду "
                    "через турбины, а страны низовий летом нуждаются в воде для полива. "
                    "Этот сезонный конфликт интересов определяет водную политику региона "
                    "с начала девяностых годов.",
                ),
            ),
            DemoChapter(
                "Обмен воды на энергию",
                (
                    "Первая модель — бартер: летом верховья пропускают воду вниз, а зимой "
                    "получают топливо или электроэнергию. Она работала, пока поставки "
                    "выполнялись в срок, и распадалась при первом сбое, потому что "
                    "обязательства сторон не были застрахованы.",
                    "Опыт показывает, что бартер устойчив только тогда, когда у обеих сторон "
                    "есть залог: резерв в водохранилище или предоплата за поставки.",
                ),
            ),
            DemoChapter(
                "Совместное владение",
                (
                    "Во второй модели станция принадлежит консорциуму, в котором страны "
                    "низовий получают долю, пропорциональную своему участию в строительстве. "
                    "Режим сброса воды тогда решает совет акционеров, а не одно правительство.",
                    "Совместное владение снижает риск односторонних решений, но требует "
                    "арбитража, которому доверяют все участники, и правил на случай "
                    "маловодного года.",
                ),
            ),
            DemoChapter(
                "Рынок электроэнергии",
                (
                    "Третья модель переносит спор с воды на цену электроэнергии: если зимний "
                    "дефицит можно покрыть покупкой на общем рынке, у верховьев меньше "
                    "причин сбрасывать воду зимой. Единый рынок энергосистем Центральной Азии "
                    "делает сезонный спор о воде вопросом цены, а не суверенитета.",
                ),
            ),
            DemoChapter(
                "Выводы",
                (
                    "Ни одна модель не универсальна. Для малых рек достаточно бартера "
                    "с залогом; для крупных каскадов устойчивее совместное владение, "
                    "дополненное торговлей электроэнергией.",
                ),
            ),
        ),
    ),
    DemoPublication(
        key="brics-settlements",
        series="working-papers",
        number="11",
        year=2025,
        month=11,
        day=20,
        title="Расчёты в национальных валютах в торговле стран БРИКС: что работает на практике",
        title_en="Settlements in National Currencies in BRICS Trade: What Works in Practice",
        authors=("vedernikova", "lisitsyna"),
        abstract=(
            "На примере двусторонней торговли рабочая тетрадь показывает, где расчёты в "
            "национальных валютах снижают издержки компаний, а где их ограничивают курсовые "
            "риски и нехватка ликвидности."
        ),
        abstract_en=(
            "Drawing on bilateral trade, the working paper shows where settlements in national "
            "currencies lower companies' costs and where exchange-rate risk and thin liquidity "
            "hold them back."
        ),
        countries=("IN", "CN", "BR", "ZA", "AE"),
        regions=("global-south",),
        topics=("finance", "sanctions"),
        chapters=(
            DemoChapter(
                "Зачем компаниям национальные валюты",
                (
                    "Для экспортёра переход на национальные валюты — это прежде всего способ "
                    "сократить цепочку банков-корреспондентов и время платежа. Политические "
                    "мотивы государств важны, но компании выбирают валюту по цене перевода "
                    "и возможности её потратить.",
                ),
            ),
            DemoChapter(
                "Где это работает",
                (
                    "Расчёты работают там, где торговля сбалансирована или выручку можно "
                    "реинвестировать на месте. Если экспорт в страну намного больше импорта, "
                    "на счетах копится валюта, которую трудно вывести и дорого хеджировать.",
                    "Лучшие результаты показывают пары стран с развитым валютным рынком "
                    "хотя бы с одной стороны: там есть кому продать излишек выручки.",
                ),
            ),
            DemoChapter(
                "Ликвидность и курсовой риск",
                (
                    "Узкий рынок делает спред между курсом покупки и продажи широким, и "
                    "экономия на комиссиях исчезает. Валютные свопы центральных банков "
                    "помогают в кризис, но не заменяют ежедневную ликвидность.",
                ),
            ),
            DemoChapter(
                "Выводы для компаний",
                (
                    "Компаниям стоит начинать с контрактов, где у них есть расходы в той же "
                    "валюте, и заранее договариваться о порядке пересчёта цены при резком "
                    "изменении курса.",
                ),
            ),
        ),
    ),
)

EVENTS: tuple[DemoEvent, ...] = (
    DemoEvent(
        key="caspian-round-table",
        kind="round_table",
        title="Круглый стол «Транскаспийский коридор: что изменится к 2030 году»",
        title_en="Round table: The Trans-Caspian Corridor by 2030",
        description=(
            "Авторы доклада «Транскаспийский коридор до 2030 года» представят его выводы и "
            "обсудят с участниками рынка, что нужно сделать, чтобы паромы ходили по расписанию. "
            "Вопросы к докладчикам можно задать при регистрации."
        ),
        description_en=(
            "The authors of the report on the Trans-Caspian Corridor present its findings and "
            "discuss with the market what it takes for ferries to run on schedule."
        ),
        days_from_load=21,
        start_hour=15,
        duration_hours=2,
        place="Москва, Центр евразийских исследований, конференц-зал",
        place_en="Moscow, Centre for Eurasian Studies, conference hall",
        online_url="https://video.example.org/caspian-round-table",
        speakers=("vedernikova", "abdrakhmanov"),
        moderators=("korsakov",),
        guests=(
            (
                "Андрей Соколов",
                "Ассоциация экспедиторов",
                "Andrei Sokolov",
                "Association of Freight Forwarders",
            ),
        ),
        capacity=40,
        registration_open=True,
        questions=("Какой вопрос вы хотели бы задать докладчикам?",),
        publications=("caspian-corridor-2030",),
        countries=("KZ", "AZ"),
        topics=("logistics",),
    ),
    DemoEvent(
        key="water-seminar",
        kind="presentation",
        title="Презентация рабочей тетради «Вода и энергия в Центральной Азии»",
        title_en="Presentation: Water and Energy in Central Asia",
        description=(
            "Обсуждение моделей совместного использования каскадов ГЭС на трансграничных реках "
            "Центральной Азии."
        ),
        description_en=(
            "A discussion of models for sharing hydropower cascades on the transboundary rivers "
            "of Central Asia."
        ),
        days_from_load=-40,
        start_hour=16,
        duration_hours=2,
        place="Онлайн",
        place_en="Online",
        online_url="https://video.example.org/water-seminar",
        speakers=("abdrakhmanov",),
        moderators=("lisitsyna",),
        publications=("water-energy-cascades",),
        resulting_publication="water-energy-cascades",
        countries=("KG", "TJ", "UZ"),
        topics=("water", "energy"),
        transcript=(
            "Тимур Абдрахманов начал с того, что спор о воде в регионе — это спор о времени "
            "года: зимой верховьям нужна энергия, летом низовьям нужна вода.",
            "Участники обсуждения сошлись в том, что бартер воды на энергию работает только "
            "при наличии залога, и спорили о том, может ли общий рынок электроэнергии снять "
            "остроту сезонного конфликта.",
            "Модератор Анна Лисицына подвела итог: совместное владение крупными станциями — "
            "самая устойчивая модель, но она требует арбитража, которому доверяют все стороны.",
        ),
    ),
)
