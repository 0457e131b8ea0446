from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dedup.cli import main
from dedup.feeds import html_fragment_text
from dedup.ingest import read_sources

WEB = Path(__file__).resolve().parent.parent / "fixtures" / "web"


def test_rss_prefers_full_content_and_marks_teasers() -> None:
    result = read_sources([str(WEB / "wire.rss")])
    full, teaser = result.articles
    assert (full.id, full.outlet, full.url) == (
        "wire-sochi-1",
        "Example Wire",
        "https://wire.example/sochi",
    )
    assert full.published == "2021-09-29T10:00:00+00:00"
    assert full.text.splitlines()[0].startswith("SOCHI (Reuters) - The two presidents met")
    assert len(full.text.splitlines()) == 3 and "trackReader" not in full.text
    assert not full.teaser
    assert teaser.teaser and teaser.text == "Markets rose on Thursday & oil fell."
    assert [(s.source, s.reason) for s in result.skipped] == [
        (f"{WEB / 'wire.rss'}#3", "feed entry without text")
    ]


def test_arabic_atom() -> None:
    (entry,) = read_sources([str(WEB / "arabic.atom")]).articles
    assert entry.outlet == "نورث برس" and entry.id == "urn:example:northpress:1"
    assert entry.text.splitlines()[1].startswith("أُجريت المحادثات في منتجع سوتشي")


def test_arabic_html_page_main_text_only() -> None:
    (page,) = read_sources([str(WEB / "page.html")]).articles
    assert page.id == "page" and page.outlet == "صحيفة المثال"
    assert page.published == "2021-09-30"
    assert "لها أهمية كبيرة" in page.text
    assert "تعليق من قارئ" not in page.text  # comments are not the article
    assert "الرئيسية" not in page.text  # nor is the navigation


def test_a_broken_feed_is_skipped_and_the_rest_read() -> None:
    result = read_sources([str(WEB)])
    assert len(result.articles) == 4
    assert (str(WEB / "broken.rss"), "not a readable RSS or Atom feed") in [
        (s.source, s.reason.split(" (")[0]) for s in result.skipped
    ]


def test_feed_items_group_with_the_seeds(seeds_dir: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--format", "json", str(seeds_dir), str(WEB)])
    assert result.exit_code == 0
    import json

    clusters = [set(c["members"]) for c in json.loads(result.stdout)["clusters"]]
    big = next(c for c in clusters if "004_0182e0fe94a047d4" in c)
    # The saved page rewrites the same Reuters story, and the Atom entry is the first
    # two paragraphs of 000: both join the seeds' cluster, which stays whole.
    assert big == {
        "000_e43f006f387591b2",
        "001_903efb68cadcd327",
        "002_4c7a1f67f76e96f4",
        "004_0182e0fe94a047d4",
        "page",
        "urn:example:northpress:1",
    }
    # The English wire items and seed 003 are other stories.
    assert all(not {"wire-sochi-1", "003_2171f8ed50ffc6de"} & cluster for cluster in clusters)


def test_html_fragments_become_lines() -> None:
    assert html_fragment_text("<p>One &amp; two</p><div>three<br>four</div><style>x{}</style>") == (
        "One & two\nthree\nfour"
    )


def test_missing_html_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def refuse(name: str, *arguments: Any, **keywords: Any) -> Any:
        if name.startswith("trafilatura"):
            raise ImportError(name)
        return real_import(name, *arguments, **keywords)

    monkeypatch.setattr(builtins, "__import__", refuse)
    result = CliRunner().invoke(main, ["report", str(WEB / "page.html")])
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "Error: reading page.html needs trafilatura: pip install 'dedup-news[html]'"
    )
