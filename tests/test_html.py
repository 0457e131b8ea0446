"""The HTML report and diff page, parsed as a browser would (html5lib, the WHATWG
algorithm): content, direction, escaping of hostile input, headings and tables."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import html5lib
import pytest
from click.testing import CliRunner

from dedup.cli import main
from dedup.diff import Diff
from dedup.ingest import read_sources
from dedup.models import Article, Report
from dedup.pipeline import find_duplicates, member_diffs
from dedup.render.diff import LABELS
from dedup.render.html import render_diff_html, render_html
from dedup.render.html_page import direction
from dedup.render.safe import html_text, http_url, printable
from dedup.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "fixtures" / "hostile" / "hostile.jsonl"
_ARABIC = re.compile("[\u0600-\u06ff]")


def _parse(page: str) -> ElementTree.Element:
    tree: ElementTree.Element = html5lib.parse(page, namespaceHTMLElements=False)
    return tree


def _text(element: ElementTree.Element) -> str:
    return "".join(element.itertext())


@pytest.fixture(scope="module")
def seeds_report(seed_articles: list[Article]) -> tuple[Report, list[Diff]]:
    report = find_duplicates(seed_articles, Settings())
    return report, member_diffs(report)


@pytest.fixture(scope="module")
def seeds_page(seeds_report: tuple[Report, list[Diff]]) -> ElementTree.Element:
    return _parse(render_html(*seeds_report))


@pytest.fixture(scope="module")
def hostile_page() -> tuple[str, ElementTree.Element]:
    report = find_duplicates(read_sources([str(HOSTILE)]).articles, Settings())
    assert len(report.clusters) == 1, "the hostile fixture must form one cluster"
    page = render_html(report, member_diffs(report))
    return page, _parse(page)


def test_every_document_id_is_on_the_page(
    seeds_page: ElementTree.Element, seed_articles: list[Article]
) -> None:
    ids = {_text(element) for element in seeds_page.iter() if element.get("class") == "id"}
    assert {article.id for article in seed_articles} <= ids


def test_summary_counts(seeds_page: ElementTree.Element) -> None:
    summary = seeds_page.find(".//dl[@class='summary']")
    assert summary is not None
    figures = {_text(item.find("dt")): _text(item.find("dd")) for item in summary}  # type: ignore[arg-type]
    assert figures == {
        "Documents": "5",
        "Skipped": "0",
        "Clusters": "1 4 documents",
        "Unmatched": "1",
        "Links kept out": "0",
    }


def test_each_diff_row_is_labelled_with_its_operation(
    seeds_page: ElementTree.Element, seeds_report: tuple[Report, list[Diff]]
) -> None:
    _, diffs = seeds_report
    tables = seeds_page.findall(".//table[@class='diff']")
    assert len(tables) == len(diffs) == 4
    for table, diff in zip(tables, diffs, strict=True):
        rows = table.findall("./tbody/tr")
        assert [row.get("class") for row in rows] == [s.operation for s in diff.segments]
        for row in rows:
            label = _text(row.find("th"))  # type: ignore[arg-type]
            symbol = LABELS[row.get("class") or ""][0]
            assert label.startswith(f"{symbol} {row.get('class')}"), label
    shown = {row.get("class") for table in tables for row in table.findall("./tbody/tr")}
    assert shown == set(LABELS), "the seeds' diffs hold every operation"
    legend = _text(seeds_page.find(".//ul[@class='legend']"))  # type: ignore[arg-type]
    for name, (symbol, _) in LABELS.items():
        assert f"{symbol} {name}" in legend


def test_changed_words_are_marked_del_and_ins(
    seeds_page: ElementTree.Element, seeds_report: tuple[Report, list[Diff]]
) -> None:
    _, diffs = seeds_report
    tables = seeds_page.findall(".//table[@class='diff']")
    for table, diff in zip(tables, diffs, strict=True):
        for row, segment in zip(table.findall("./tbody/tr"), diff.segments, strict=True):
            source, derived = row.findall("td")
            if segment.match not in ("edited", "rewritten"):
                assert source.find(".//del") is None and derived.find(".//ins") is None
                continue
            expected_deleted = [
                printable(diff.source_text[c.source_span[0] : c.source_span[1]])
                for c in sorted(segment.changes, key=lambda c: c.source_span or (0, 0))
                if c.source_span
            ]
            expected_inserted = [
                printable(diff.derived_text[c.derived_span[0] : c.derived_span[1]])
                for c in sorted(segment.changes, key=lambda c: c.derived_span or (0, 0))
                if c.derived_span
            ]
            assert [_text(mark).strip() for mark in source.iter("del")] == expected_deleted
            assert [_text(mark).strip() for mark in derived.iter("ins")] == expected_inserted
    edited = [row for table in tables for row in table.findall("./tbody/tr[@class='edited']")]
    assert len(edited) > 10
    assert all(row.find(".//del") is not None or row.find(".//ins") is not None for row in edited)


def test_arabic_blocks_are_right_to_left(seeds_page: ElementTree.Element) -> None:
    text_blocks = [
        element
        for element in seeds_page.iter("td")
        if element.get("class") in ("headline", "source", "derived")
        and element.get("dir") is not None
    ]
    arabic = [
        block
        for block in text_blocks
        if len(_ARABIC.findall(_text(block))) > len(re.findall("[A-Za-z]", _text(block)))
    ]
    assert len(arabic) > 100
    assert all(block.get("dir") == "rtl" for block in arabic)
    # A line of page chrome mostly in Latin letters keeps left to right.
    assert {block.get("dir") for block in text_blocks if block not in arabic} == {"ltr"}
    wire = seeds_page.findall(".//ol[@class='wire']/li")
    assert wire and all(item.get("dir") == "rtl" for item in wire)
    assert seeds_page.get("lang") == "en"


def test_headings_descend_one_level_at_a_time(seeds_page: ElementTree.Element) -> None:
    levels = [int(e.tag[1]) for e in seeds_page.iter() if re.fullmatch(r"h[1-6]", str(e.tag))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))


def test_table_headers_have_a_scope(seeds_page: ElementTree.Element) -> None:
    headers = list(seeds_page.iter("th"))
    assert headers and all(th.get("scope") in ("col", "row") for th in headers)


def test_the_page_fetches_and_runs_nothing(seeds_page: ElementTree.Element) -> None:
    for tag in ("script", "img", "link", "iframe", "object", "embed"):
        assert seeds_page.find(f".//{tag}") is None, tag
    assert all(element.get("src") is None for element in seeds_page.iter())
    style = _text(seeds_page.find(".//style"))  # type: ignore[arg-type]
    assert "url(" not in style and "@import" not in style
    policy = seeds_page.find(".//meta[@http-equiv='Content-Security-Policy']")
    assert policy is not None and "default-src 'none'" in (policy.get("content") or "")


@pytest.mark.parametrize(
    "literal",
    [
        "<script>window.dedupHostile = 1</script>",
        "<script>window.dedupHostile = 3</script> Port to reopen",
        '"><img src=x onerror=alert(1)>',
        "</style><script>window.dedupHostile = 4</script>",
        "</style><b onmouseover=alert(1)>Daily</b>",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "copy'one\"",
    ],
    ids=[
        "script",
        "script-title",
        "attribute-break-out",
        "style-close",
        "outlet-markup",
        "javascript-url",
        "data-url",
        "quotes-in-id",
    ],
)
def test_hostile_text_is_text(hostile_page: tuple[str, ElementTree.Element], literal: str) -> None:
    _, tree = hostile_page
    assert literal in _text(tree)


def test_hostile_input_adds_no_markup(hostile_page: tuple[str, ElementTree.Element]) -> None:
    page, tree = hostile_page
    for tag in ("script", "img", "b", "iframe"):
        assert tree.find(f".//{tag}") is None, tag
    assert len(tree.findall(".//style")) == 1
    attributes = {name for element in tree.iter() for name in element.attrib}
    assert not any(name.startswith("on") for name in attributes)
    links = [a for a in tree.iter("a") if not (a.get("href") or "").startswith("#")]
    assert [a.get("href") for a in links] == ['https://example.com/a?x="onmouseover="alert(1)']
    assert links[0].get("rel") == "noopener noreferrer"
    # The bidi override and the control character are gone; the words around them stay.
    assert "\u202e" not in page and "\x07" not in page
    assert "a note evil with a bidi override and a bell character" in _text(tree)


def test_member_source_and_lineage_tree(hostile_page: tuple[str, ElementTree.Element]) -> None:
    _, tree = hostile_page
    root = tree.find(".//ul[@class='tree']/li")
    assert root is not None
    assert _text(root.find("span")).startswith('Source: wire"><img')  # type: ignore[arg-type]
    children = [_text(li.find("span/bdi")) for li in root.findall("ul/li")]  # type: ignore[arg-type]
    assert children == ["copy'one\"", "copy-two"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بوتين وأردوغان في اجتماع", "rtl"),
        ("Putin and Erdogan meet", "ltr"),
        ("CNN: بوتين وأردوغان في اجتماع مغلق", "rtl"),
        ("2021 - 400", "auto"),
        ("", "auto"),
    ],
    ids=["arabic", "english", "arabic-opening-with-latin", "digits-only", "empty"],
)
def test_direction(text: str, expected: str) -> None:
    assert direction(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("http://example.com", "http://example.com"),
        ("HTTPS://example.com", "HTTPS://example.com"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("/relative/path", None),
        ("https:", None),
        ("http://[::1", None),
        (None, None),
    ],
    ids=[
        "https",
        "http",
        "upper-case-scheme",
        "javascript",
        "javascript-mixed-case",
        "javascript-with-tab",
        "data",
        "relative",
        "no-host",
        "malformed",
        "none",
    ],
)
def test_only_http_urls_are_links(url: str | None, expected: str | None) -> None:
    assert http_url(url) == expected


def test_html_text_escapes_quotes_and_drops_controls() -> None:
    assert html_text("a\"b'c<d>&\x1b[31m\u202eX") == "a&quot;b&#x27;c&lt;d&gt;&amp;[31mX"


def test_diff_page(seeds_report: tuple[Report, list[Diff]]) -> None:
    _, diffs = seeds_report
    tree = _parse(render_diff_html(diffs[:2]))
    assert len(tree.findall(".//section")) == 2
    assert len(tree.findall(".//table[@class='diff']")) == 2
    assert _text(tree.find(".//title")) == "dedup diff: 2 pairs"  # type: ignore[arg-type]


def _run(*arguments: str) -> Any:
    return CliRunner().invoke(main, list(arguments))


def test_report_format_html(seeds_dir: Path) -> None:
    result = _run("report", "--format", "html", "--no-progress", str(seeds_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert result.stdout == (ROOT / "reports" / "seeds.html").read_text(encoding="utf-8")


def test_report_out_html(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "seeds.html"
    result = _run("report", "--no-progress", "--out", str(out), str(seeds_dir))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (ROOT / "reports" / "seeds.html").read_text(
        encoding="utf-8"
    )
    assert "Cluster 1: 4 documents" in result.stdout  # the terminal report, as before


def test_report_out_html_that_cannot_be_written(seeds_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = _run("report", "--no-progress", "--out", str(blocker / "x.html"), str(seeds_dir))
    assert result.exit_code == 2
    assert f"Error: cannot write {blocker / 'x.html'}: {blocker} is not a folder" in result.stderr


@pytest.mark.parametrize(
    ("value", "tables"), [("0", 0), ("1", 4), ("all", 4)], ids=["none", "one", "all"]
)
def test_html_diffs(seeds_dir: Path, value: str, tables: int) -> None:
    result = _run("report", "--format", "html", "--html-diffs", value, str(seeds_dir))
    assert result.exit_code == 0, result.output
    assert len(_parse(result.stdout).findall(".//table[@class='diff']")) == tables


@pytest.mark.parametrize(
    ("value", "message"),
    [("x", "'x' is neither a number nor 'all'"), ("-1", "-1 is below 0")],
    ids=["word", "negative"],
)
def test_html_diffs_wrong_value(seeds_dir: Path, value: str, message: str) -> None:
    result = _run("report", "--format", "html", "--html-diffs", value, str(seeds_dir))
    assert result.exit_code == 2
    assert f"Invalid value for '--html-diffs': {message}" in result.stderr


def test_html_diffs_left_out_are_said(tmp_path: Path, seeds_dir: Path) -> None:
    page = _run("report", "--format", "html", "--html-diffs", "0", str(seeds_dir)).stdout
    note = _text(_parse(page).find(".//header/p[@class='note']"))  # type: ignore[arg-type]
    assert (
        note
        == "Side-by-side diffs for 0 clusters of 1 (dedup report --html-diffs N or all for more)."
    )


def test_diff_format_html(seeds_dir: Path) -> None:
    source, derived = seeds_dir / "004_0182e0fe94a047d4.txt", seeds_dir / "002_4c7a1f67f76e96f4.txt"
    result = _run("diff", "--format", "html", str(source), str(derived))
    assert result.exit_code == 0, result.output
    tree = _parse(result.stdout)
    assert _text(tree.find(".//title")) == "dedup diff: 004_0182e0fe94a047d4 → 002_4c7a1f67f76e96f4"  # type: ignore[arg-type]
    assert tree.find(".//table[@class='diff']//ins") is not None


def test_diff_pairs_format_html(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"id": path.stem[:3], "text": path.read_text(encoding="utf-8")}) + "\n"
            for path in sorted(seeds_dir.glob("*.txt"))
        ),
        encoding="utf-8",
    )
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        '{"source": "004", "derived": "002"}\n{"source": "004", "derived": "nope"}\n'
        '{"source": "004", "derived": "000"}\n',
        encoding="utf-8",
    )
    result = _run("diff", "--format", "html", "--corpus", str(corpus), "--pairs", str(pairs))
    assert result.exit_code == 0, result.output
    tree = _parse(result.stdout)
    assert next(_text(h) for h in tree.iter("h2")).startswith("004 → 002")
    assert len(tree.findall(".//table[@class='diff']")) == 2
    assert "pair skipped" in result.stderr
