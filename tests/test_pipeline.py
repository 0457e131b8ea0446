from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from dedup import Article, Settings, find_duplicates
from dedup.pipeline import member_diffs


def _groups(articles: list[Article], **settings: Any) -> list[list[str]]:
    report = find_duplicates(articles, Settings(**settings))
    return [sorted(cluster.members) for cluster in report.clusters]


def test_seeds_form_one_cluster_without_003(
    seed_articles: list[Article], seeds_expected: dict[str, Any]
) -> None:
    report = find_duplicates(seed_articles)
    assert [list(cluster.members) for cluster in report.clusters] == seeds_expected["clusters"]
    assert list(report.unmatched) == seeds_expected["unmatched"]
    # All six pairs of the four rewrites are verified, each with both scores.
    edges = report.clusters[0].edges
    assert len(edges) == 6
    for edge in edges:
        assert 0.1 <= edge.containment <= 1 and 0.02 <= edge.jaccard <= edge.containment


def test_seeds_renamed_and_reordered(seed_articles: list[Article]) -> None:
    renamed = [
        dataclasses.replace(article, id=f"story-{9 - number}")
        for number, article in enumerate(seed_articles)
    ]
    groups = _groups(list(reversed(renamed)))
    # 000, 001, 002, 004 became story-9, -8, -7, -5; 003 became story-6.
    assert groups == [["story-5", "story-7", "story-8", "story-9"]]


def test_a_copy_of_003_pairs_with_003_only(seed_articles: list[Article]) -> None:
    original = next(article for article in seed_articles if article.id.startswith("003"))
    copy = dataclasses.replace(original, id="zz-copy-of-003", source="elsewhere.txt")
    groups = _groups([*seed_articles, copy])
    assert groups == [
        [
            "000_e43f006f387591b2",
            "001_903efb68cadcd327",
            "002_4c7a1f67f76e96f4",
            "004_0182e0fe94a047d4",
        ],
        ["003_2171f8ed50ffc6de", "zz-copy-of-003"],
    ]


def test_stricter_containment_drops_the_separate_translation(seed_articles: list[Article]) -> None:
    # 001 shares at most 22 % of its 3-grams with the others; the rest share 31-41 %,
    # more than half of 0.50 (what pairs sharing many 3-grams need) and less than 0.50.
    groups = _groups(seed_articles, min_containment=0.50)
    assert groups == [["000_e43f006f387591b2", "002_4c7a1f67f76e96f4", "004_0182e0fe94a047d4"]]
    groups = _groups(seed_articles, min_containment=0.25, many_shared_shingles=0)
    assert groups == [["000_e43f006f387591b2", "002_4c7a1f67f76e96f4", "004_0182e0fe94a047d4"]]


