"""The API tests on every backend: the embedded store, Virtuoso and the Oxigraph server.

The tests are the API suite's own (imported, so they run here once per backend with this
folder's ``server``/``client`` fixtures): lookups, arrangements with their members on a
date, experts, the membership matrix, /sparql in its forms, limits and refusals, validated
writes and their refusals, the Graph Store Protocol. Read tests come first: the write
tests add graphs under their own IRIs to the same server.
"""

from __future__ import annotations

from test_api_json import (  # noqa: F401 - collected here, per backend
    test_experts_on_a_topic,
    test_get_arrangement_members_on_a_date,
    test_get_municipality_by_slug,
    test_get_municipality_describes_barneveld,
    test_list_arrangements_filters,
    test_list_municipalities_filters_and_paginates,
    test_membership_matrix,
    test_people_and_person,
    test_regions,
    test_sources,
    test_topics_thesaurus,
)
from test_api_sparql import (  # noqa: F401
    test_ask_every_method_and_format,
    test_construct_every_method_and_format,
    test_default_graph_uri_limits_the_default_graph,
    test_malformed_query_is_400_with_parser_message,
    test_named_graph_uri_limits_graph_patterns,
    test_project_prefixes_are_predeclared_and_own_prefix_wins,
    test_row_cap_is_reported,
    test_select_every_method_and_format,
    test_service_is_refused,
)
from test_api_writes import (  # noqa: F401
    test_code_swap_that_keeps_sizes_is_refused_over_http,
    test_default_graph_is_the_set_union_and_cannot_be_written,
    test_graph_store_put_get_post_delete,
    test_graph_store_put_invalid_is_422_and_changes_nothing,
    test_invalid_update_is_422_and_changes_nothing,
    test_load_is_refused,
    test_service_in_update_is_refused,
    test_update_into_default_graph_is_refused,
    test_update_without_token_is_401,
    test_valid_update_is_visible_to_next_query,
)


def test_health_names_the_backend_and_counts_like_the_store(client, server, backend):
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["triples"] == server.kg.store.count() > 7000
    assert body["graphs"] == len(server.kg.store.named_graphs())
    engine_graphs = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}).json()
    names = {b["g"]["value"] for b in engine_graphs["results"]["bindings"]}
    # GRAPH ?g ranges over regiokg's named graphs only: no engine graph (Virtuoso's system
    # graphs), no registry, union or staging graph
    assert names <= set(server.kg.store.named_graphs())
    assert not any(n.startswith(("urn:regiokg:", "http://www.openlinksw.com/")) for n in names)

