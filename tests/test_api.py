"""The JSON API contract, and its 4xx answers to bad input."""

from __future__ import annotations

import json

import pytest

from quiz.loading import load_content


def test_quiz_contract(tiny_client, tiny_dir):
    body = tiny_client.get("/api/v1/quiz").get_json()
    assert body["version"] == load_content(tiny_dir).version
    assert body["scale"] == [-2, -1, 0, 1, 2]
    assert [s["id"] for s in body["statements"]] == ["straff", "brukerrom", "ransaking"]
    assert {"id", "text", "topic"} <= set(body["statements"][0])
    assert {a["id"]: a["kind"] for a in body["actors"]} == {
        "alpha": "party", "beta": "party", "gamma": "organisation"}
    stance = next(s for s in body["stances"] if (s["actor"], s["statement"]) == ("beta", "straff"))
    assert stance["position"] == 2
    assert stance["quotes"] == [{"source": "beta-uttalelse",
                                 "text": "Beholde straffen for bruk av narkotika.", "lines": [7, 8]}]
    none = next(s for s in body["stances"] if (s["actor"], s["statement"]) == ("beta", "ransaking"))
    assert none["position"] is None and none["quotes"] == []
    assert {"id": "gamma-notat", "title": "Gammas notat", "actor": "gamma",
            "kind": "hearing-statement"} in body["sources"]


def test_every_quote_is_in_the_source_text_the_api_serves(tiny_client):
    body = tiny_client.get("/api/v1/quiz").get_json()
    texts = {s["id"]: " ".join(tiny_client.get(f"/api/v1/sources/{s['id']}").get_json()["text"].split())
             for s in body["sources"]}
    for stance in body["stances"]:
        for quote in stance["quotes"]:
            assert quote["text"] in texts[quote["source"]]


def test_source_contract(tiny_client):
    body = tiny_client.get("/api/v1/sources/beta-uttalelse").get_json()
    assert set(body) == {"id", "title", "actor", "text"}
    assert "Beta mener at straff er nødvendig for å hindre bruk." in body["text"]
    assert " 3" not in body["text"]  # the document's line numbers are gone


def test_unknown_source_is_404_json(tiny_client):
    response = tiny_client.get("/api/v1/sources/nope")
    assert response.status_code == 404
    assert "nope" in response.get_json()["error"]


def test_match_ranks_and_scores(tiny_client, tiny_dir):
    response = tiny_client.post("/api/v1/match", json={
        "answers": {"straff": 2, "brukerrom": -1, "ransaking": None},
        "weights": {"straff": 2},
    })
    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == load_content(tiny_dir).version
    # beta: straff 2 vs 2 (w2) = 2, brukerrom -1 vs -1 = 1 → 100; alpha: 0·2 + 0.25·1 over 3
    assert body["results"] == [
        {"actor": "beta", "score": 100.0, "compared": 2},
        {"actor": "alpha", "score": pytest.approx(100 * 0.25 / 3), "compared": 2},
        {"actor": "gamma", "score": None, "compared": 0},
    ]


@pytest.mark.parametrize("payload, fragment", [
    ({"answers": {"nope": 1}}, "answers.nope: unknown statement id"),
    ({"answers": {"straff": 3}}, "answers.straff: 3 is off the scale"),
    ({"answers": {"straff": -3}}, "off the scale"),
    ({"answers": {"straff": 1.5}}, "off the scale"),
    ({"answers": {"straff": 2.0}}, "off the scale"),
    ({"answers": {"straff": "2"}}, "off the scale"),
    ({"answers": {"straff": True}}, "off the scale"),
    ({"answers": {"straff": [2]}}, "off the scale"),
    ({"answers": {"straff": 1}, "weights": {"straff": 3}}, "weights.straff: 3 is not a weight"),
    ({"answers": {"straff": 1}, "weights": {"nope": 2}}, "weights.nope: unknown statement id"),
    ({"answers": {"straff": 1}, "weights": [2]}, "weights: must be an object"),
    ({"answers": [1, 2]}, "answers: must be an object"),
    ({"answers": {}}, "answer at least one statement"),
    ({"answers": {"straff": None}}, "answer at least one statement"),
    ({"weights": {"straff": 2}}, "'answers' is missing"),
    ({"answers": {"straff": 1}, "extra": 1}, "unknown field 'extra'"),
    ([1, 2, 3], "must be a JSON object"),
    ("text", "must be a JSON object"),
])
def test_match_rejects_bad_input_naming_the_field(tiny_client, payload, fragment):
    response = tiny_client.post("/api/v1/match", json=payload)
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]


def test_match_rejects_non_json(tiny_client):
    for data, ctype in (("answers=1", "application/x-www-form-urlencoded"),
                        ("{not json", "application/json"),
                        (b"\xff\xfe", "application/json")):
        response = tiny_client.post("/api/v1/match", data=data, content_type=ctype)
        assert response.status_code == 400
        assert "JSON object" in response.get_json()["error"]


def test_match_rejects_oversized_bodies(tiny_client):
    big = json.dumps({"answers": {"straff": 1}, "pad": "x" * 200_000})
    response = tiny_client.post("/api/v1/match", data=big, content_type="application/json")
    assert response.status_code == 413
    assert "error" in response.get_json()


def test_match_wrong_method(tiny_client):
    response = tiny_client.get("/api/v1/match")
    assert response.status_code == 405
    assert "error" in response.get_json()
