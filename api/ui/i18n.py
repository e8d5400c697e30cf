"""Dutch-first interface strings with English translations.

Pages pick the language from ``?lang=`` (remembered in a cookie) and default to Dutch.
"""

from __future__ import annotations

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
COOKIE = "regiokg_lang"

STRINGS: dict[str, tuple[str, str]] = {
    "site": ("regiokg", "regiokg"),
    "tagline": ("Wie werkt met wie samen? Gemeenten, samenwerkingsverbanden en regio's",
                "Who cooperates with whom? Municipalities, arrangements and regions"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "nav_home": ("Zoeken", "Search"),
    "nav_matrix": ("Matrix", "Matrix"),
    "nav_network": ("Netwerk", "Network"),
    "nav_expertise": ("Ervaring", "Expertise"),
    "nav_sparql": ("SPARQL", "SPARQL"),
    "nav_sources": ("Bronnen", "Sources"),
    "other_language": ("English", "Nederlands"),
    "search_label": ("Zoek een gemeente, samenwerking, persoon of onderwerp",
                     "Find a municipality, arrangement, person or topic"),
    "search_placeholder": ("bijv. Barneveld, Regio FoodValley, windturbines",
                           "e.g. Barneveld, Regio FoodValley, wind turbines"),
    "search_button": ("Zoeken", "Search"),
    "search_results": ("Zoekresultaten", "Search results"),
    "no_results": ("Niets gevonden.", "Nothing found."),
    "overview": ("Overzicht", "Overview"),
    "kind_municipality": ("gemeente", "municipality"),
    "kind_province": ("provincie", "province"),
    "kind_waterboard": ("waterschap", "water board"),
    "kind_regionalbody": ("regionaal orgaan", "regional body"),
    "kind_arrangement": ("samenwerking", "arrangement"),
    "kind_person": ("persoon", "person"),
    "kind_topic": ("onderwerp", "topic"),
    "kind_organisation": ("organisatie", "organisation"),
    "kind_unresolved": ("onbekende deelnemer", "unresolved participant"),
    "kind_other": ("overig", "other"),
    "municipalities": ("Gemeenten", "Municipalities"),
    "arrangements": ("Samenwerkingsverbanden", "Arrangements"),
    "memberships": ("Deelnames", "Memberships"),
    "people": ("Personen", "People"),
    "topics": ("Onderwerpen", "Topics"),
    "map": ("Kaart", "Map"),
    "map_alt": ("Kaart van Nederland; de gemarkeerde gemeenten staan in de lijst hieronder.",
                "Map of the Netherlands; the highlighted municipalities are listed below."),
    "map_home_alt": ("Kaart: gemeenten gekleurd naar aantal samenwerkingsverbanden.",
                     "Map: municipalities coloured by number of arrangements."),
    "map_points_note": ("Geen gemeentegrenzen geladen: gemeenten als punten.",
                        "No boundaries loaded: municipalities shown as points."),
    "province": ("Provincie", "Province"),
    "cbs_code": ("CBS-code", "CBS code"),
    "dissolved": ("Opgeheven", "Dissolved"),
    "replaced_by": ("Opgegaan in", "Merged into"),
    "arrangements_of": ("Samenwerkingsverbanden", "Arrangements"),
    "by_domain": ("per beleidsdomein", "by policy domain"),
    "by_form": ("per samenwerkingsvorm", "by cooperation form"),
    "regions": ("Regio-indelingen", "Regional divisions"),
    "division": ("Indeling", "Division"),
    "region": ("Regio", "Region"),
    "people_roles": ("Personen en functies", "People and roles"),
    "role": ("Rol", "Role"),
    "affiliated": ("verbonden aan", "affiliated"),
    "person": ("Persoon", "Person"),
    "experience": ("Ervaring", "Experience"),
    "topic": ("Onderwerp", "Topic"),
    "kind": ("Soort", "Kind"),
    "description": ("Omschrijving", "Description"),
    "date": ("Datum", "Date"),
    "source": ("Bron", "Source"),
    "sources": ("Bronnen", "Sources"),
    "figures": ("Analyse", "Analysis"),
    "rank_load": ("Rang naar aantal samenwerkingsverbanden", "Rank by number of arrangements"),
    "of": ("van", "of"),
    "n_arrangements": ("Aantal samenwerkingsverbanden", "Number of arrangements"),
    "degree": ("Samenwerkingspartners", "Cooperation partners"),
    "betweenness": ("Tussenliggendheid", "Betweenness centrality"),
    "pagerank": ("PageRank", "PageRank"),
    "community": ("Gemeenschap (Louvain)", "Community (Louvain)"),
    "figures_note": ("Berekend op het netwerk van gezamenlijke deelnames.",
                     "Computed on the co-membership network."),
    "members": ("Deelnemers", "Members"),
    "member": ("Deelnemer", "Member"),
    "from": ("Vanaf", "From"),
    "until": ("Tot", "Until"),
    "attested": ("Vermeld op", "Attested on"),
    "form": ("Vorm", "Form"),
    "type": ("Type", "Type"),
    "domain": ("Beleidsdomein", "Policy domain"),
    "gr_code": ("GR-code", "GR code"),
    "overlap": ("Overlappende samenwerkingsverbanden", "Overlapping arrangements"),
    "shared": ("Gedeelde deelnemers", "Shared members"),
    "jaccard": ("Jaccard", "Jaccard"),
    "none": ("Geen.", "None."),
    "unknown": ("onbekend", "unknown"),
    "all": ("alle", "all"),
    "facts": ("Alle feiten", "All facts"),
    "property": ("Eigenschap", "Property"),
    "value": ("Waarde", "Value"),
    "incoming": ("Verwijzingen", "Referenced by"),
    "not_found": ("Niet gevonden", "Not found"),
    "matrix_title": ("Deelnamematrix", "Membership matrix"),
    "matrix_intro": ("Gemeenten (rijen) × samenwerkingsverbanden (kolommen). Rijen en kolommen "
                     "zijn geordend naar gelijkenis, zodat blokken zichtbaar worden.",
                     "Municipalities (rows) × arrangements (columns). Rows and columns are "
                     "ordered by similarity so that blocks show."),
    "filter": ("Filter", "Filter"),
    "apply": ("Toepassen", "Apply"),
    "order": ("Volgorde", "Order"),
    "order_similarity": ("gelijkenis", "similarity"),
    "order_community": ("gemeenschap", "community"),
    "order_name": ("naam", "name"),
    "on_date": ("Op datum", "On date"),
    "download_csv": ("Download CSV", "Download CSV"),
    "matrix_table": ("Deelnames als tabel", "Memberships as a table"),
    "network_title": ("Netwerk", "Network"),
    "network_intro": ("Actoren en samenwerkingsverbanden; kleuren zijn gemeenschappen (Louvain). "
                      "Klik op een knoop om de pagina te openen; scrol om te zoomen.",
                      "Actors and arrangements; colours are communities (Louvain). Click a "
                      "node to open its page; scroll to zoom."),
    "actor_types": ("Soorten actoren", "Actor types"),
    "download_graphml": ("Download GraphML", "Download GraphML"),
    "download_gexf": ("Download GEXF (Gephi)", "Download GEXF (Gephi)"),
    "n_nodes": ("knopen", "nodes"),
    "n_links": ("verbindingen", "links"),
    "n_communities": ("gemeenschappen", "communities"),
    "network_list": ("Knopen als lijst", "Nodes as a list"),
    "network_alt": ("Netwerkdiagram; dezelfde knopen staan in de lijst hieronder.",
                    "Network diagram; the same nodes are listed below."),
    "expertise_title": ("Wie heeft ervaring met …?", "Who has experience with …?"),
    "expertise_label": ("Onderwerp", "Topic"),
    "near": ("In de buurt van mijn gemeente", "Near my municipality"),
    "my_municipality": ("Mijn gemeente", "My municipality"),
    "ask": ("Vraag", "Ask"),
    "matched_topics": ("Gevonden onderwerpen", "Matched topics"),
    "actor": ("Actor", "Actor"),
    "evidence": ("Bewijs", "Evidence"),
    "contacts": ("Contactpersonen", "Contact people"),
    "score": ("Score", "Score"),
    "distance": ("Afstand", "Distance"),
    "no_topic": ("Geen onderwerp gevonden dat past bij", "No topic matches"),
    "sparql_title": ("SPARQL-editor", "SPARQL editor"),
    "examples": ("Voorbeeldvragen", "Example queries"),
    "run": ("Uitvoeren", "Run"),
    "results": ("Resultaat", "Results"),
    "rows": ("rijen", "rows"),
    "download_json": ("Download JSON", "Download JSON"),
    "query": ("Query", "Query"),
    "run_hint": ("Ctrl+Enter voert de query uit.", "Ctrl+Enter runs the query."),
    "sources_title": ("Bronnen (benoemde grafen)", "Sources (named graphs)"),
    "graph": ("Graaf", "Graph"),
    "title": ("Titel", "Title"),
    "publisher": ("Uitgever", "Publisher"),
    "triples": ("Triples", "Triples"),
    "loading": ("Laden…", "Loading…"),
    "error": ("Fout", "Error"),
}


def pick_language(query_value: str | None = None, cookie_value: str | None = None) -> str:
    """The page language: ``?lang=`` first, then the cookie, else Dutch.

    >>> pick_language("en", "nl"), pick_language(None, "en"), pick_language("xx", None)
    ('en', 'en', 'nl')
    """
    for value in (query_value, cookie_value):
        if value in LANGUAGES:
            return value
    return DEFAULT_LANGUAGE


def translator(lang: str = DEFAULT_LANGUAGE):
    """A function ``t(key)`` giving the string for ``key`` in ``lang`` (the key itself if unknown)."""
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0

    def t(key: str) -> str:
        pair = STRINGS.get(key)
        return pair[index] if pair else key

    return t


def strings_for(lang: str = DEFAULT_LANGUAGE, *, keys: list[str] | None = None) -> dict[str, str]:
    """The strings of one language as a dict (for the JS modules)."""
    t = translator(lang)
    return {k: t(k) for k in (keys or STRINGS)}
