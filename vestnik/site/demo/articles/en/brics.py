"""BRICS payments, in English: a translation of `articles.brics`."""

from vestnik.site.demo.spec import DemoImage, DemoTranslation, heading, prose

TRANSLATION = DemoTranslation(
    source="brics-payments",
    language="en",
    title="Payments in BRICS: Between Declarations and Clearing",
    lead=prose("""
        The idea of a common BRICS payment infrastructure is voiced at every summit of the group,
        yet in practice settlements in national currencies are growing through bilateral
        arrangements rather than a shared system. We look at what already works, what stands in
        the way and which solutions are realistic in the next few years.
    """),
    body=(
        prose("""
            With the enlargement of BRICS — Egypt, Ethiopia, Iran, the UAE and Indonesia joined
            Brazil, Russia, India, China and South Africa in 2024–2025 — the question of the
            group's payment infrastructure has taken on a new dimension. The more diverse the
            members, the harder it is to agree on a common system and the greater the need for
            simple tools for bilateral trade. The Kazan Declaration of 2024 recorded an interest in
            a BRICS Cross-Border Payments Initiative and in strengthening correspondent banking
            networks among the members, but it took care to stress that this work is voluntary and
            non-binding[^kazan].
        """),
        prose("""
            This caution is no accident. Behind the shared formulas lie very different interests.
            For Russia and Iran, cut off from much of the Western financial infrastructure,
            alternative payment channels are a matter of day-to-day trade. For India and Brazil
            they are rather a way to reduce costs and currency risk without jeopardising relations
            with the United States or access to dollar liquidity. For China they are part of a
            long-term strategy of internationalising the yuan, which it pursues mainly with its own
            tools and on its own terms. For the UAE they are a chance to strengthen its role as a
            financial centre through which payments between all the others pass.
        """),
        heading("What already works"),
        prose("""
            Leaving the declarations aside, settlements in national currencies between BRICS
            countries have indeed grown — above all in Russian–Chinese and Russian–Indian trade.
            But the mechanism behind this growth is prosaic: banks open correspondent accounts with
            one another, use national financial messaging systems such as Russia's SPFS and China's
            CIPS, and in some cases turn to intermediaries in third countries[^centre-report].
            There is nothing specifically “BRICS” about these arrangements: this is bilateral
            infrastructure that simply happens to operate within the group.
        """),
        prose("""
            The approach has obvious costs. First, currency imbalance: if one side consistently
            sells more than it buys, its accounts fill up with the partner's currency, which is
            hard to use. Russian exporters ran into this in trade with India, when considerable
            sums in rupees piled up in accounts at Indian banks. Second, the cost of conversion:
            for most pairs of BRICS currencies there is no liquid direct market, the exchange rate
            is in effect formed through the dollar, and spreads remain wide. Third, compliance:
            banks in third countries, wary of secondary sanctions, tighten their screening of
            payments, which lengthens processing times and increases the number of rejections.
        """),
        prose("""
            The last point matters especially for companies working in the region. A payment
            delayed for several weeks, or returned with no reason given, is common practice, and
            its cost is rarely reflected in contracts. Experienced market participants price in
            not only currency risk but also the risk of a “stuck” payment, and they split large
            deals into parts and route them through several banks.
        """),
        prose("""
            Payment cards and retail transfers are a separate subject. The national card schemes of
            the BRICS countries — Russia's Mir, China's UnionPay, India's RuPay, Brazil's Elo — grew
            up independently of one another, and their mutual acceptance is still limited. For
            tourists, students and migrant workers this means expensive and inconvenient
            transfers; for banks, a missed market. Linking national fast payment systems, which has
            already become routine in other parts of the world, could be the result of the group's
            financial cooperation that citizens notice most.
        """),
        DemoImage(
            kind="network",
            seed=41,
            filename="briks-platezhnye-svyazi.jpg",
            caption="Bilateral payment links between BRICS countries: a diagram",
            credit="infographic by the Centre for Eurasian Studies",
            alt=(
                "Nodes of different sizes on a dark background, joined by lines of varying "
                "thickness"
            ),
        ),
        heading("Digital currencies and the bridge that was never built"),
        prose("""
            High hopes were pinned on central bank digital currencies. Project mBridge, which
            brought together the central banks of China, Hong Kong, Thailand and the UAE, and later
            Saudi Arabia, demonstrated that direct settlement between different countries' digital
            currencies was technically possible without a long chain of correspondent
            banks[^mbridge]. In 2024, however, the Bank for International Settlements left the
            project and handed it over to the participants, which illustrates the problem well: the
            technology is neutral, but using it amid a confrontation over sanctions inevitably
            becomes a political decision.
        """),
        prose("""
            For the BRICS countries the idea of a “bridge” between national digital currencies
            remains attractive, but putting it into practice will require answers to the same
            questions as in the traditional system: who provides liquidity, how currency risk is
            shared, which law governs disputes and who settles them. Technology can make sending a
            payment cheaper, but it does not by itself create trust between the participants.
            Tellingly, even within BRICS the central banks are developing digital currencies at
            different speeds and for different purposes: some mainly for domestic payments, others
            first of all for cross-border ones.
        """),
        prose("""
            Besides, any multilateral settlement mechanism has to settle the question of the
            settlement asset. If payments are made in national currencies, someone has to hold the
            currency positions and bear the risk; if a common unit of account is introduced, the
            question arises of what backs it and who manages its issuance. Neither option has yet
            won the support of all the members.
        """),
        DemoImage(
            kind="bars",
            seed=43,
            filename="briks-struktura-raschetov.jpg",
            caption=(
                "Currency structure of payments in mutual trade: an illustration, notional data"
            ),
            credit="infographic by the Centre for Eurasian Studies",
            alt="An abstract chart of stacked bars on a light background",
        ),
        heading("A realistic agenda"),
        prose("""
            If one does not wait for a single “BRICS currency”, which is not officially on the
            group's agenda, a realistic programme looks like this. First, developing markets for
            direct conversion between national currencies, at least for the largest trading pairs:
            rouble–yuan, rouble–rupee, yuan–real. That requires market makers, non-resident access
            to domestic currency markets and hedging instruments, without which companies are not
            prepared to take on currency risk[^bis-survey].
        """),
        prose("""
            Second, a mechanism for using accumulated balances. An exporter paid in rupees or reais
            needs to know where to put them: in the partner country's government bonds, in joint
            venture projects, in paying for imports from third countries. The New Development Bank
            could play an important part here, since it intends to expand lending in national
            currencies and thereby create demand for them[^ndb]. Another path is trade finance:
            letters of credit and guarantees in national currencies issued by banks in partner
            countries let an exporter put its proceeds straight towards paying for supplies from
            the same country.
        """),
        prose("""
            Third, mutual recognition of customer due diligence procedures and information exchange
            between regulators. A large share of the cost of cross-border payments comes not from
            moving the money but from checks that banks repeat at every link in the chain.
            Agreements to rely on each other's “know your customer” procedures could cut payment
            times more than any new platform.
        """),
        prose("""
            Finally, fourth, an honest assessment of the limits. A group that includes both
            countries under sanctions and countries deeply integrated into the Western financial
            system cannot build a common infrastructure that suits everyone. But it can become a
            forum where each pair of members finds a working bilateral solution faster and where
            successful practices are shared. That is less spectacular than a new world currency,
            but it is what is actually happening[^centre-report].
        """),
        prose("""
            For business the practical conclusion is simple: count on a reliable network of
            bilateral channels rather than on a single system appearing in the next few years.
            Companies that are already building relationships with several banks in each partner
            country, hold balances in different currencies and agree in advance with their
            counterparties what to do when a payment is delayed will come out ahead whichever way
            the group's payment infrastructure develops.
        """),
    ),
    footnotes=(
        (
            "kazan",
            prose("""
                Kazan Declaration of the XVI BRICS Summit “Strengthening Multilateralism for Just
                Global Development and Security”. Kazan, 23 October 2024.
            """),
        ),
        (
            "centre-report",
            prose("""
                Vedernikova M., Lisitsyna A. <i>Settlements in National Currencies in Mutual Trade
                among BRICS Countries: Practice in 2022–2025</i>. Moscow: Centre for Eurasian
                Studies, 2025 (in Russian).
            """),
        ),
        (
            "mbridge",
            (
                "<i>Project mBridge: Connecting economies through CBDC</i>. Basel: BIS Innovation "
                "Hub, 2022."
            ),
        ),
        (
            "bis-survey",
            prose("""
                <i>Triennial Central Bank Survey of Foreign Exchange and Over-the-counter (OTC)
                Derivatives Markets in 2022</i>. Basel: Bank for International Settlements, 2022.
            """),
        ),
        (
            "ndb",
            "New Development Bank. <i>General Strategy for 2022–2026</i>. Shanghai: NDB, 2022.",
        ),
    ),
)
