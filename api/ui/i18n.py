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
    "kind_water-board": ("waterschap", "water board"),
    "kind_regional-body": ("regionaal orgaan", "regional body"),
    "kind_region": ("regio", "region"),
    "kind_event": ("bijeenkomst", "meeting"),
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
    "pagerank": ("PageRank-score", "PageRank"),
    "closeness": ("Nabijheid", "Closeness"),
    "figures_runs": ("Uit de opgeslagen analyses", "From the stored analysis runs"),
    "sampled": ("steekproef", "sampled"),
    "exact": ("exact", "exact"),
    "json_twin": ("Dezelfde gegevens als JSON", "The same data as JSON"),
    "page_sources": ("Bronnen van deze pagina", "Sources of this page"),
    "posts": ("Functies", "Posts"),
    "organisation": ("Organisatie", "Organisation"),
    "broader": ("Breder", "Broader"),
    "narrower": ("Smaller", "Narrower"),
    "alt_labels": ("Ook genoemd", "Also called"),
    "label_nl": ("Naam (Nederlands)", "Name (Dutch)"),
    "label_en": ("Naam (Engels)", "Name (English)"),
    "candidate": ("kandidaat voor samenvoegen", "consolidation candidate"),
    "overlap_note": ("Uit de opgeslagen overlapanalyse (de 50 grootste paren en alle kandidaten).",
                     "From the stored overlap analysis (the 50 largest pairs and every candidate)."),
    "experts_heading": ("Met ervaring", "With experience"),
    "others_heading": ("Ook betrokken (vraagt, neemt deel, is lid)", "Also involved (asking, attending, member)"),
    "explanation": ("Toelichting", "Explanation"),
    "near_unknown": ("Onbekende gemeente", "Unknown municipality"),
    "hops": ("stappen in het netwerk", "steps in the network"),
    "source_kind_SourceDocument": ("brondocument", "source document"),
    "source_kind_DatasetImport": ("geïmporteerde dataset", "dataset import"),
    "source_kind_AnalysisRun": ("analyse", "analysis run"),
    "source_kind_Vocabulary": ("vocabulaire", "vocabulary"),
    "source_kind_ReferenceData": ("referentiegegevens", "reference data"),
    "source_kind_DocumentExtraction": ("uit een document gehaald", "document extraction"),
    # kinds of evidence (the labels of ontology/experience-kinds.ttl; the answers give the slug)
    "evidence_heeft-gedaan": ("heeft het gedaan", "has done it"),
    "evidence_adviseert": ("kan adviseren", "can advise"),
    "evidence_portefeuille": ("heeft de portefeuille", "holds the portfolio"),
    "evidence_lid-van-samenwerking": ("lid van een samenwerking", "member of an arrangement"),
    "evidence_bijeenkomst": ("was bij een bijeenkomst erover", "attended a meeting on it"),
    "evidence_vraagt-hulp": ("vraagt hulp", "asks for help"),
    "evidence_heeft-interesse": ("heeft interesse", "is interested"),
    "asking_heading": ("Vragen er ook naar", "Also asking"),
    "interested_heading": ("Toonden interesse (bijeenkomst, lidmaatschap)", "Showed interest (meeting, membership)"),
    "km": ("km", "km"),
    "steps": ("stappen in het netwerk", "steps in the network"),
    "more": ("meer", "more"),
    "zoom_in": ("inzoomen", "zoom in"),
    "zoom_out": ("uitzoomen", "zoom out"),
    "zoom_reset": ("zoom herstellen", "reset zoom"),
    "legend": ("Legenda", "Legend"),
    "legend_arrangements": ("aantal samenwerkingsverbanden", "number of arrangements"),
    "legend_other": ("andere gemeenten", "other municipalities"),
    "coverage": ("Dekking", "Coverage"),
    "members_searched": ("Doorzochte bronnen voor deelnemers", "Sources searched for members"),
    "files": ("Bestanden", "Files"),
    "truncated": ("afgekapt", "truncated"),
    "direction_in": ("verwijst hierheen", "points here"),
    "sources_count": ("benoemde grafen", "named graphs"),
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
    "download_csv": ("CSV downloaden", "Download CSV"),
    "matrix_table": ("Deelnames als tabel", "Memberships as a table"),
    "network_title": ("Netwerk", "Network"),
    "network_intro": ("Actoren en samenwerkingsverbanden; kleuren zijn gemeenschappen (Louvain). "
                      "Klik op een knoop om de pagina te openen; scrol om te zoomen.",
                      "Actors and arrangements; colours are communities (Louvain). Click a "
                      "node to open its page; scroll to zoom."),
    "actor_types": ("Soorten actoren", "Actor types"),
    "download_graphml": ("GraphML downloaden", "Download GraphML"),
    "download_gexf": ("GEXF downloaden (Gephi)", "Download GEXF (Gephi)"),
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
    "actor": ("Deelnemer", "Actor"),
    "evidence": ("Bewijs", "Evidence"),
    "contacts": ("Contactpersonen", "Contact people"),
    "score": ("Score", "Score"),
    "kind_arrangement_via": ("via samenwerking", "via arrangement"),
    "distance": ("Afstand", "Distance"),
    "no_topic": ("Geen onderwerp gevonden dat past bij", "No topic matches"),
    "sparql_title": ("SPARQL-editor", "SPARQL editor"),
    "examples": ("Voorbeeldvragen", "Example queries"),
    "run": ("Uitvoeren", "Run"),
    "results": ("Resultaat", "Results"),
    "rows": ("rijen", "rows"),
    "download_json": ("JSON downloaden", "Download JSON"),
    "query": ("Zoekvraag (SPARQL)", "Query"),
    "run_hint": ("Ctrl+Enter voert de query uit.", "Ctrl+Enter runs the query."),
    "sources_title": ("Bronnen (benoemde grafen)", "Sources (named graphs)"),
    "graph": ("Graaf", "Graph"),
    "title": ("Titel", "Title"),
    "publisher": ("Uitgever", "Publisher"),
    "triples": ("Aantal triples", "Triples"),
    "loading": ("Laden…", "Loading…"),
    "error": ("Fout", "Error"),
}


#: Dutch titles of the example queries (the .rq files' first comment line is English).
EXAMPLE_TITLES = {
    "cq_chair_of": "Wie is (was) voorzitter van een organisatie, volgens welke bron?",
    "cq_examples_of_cooperation_type": "Welke samenwerkingsverbanden worden als voorbeeld van een soort samenwerking "
                                       "genoemd, en door welke bron?",
    "cq_experience_by_topic": "Wie heeft ervaring met een onderwerp, volgens wie?",
    "cq_meeting_participants": "Wie namen deel aan de bijeenkomsten op een datum?",
    "cq_topics_raised_by": "Welke onderwerpen bracht een deelnemer in, en waar?",
    "graph_sizes": "Aantal triples per benoemde graaf",
    "instances_per_class": "Aantal exemplaren per klasse, meest voorkomende eerst",
    "graph_descriptions": "Alle benoemde grafen met titel, uitgever, datum, soort en bron",
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
