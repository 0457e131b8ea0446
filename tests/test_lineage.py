from __future__ import annotations

import dataclasses

import pytest

from dedup import Article, find_duplicates
from dedup.lineage import RECONSTRUCTED, choose_source, trace_lineage
from dedup.models import Lineage
from dedup.normalize import normalize


@pytest.fixture(scope="module")
def seed_lineage(seed_articles: list[Article]) -> Lineage:
    (cluster,) = find_duplicates(seed_articles).clusters
    assert cluster.lineage is not None
    return cluster.lineage


def _member(lineage: Lineage, prefix: str) -> object:
    return next(m for m in lineage.members if m.id.startswith(prefix))


def test_seeds_reconstruct_the_wire(seed_lineage: Lineage) -> None:
    assert seed_lineage.source == RECONSTRUCTED
    wire = normalize(seed_lineage.reconstructed_text or "")
    # Erdogan's quote and the S-400 purchase, as the Reuters story has them.
    assert "الخطوات التي نخطوها معا فيما يتعلق بسوريا لها اهميه كبيره" in wire
    assert "قد اشترت بطاريات الدفاع الصاروخي الروسيه" in wire
    assert len(seed_lineage.reconstructed_text.splitlines()) >= 12  # type: ignore[union-attr]


def test_seed_shares(seed_lineage: Lineage) -> None:
    separate_translation = _member(seed_lineage, "001")
    assert separate_translation.kept < 0.1 < 0.6 < separate_translation.rewritten  # type: ignore[attr-defined]
    near_verbatim = _member(seed_lineage, "004")
    assert near_verbatim.kept > 0.8  # type: ignore[attr-defined]
    for member in seed_lineage.members:
        total = member.kept + member.rewritten + member.dropped
        assert total == pytest.approx(1.0, abs=0.01)
        assert 0 <= member.added <= 1


def test_000_additions_include_the_idlib_paragraphs(seed_articles: list[Article]) -> None:
    from dedup.diff import diff_texts

    (cluster,) = find_duplicates(seed_articles).clusters
    assert cluster.lineage is not None and cluster.lineage.reconstructed_text is not None
    article = next(a for a in seed_articles if a.id.startswith("000"))
    diff = diff_texts("wire", cluster.lineage.reconstructed_text, article.id, article.text)
    added = [
        normalize(article.text[slice(*s.derived_span)])
        for s in diff.segments
        if s.operation == "added" and s.derived_span
    ]
    assert any("ادلب" in sentence and "تعزيزات" in sentence for sentence in added), added


def test_001_boilerplate_is_not_added(seed_articles: list[Article], seed_lineage: Lineage) -> None:
    article = next(a for a in seed_articles if a.id.startswith("001"))
    with_boilerplate = trace_lineage(
        [article, *[a for a in seed_articles if a.id[:3] in ("000", "002", "004")]],
        "004_0182e0fe94a047d4",
    )
    # Without its boilerplate set aside, 001's page furniture counts as its own words.
    assert _member(seed_lineage, "001").added < _member(with_boilerplate, "001").added  # type: ignore[attr-defined]


def test_a_wire_outlet_is_the_source(seed_articles: list[Article]) -> None:
    members = [a for a in seed_articles if a.id[:3] in ("000", "002", "004")]
    as_wire = [
        dataclasses.replace(a, outlet="رويترز") if a.id.startswith("004") else a for a in members
    ]
    assert choose_source(as_wire, center="000_e43f006f387591b2") == "004_0182e0fe94a047d4"
    lineage = trace_lineage(as_wire, "000_e43f006f387591b2")
    assert lineage.source == "004_0182e0fe94a047d4" and lineage.reconstructed_text is None
    assert {m.id for m in lineage.members} == {"000_e43f006f387591b2", "002_4c7a1f67f76e96f4"}


def test_earliest_wire_wins_and_user_marks_count() -> None:
    articles = [
        Article(id="b", text="x", outlet="Reuters", published="2021-09-29T12:00:00Z"),
        Article(id="a", text="x", outlet="AP", published="2021-09-29T10:00:00+00:00"),
        Article(id="c", text="x", outlet="Daily"),
    ]
    assert choose_source(articles, center="c") == "a"
    assert choose_source([articles[2]], center="c") is None
    assert choose_source([articles[2]], center="c", wire_ids=frozenset({"c"})) == "c"


_WIRE = [
    "The president met his Turkish counterpart in Sochi on Wednesday for talks on Syria.",
    "The talks lasted nearly three hours behind closed doors at the Black Sea resort.",
    "Neither leader made detailed statements to the press after the meeting ended.",
    "Ankara plans to buy a second batch of S-400 missiles despite American objections.",
]
_ADDITION = (
    "Local sources reported heavy reinforcements moving towards Idlib province on Thursday morning."
)


def test_a_copy_of_a_copy_hangs_under_its_parent() -> None:
    wire = Article(
        id="wire", text="\n".join(_WIRE), outlet="Reuters", published="2021-09-29T08:00:00Z"
    )
    first = Article(
        id="first", text="\n".join([*_WIRE[:3], _ADDITION]), published="2021-09-29T09:00:00Z"
    )
    copy = Article(
        id="copy",
        text="\n".join(
            [*_WIRE[:2], _ADDITION, "Our own closing line about the regional outlook and markets."]
        ),
        published="2021-09-29T11:00:00Z",
    )
    lineage = trace_lineage([wire, first, copy], center="wire")
    parents = {m.id: m.parent for m in lineage.members}
    assert parents == {"first": "wire", "copy": "first"}


def test_report_json_has_lineage_fields(seed_articles: list[Article]) -> None:
    from dedup.render.json import report_to_dict

    cluster = report_to_dict(find_duplicates(seed_articles))["clusters"][0]
    assert cluster["source"] == "reconstructed"
    assert cluster["reconstructed_wire"].count("\n") >= 11
    assert sorted(link["child"] for link in cluster["lineage"]) == list(cluster["members"])
    assert set(cluster["member_shares"]["000_e43f006f387591b2"]) == {
        "kept",
        "rewritten",
        "dropped",
        "added",
    }


def test_no_lineage_leaves_clusters_plain(seed_articles: list[Article]) -> None:
    (cluster,) = find_duplicates(seed_articles, lineage=False).clusters
    assert cluster.lineage is None