def test_worker_processes_give_the_same_report(
    seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every stage in worker processes, in small jobs: features, exact checks, lineage.
    monkeypatch.setattr("dedup.pipeline.features._PARALLEL_MINIMUM", 1)
    monkeypatch.setattr("dedup.pipeline.features._CHUNK_SIZE", 7)
    monkeypatch.setattr("dedup.pipeline.grouping._PARALLEL_PAIRS", 1)
    monkeypatch.setattr("dedup.pipeline.grouping._PAIR_CHUNK", 5)
    monkeypatch.setattr("dedup.pipeline.grouping._PARALLEL_CLUSTERS", 1)
    many = [
        dataclasses.replace(article, id=f"{article.id}-{copy}")
        for copy in range(6)
        for article in seed_articles
    ]
    single = find_duplicates(many, workers=1)
    parallel = find_duplicates(many, workers=2)
    assert single == parallel
    assert len(single.clusters) == 2


def test_duplicate_ids_are_refused(seed_articles: list[Article]) -> None:
    with pytest.raises(ValueError, match="article id '000_e43f006f387591b2' occurs more than once"):
        find_duplicates([seed_articles[0], seed_articles[0]])


def test_report_records_settings(seed_articles: list[Article]) -> None:
    report = find_duplicates(seed_articles, Settings(shingle_size=4))
    assert report.settings["shingle_size"] == 4
    assert report.settings["normalization_version"] == 1


def _cookie_wall(headline: str) -> str:
    notice = (
        "We use cookies to personalise content and ads, to provide social media features "
        "and to analyse our traffic, and we share information about your use of our site."
    )
    template = (
        "Details of how your data is processed can be found in the section on technology "
        "we use, and you can withdraw consent in the ways described there at any time."
    )
    return "\n".join([headline, *[notice] * 4, template])


def test_a_page_with_no_article_text_left_matches_nothing() -> None:
    walls = [
        Article(id="wall-1", text=_cookie_wall("Trade talks postponed")),
        Article(id="wall-2", text=_cookie_wall("Three thousand deaths reported")),
    ]
    report = find_duplicates(walls, Settings())
    assert report.clusters == ()
    assert [summary.no_article_text for summary in report.documents] == [True, True]
    # Without the notices, the template sentence left would match: 28 shared 3-grams.
    kept = [Article(id=a.id, text=a.text.replace(a.text.split("\n")[1] + "\n", "")) for a in walls]
    assert len(find_duplicates(kept, Settings()).clusters) == 1


def _round_up_of_003_and_000(seed_articles: list[Article], published: str | None) -> Article:
    """A page pasting the first half of the 2019 story (003) and the second half of the
    2021 rewrite (000): it matches both, and they are on the same topic."""
    by_number = {article.id[:3]: article.text for article in seed_articles}
    story, rewrite = by_number["003"], by_number["000"]
    text = story[: len(story) // 2] + "\n\n" + rewrite[len(rewrite) // 2 :]
    return Article(id="round-up", text=text, published=published)


def _dated(seed_articles: list[Article]) -> list[Article]:
    return [
        dataclasses.replace(
            article, published="2019-04-09" if article.id.startswith("003") else "2021-09-30"
        )
        for article in seed_articles
    ]


def test_a_round_up_chains_the_2019_story_into_the_wire_cluster_when_undated(
    seed_articles: list[Article],
) -> None:
    batch = [*seed_articles, _round_up_of_003_and_000(seed_articles, None)]
    groups = _groups(batch)
    assert len(groups) == 1 and "003_2171f8ed50ffc6de" in groups[0]


def test_dates_keep_the_2019_story_out_of_the_2021_cluster(
    seed_articles: list[Article], seeds_expected: dict[str, Any]
) -> None:
    for round_up_date in (None, "2021-10-01T08:00:00Z"):
        batch = [*_dated(seed_articles), _round_up_of_003_and_000(seed_articles, round_up_date)]
        groups = _groups(batch)
        # The round-up shares more with 003 (Jaccard 0.40) than with 000 (0.29).
        assert groups == [*seeds_expected["clusters"], ["003_2171f8ed50ffc6de", "round-up"]]
    # A window of 0 days is no window: the same topic alone chains them again.
    assert len(_groups(batch, topic_window_days=0)) == 1


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="topic_window_days must be 0 or more, got -1"):
        Settings(topic_window_days=-1)


@pytest.mark.parametrize(
    ("published_003", "chained"),
    [
        ("2021-09-23", True),  # 7 calendar days before the others' 2021-09-30
        ("2021-09-22T23:30:00-02:00", True),  # 2021-09-23 in UTC
        ("2021-09-22T23:30:00Z", False),  # 8 days
        ("2021-09-22", False),
    ],
)
def test_the_window_counts_utc_calendar_days(
    seed_articles: list[Article], published_003: str, chained: bool
) -> None:
    dated = [
        dataclasses.replace(
            article,
            published=published_003 if article.id.startswith("003") else "2021-09-30T06:00:00Z",
        )
        for article in seed_articles
    ]
    groups = _groups([*dated, _round_up_of_003_and_000(seed_articles, None)])
    assert (len(groups) == 1) is chained


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"seed": -1}, "seed must be between 0 and 2**32 - 1, got -1"),
        ({"seed": 2**40}, "seed must be between 0 and 2**32 - 1, got 1099511627776"),
        ({"shingle_size": 2.5}, "shingle_size must be a whole number, got 2.5"),
        ({"num_perm": True}, "num_perm must be a whole number, got True"),
        ({"min_containment": "x"}, "min_containment must be a number, got 'x'"),
    ],
)
def test_settings_refuse_values_that_would_fail_later(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Settings(**values)
    assert str(caught.value) == message


def _scraped(number: int, host: str) -> Article:
    """A page of ``host`` with its own story and the site's footer, no outlet given."""
    story = " ".join(
        f"Item {number}: the county board approved plan {number} after a vote of {number} "
        f"to {number + 3}, and road works on route {number} start in week {number}."
        for _ in range(3)
    )
    footer = "Tips and corrections go to the Lakeside Courier night editor desk"
    return Article(
        id=f"{host}-{number}", text=f"{story}\n{footer}\n", url=f"https://{host}/{number}"
    )


def test_an_item_without_an_outlet_is_known_by_its_url_host() -> None:
    assert _scraped(1, "www.courier.test").site == "courier.test"
    assert Article(id="a", text="", outlet="Courier", url="https://x.test/").site == "Courier"
    assert Article(id="a", text="", url="http://[::1/").site is None
    pages = [_scraped(n, "www.courier.test" if n < 2 else "courier.test") for n in range(4)]
    footer = "Tips and corrections go to the Lakeside Courier night editor desk"
    report = find_duplicates(pages, Settings(), lineage=False)
    # The footer recurs on the site's pages: its template, set aside on each of them;
    # pages that name no site have no template to know it by.
    assert [footer in summary.boilerplate for summary in report.documents] == [True] * 4
    unnamed = [dataclasses.replace(page, url=None) for page in pages]
    report = find_duplicates(unnamed, Settings(), lineage=False)
    assert [footer in summary.boilerplate for summary in report.documents] == [False] * 4


def test_member_diffs_of_the_largest_clusters_only(seed_articles: list[Article]) -> None:
    report = find_duplicates(seed_articles, Settings())
    every = member_diffs(report)
    assert len(every) == 4
    assert member_diffs(report, clusters=1) == every
    assert member_diffs(report, clusters=0) == []
    with pytest.raises(ValueError, match="clusters must be at least 0, got -1"):
        member_diffs(report, clusters=-1)
