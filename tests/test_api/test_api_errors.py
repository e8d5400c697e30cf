"""One JSON error shape for every kind of error (pinned)."""

from __future__ import annotations

import pytest

SHAPE_KEYS = {"status", "code", "message", "details"}


@pytest.mark.parametrize("method,path,kwargs,status,code", [
    ("GET", "/no/such/route", {}, 404, "not_found"),
    ("DELETE", "/health", {}, 405, "method_not_allowed"),
    ("GET", "/api/municipalities/GM9999", {}, 404, "not_found"),
    ("GET", "/api/municipalities?limit=0", {}, 422, "invalid_request"),
    ("GET", "/api/arrangements?date=yesterday", {}, 400, "bad_input"),
    ("GET", "/sparql?query=SELECT", {}, 400, "query_error"),
    ("GET", "/sparql?query=ASK%7B%7D", {"headers": {"Accept": "image/png"}}, 406, "not_acceptable"),
    ("POST", "/update", {"data": {"update": "CLEAR ALL"}}, 401, "unauthorized"),
    ("GET", "/id/gemeente/GM9999", {}, 404, "not_found"),
])
def test_error_shape(client, method, path, kwargs, status, code):
    resp = client.request(method, path, **kwargs)
    assert resp.status_code == status
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == SHAPE_KEYS
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_validation_error_names_the_parameter(client):
    body = client.get("/api/municipalities", params={"limit": "many"}).json()
    assert "limit" in body["error"]["message"]
    assert body["error"]["details"][0]["location"] == ["query", "limit"]
