"""Caspian transit, in English: a translation of `articles.caspian`."""

from vestnik.articles.drafts import TableDraft
from vestnik.site.demo.spec import DemoImage, DemoTranslation, heading, prose

TRANSLATION = DemoTranslation(
    source="caspian-transit",
    language="en",
    title="Caspian Transit: A Geography of Compromise",
    lead=prose("""
        Almost seven years after the Convention on the Legal Status of the Caspian Sea was signed,
        the region has still not become a single energy market. Instead it has turned into a knot
        of competing routes, each of which solves one state's problem and leaves its neighbours
        exposed.
    """),
    body=(
        prose("""
            The Caspian is an enclosed body of water, and that is its central logistical paradox.
            The littoral states — Russia, Kazakhstan, Turkmenistan, Iran and Azerbaijan — hold
            substantial reserves of oil and gas, yet the sea itself gives them no outlet to world
            markets. Every export route is either a pipeline across a neighbour's territory or a
            transfer to rail or to the ports of another sea. That is why Caspian energy has been a
            politics of routes from the very start, not merely a politics of fields.
        """),
        prose("""
            The Convention on the Legal Status of the Caspian Sea, signed in Aktau in August 2018,
            removed some of the uncertainty that had built up since the collapse of the
            USSR[^convention]. It enshrined the principle that only the Caspian states may have a
            military presence on the sea, and established that subsea pipelines may be laid with
            the consent of the parties whose sectors they cross, provided environmental
            requirements are met. The convention, however, left the delimitation of the seabed in
            the southern part of the sea to agreements between neighbours, and it enters into force
            only once all five states have ratified it, which by the spring of 2025 had still not
            happened[^convention].
        """),
        prose("""
            For business, something else matters more: the convention created no mechanism that
            would oblige the parties to coordinate export policy or tariffs. The Caspian Five remain
            a venue for political declarations and for discussing the environment, fisheries and
            shipping, but not for coordinating energy projects. Each state builds its export
            strategy on its own and sees its neighbours' routes as competitors rather than as parts
            of a common system.
        """),
        heading("Oil: one pipe and many alternatives"),
        prose("""
            Kazakhstan's main export channel is the Caspian Pipeline Consortium (CPC) pipeline,
            which carries oil from Tengiz, Karachaganak and Kashagan to the marine terminal near
            Novorossiysk. The route is efficient and well run, but that is precisely why it has
            become a point where risk concentrates: any disruption at the terminal, whether a storm,
            a technical inspection or damaged equipment, immediately shows up in the country's
            exports. Since 2022 Astana has been steadily looking for diversification — tanker
            shipments to Baku followed by pumping through the Baku–Tbilisi–Ceyhan pipeline, rail
            transport and swap arrangements[^vedernikova].
        """),
        prose("""
            The alternatives have their limits, though. The Caspian tanker fleet is small, the port
            facilities at Aktau and Kuryk need upgrading, and throughput on the Baku–Tbilisi–Ceyhan
            pipeline depends on spare capacity and on commercial terms set by its operator. Under
            these conditions diversification does not mean replacing one route with another; it
            means building a reserve that is expensive to maintain in quiet times and pays off only
            in a crisis. Governments are happy to talk about reserves, but it is companies that have
            to pay for them.
        """),
        prose("""
            For Azerbaijan the situation is the mirror image. Oil output at its mature offshore
            fields is slowly declining, and the utilisation of its export infrastructure — from the
            terminals near Baku to the pipeline to Ceyhan — depends more and more on its neighbours'
            transit. Baku is therefore no less interested in Kazakh and Turkmen volumes than Astana
            and Ashgabat are in the Azerbaijani route. Such mutual dependence is a good foundation
            for long-term agreements, but only if tariffs and access to capacity are transparent.
        """),
        TableDraft(
            rows=[
                ["Route", "Cargo", "Strengths", "Weaknesses"],
                [
                    "CPC: Tengiz–Novorossiysk",
                    "Oil",
                    "High capacity, well-established operation",
                    "A single marine terminal for the whole flow",
                ],
                [
                    "Baku–Tbilisi–Ceyhan",
                    "Oil",
                    "Access to the Mediterranean",
                    "Kazakh oil has to be shipped across the Caspian first",
                ],
                [
                    "Southern Gas Corridor",
                    "Gas",
                    "Direct access to the Turkish and European markets",
                    "Limited capacity, long lead times for expansion",
                ],
                [
                    "Central Asia–China",
                    "Gas",
                    "Long-term contracts, growing demand",
                    "Dependence on a single buyer",
                ],
                [
                    "Trans-Caspian Gas Pipeline (project)",
                    "Gas",
                    "Would link Turkmenistan to the Southern Corridor",
                    "Legal, environmental and financial questions unresolved",
                ],
            ],
            caption="Export routes for Caspian hydrocarbons: the author's qualitative assessment",
        ),
        heading("Gas: a project under discussion for thirty years"),
        prose("""
            While the Caspian oil map has by and large taken shape, the gas map remains unfinished.
            Turkmenistan, which holds some of the largest gas reserves in the world, exports mainly
            to China through the Central Asia–China pipeline. The idea of a Trans-Caspian Gas
            Pipeline, which would connect the Turkmen coast with Azerbaijan and onwards with the
            Southern Gas Corridor, has been discussed since the late 1990s[^tcp]. Every time the
            question of diversifying supply becomes acute in Europe, the project returns to the
            agenda — and every time it runs into the same questions.
        """),
        prose("""
            The first question is who pays. A subsea pipeline about three hundred kilometres long
            is not in itself a particularly expensive piece of infrastructure, but it needs a
            resource base and a guaranteed buyer at the other end, and European companies are
            reluctant to sign long-term contracts in an era of decarbonisation policy. The second
            question is environmental. The Protocol on Environmental Impact Assessment in a
            Transboundary Context gives the Caspian states the right to take part in assessing such
            projects[^eia-protocol], and Russia and Iran have repeatedly pointed to the risks for
            the sea's ecosystem. The third question is capacity along the transit path: for the gas
            to reach Europe, not only the subsea section but also the pipelines across the South
            Caucasus and Türkiye would have to be expanded.
        """),
        prose("""
            For Ashgabat, the choice between the eastern and western directions is above all a
            question of bargaining position. As long as almost all of its exports go to China, the
            buyer holds strong arguments in disputes over price and volume. Even a small western
            route would shift that balance, which is why Turkmenistan keeps the conversation about
            the Trans-Caspian Gas Pipeline alive without taking on commitments that would make it
            inevitable.
        """),
        prose("""
            Meanwhile more modest solutions are emerging: swap deliveries of Turkmen gas to
            Azerbaijan via Iran, talks on short interconnectors between fields in the central
            part of the sea, shipments of liquefied and compressed gas. They do not transform the
            picture, but they show that in Caspian energy the projects that win are those that do
            not need the consent of all five parties at once.
        """),
        DemoImage(
            kind="sea_routes",
            seed=23,
            filename="kaspiy-marshruty.jpg",
            caption="Energy export routes from the Caspian region: a schematic map",
            credit="infographic by the Centre for Eurasian Studies",
            alt=(
                "A schematic enclosed sea with pipeline routes running from its shores in all "
                "directions"
            ),
        ),
        heading("The Middle Corridor and the price of coordination"),
        prose("""
            Alongside the energy routes, the Trans-Caspian International Transport Route, usually
            called the Middle Corridor, is growing in importance. After 2022, when part of the
            freight between China and Europe moved away from routes through Russia, interest in it
            surged: container trains from China run through Kazakhstan to the ports of Aktau and
            Kuryk, cargo is transferred to ferries bound for Baku, and then travels by rail through
            Georgia to Türkiye or to the Black Sea ports[^middle-corridor].
        """),
        prose("""
            For China the Middle Corridor is not a replacement for the main routes but an addition
            to them: sea freight through Suez and the overland route through Russia are still on a
            different scale in terms of volume. That is why Beijing's interest in the corridor is
            measured not by declarations but by whether Chinese logistics companies are willing to
            guarantee volumes and invest in terminals on the Kazakh coast.
        """),
        prose("""
            The corridor's capacity, however, is set by its narrowest link, and there are several:
            the ferry fleet, queues at the ports, different rail gauges, customs procedures at four
            or five borders. Each state upgrades its own section at its own pace, and the final cost
            of a shipment is the sum of tariffs that are set separately. This is the same problem
            as in energy: a route across the Caspian works only when every participant in the chain
            has reached agreement.
        """),
        prose("""
            Hence the main conclusion for companies planning to work in the region. On the Caspian,
            resilience comes not from choosing the “right” route but from a portfolio of routes
            with different risk profiles. Oil shipped through Novorossiysk and oil shipped through
            Ceyhan face different threats; gas sold to China and gas flowing to Europe depend on
            different political cycles. The states of the region understand this, and their
            multi-vector policy is not only a diplomatic formula but an engineering
            principle[^vedernikova]. The task for the coming years is to make the back-up routes
            exist not only on the map but in the tariff schedule too: with clear rates, lead times
            and guarantees.
        """),
    ),
    footnotes=(
        (
            "convention",
            "Convention on the Legal Status of the Caspian Sea. Aktau, 12 August 2018.",
        ),
        (
            "vedernikova",
            prose("""
                Vedernikova M. <i>The Caspian Knot: Scenarios for Export Infrastructure to
                2035</i>. Moscow: Centre for Eurasian Studies, 2024 (in Russian).
            """),
        ),
        (
            "tcp",
            prose("""
                Sharov P. The Trans-Caspian Gas Pipeline: A History of Negotiations and Open
                Questions // <i>Bulletin of the Centre for Eurasian Studies</i>. 2023. No. 2 (in
                Russian).
            """),
        ),
        (
            "eia-protocol",
            prose("""
                Protocol on Environmental Impact Assessment in a Transboundary Context to the
                Framework Convention for the Protection of the Marine Environment of the Caspian
                Sea. Moscow, 20 July 2018.
            """),
        ),
        (
            "middle-corridor",
            prose("""
                <i>Middle Trade and Transport Corridor: Policies and Investments to Triple Freight
                Volumes and Halve Travel Time by 2030</i>. Washington, DC: World Bank, 2023.
            """),
        ),
    ),
)
