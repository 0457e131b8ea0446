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
    shares = cluster["member_shares"]["000_e43f006f387591b2"]
    assert set(shares) == {"kept", "rewritten", "dropped", "added", "compared_with"}
    assert shares["compared_with"] == "reconstructed"


def test_no_lineage_leaves_clusters_plain(seed_articles: list[Article]) -> None:
    (cluster,) = find_duplicates(seed_articles, lineage=False).clusters
    assert cluster.lineage is None


_WIRE_SENTENCES = [
    "A jury at Leeds Crown Court cleared the former mayor of Harrowgate of fraud on Tuesday.",
    "Martin Oduya, 58, had been accused of taking payments from a building firm in 2019.",
    "The trial heard that the firm won three council contracts worth 4.2 million pounds.",
    "Mr Oduya told the court he had never met the firm's directors outside the town hall.",
    "Outside court, his wife Helen said the family had lived through two years of torment.",
    "She thanked the jurors and said her husband would now return to his charity work.",
    "The building firm's two directors are due to be sentenced for bribery next month.",
    "Detectives from West Yorkshire Police said they respected the verdict of the jury.",
    "Harrowgate council said it had already changed the way it awards building contracts.",
    "A review by the council found no other contracts had been affected by the scheme.",
    "Opposition councillors called for a public inquiry into the handling of the case.",
    "The council leader said an inquiry would cost more than the contracts themselves.",
]


def _wire_story() -> list[Article]:
    """A wire story in three versions (a first take, a second lead with reaction, an
    update), and three papers, each taking from one of them."""
    s = _WIRE_SENTENCES
    versions = {
        "pa-1": s[0:4],
        "pa-2lead": s[0:7],
        "pa-3update": [s[0], s[1], s[4], s[5], s[8], s[9], s[10], s[11]],
    }
    papers = {
        # Taken from the first take, which every version still holds: its parent is
        # the earliest.
        "times": [*s[0:4], "The mayor declined to speak to reporters as he left court."],
        # The reaction that only the second lead and the update carry, and the council
        # sentences only the update has.
        "mirror": [s[0], s[4], s[5], s[6], "Friends said he would sue the council."],
        "guardian": [s[0], s[8], s[9], s[10], s[11], "The Guardian asked the council."],
    }
    hours = {"pa-1": 9, "pa-2lead": 11, "pa-3update": 15}
    return [
        *(
            Article(id=name, text=" ".join(text), outlet="PA", published=f"2024-05-07T{h:02d}:00Z")
            for name, text in versions.items()
            for h in (hours[name],)
        ),
        *(
            Article(id=name, text=" ".join(text), outlet=name, published="2024-05-08")
            for name, text in papers.items()
        ),
    ]


def test_the_wire_s_versions_are_one_source_and_papers_hang_on_the_version_they_took() -> None:
    report = find_duplicates(_wire_story())
    (cluster,) = report.clusters
    lineage = cluster.lineage
    assert lineage is not None
    # "PA" in the outlet field is the Press Association: its files are the wire.
    assert lineage.source == "pa-1"
    assert lineage.versions == ("pa-1", "pa-2lead", "pa-3update")
    parents = {member.id: member.parent for member in lineage.members}
    assert parents == {
        "pa-2lead": "pa-1",
        "pa-3update": "pa-1",
        "times": "pa-1",
        "mirror": "pa-2lead",
        "guardian": "pa-3update",
    }
    assert {d.article.id for d in report.documents if d.wire} == set(lineage.versions)
    # Shares are counted against the version taken: the Guardian kept the update's
    # council sentences, not a quarter of the first take.
    guardian = next(m for m in lineage.members if m.id == "guardian")
    assert guardian.kept > 0.5 and guardian.dropped < 0.5
    assert guardian.compared_with == "pa-3update"


def test_each_member_s_diff_is_against_the_version_its_shares_count() -> None:
    from dedup.pipeline import member_diffs

    report = find_duplicates(_wire_story())
    (cluster,) = report.clusters
    assert cluster.lineage is not None
    shares = {m.id: m for m in cluster.lineage.members}
    diffs = {diff.derived_id: diff for diff in member_diffs(report)}
    assert diffs["guardian"].source_id == "pa-3update"
    assert diffs["mirror"].source_id == "pa-2lead"
    assert diffs["times"].source_id == "pa-1"
    # The diff agrees with the shares: the Guardian drops little of the update.
    guardian = diffs["guardian"]
    dropped = sum(1 for segment in guardian.segments if segment.operation == "dropped")
    kept = sum(1 for segment in guardian.segments if segment.match in ("same", "edited"))
    assert kept > dropped
    assert shares["guardian"].dropped < 0.5


def test_the_report_says_wire_not_uncredited_for_the_agency_s_files() -> None:
    from dedup.render.json import report_to_dict
    from dedup.render.terminal import render_text

    report = find_duplicates(_wire_story())
    text = render_text(report, width=160)
    assert "Source: pa-1 (PA, wire copy), first of 3 versions" in text
    rows = {line.split("│")[1].strip(): line for line in text.splitlines() if "│ pa-" in line}
    assert sorted(rows) == ["pa-1", "pa-2lead", "pa-3update"]
    assert all("wire" in row and "uncredited" not in row for row in rows.values())
    data = report_to_dict(report)
    assert data["clusters"][0]["wire_versions"] == ["pa-1", "pa-2lead", "pa-3update"]
    assert [d["wire"] for d in data["documents"]] == [True] * 3 + [False] * 3


def test_check_never_calls_the_agency_s_own_copy_uncredited() -> None:
    from dedup.check import is_finding
    from dedup.pipeline import check_items

    results, _ = check_items(_wire_story(), None)
    by_id = {result.article.id: result for result in results}
    assert by_id["pa-2lead"].verdict == "syndicated copy" and by_id["pa-2lead"].wire
    assert not is_finding(by_id["pa-2lead"], "uncredited")
    assert by_id["pa-2lead"].credit_label == "wire"
    assert is_finding(by_id["times"], "uncredited") and by_id["times"].credit_label == "uncredited"
