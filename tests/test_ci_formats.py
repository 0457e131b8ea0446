from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dedup.check import CheckMatch, CheckResult
from dedup.cli import main
from dedup.models import Article
from dedup.render.ci import (
    GITHUB_ANNOTATION_LIMIT,
    MARKDOWN_LIMIT_BYTES,
    render_github,
    render_junit,
    render_markdown,
    render_sarif,
)


@pytest.fixture()
def index_path(tmp_path: Path, seeds_dir: Path) -> Path:
    path = tmp_path / "dedup.db"
    (seed,) = seeds_dir.glob("004_*.txt")
    assert (
        CliRunner().invoke(main, ["index", "add", "--index", str(path), str(seed)]).exit_code == 0
    )
    return path


def _check(index_path: Path, seeds_dir: Path, output_format: str, policy: str = "any") -> Any:
    sources = [str(p) for p in sorted(seeds_dir.glob("00[0-3]_*.txt"))]
    return CliRunner().invoke(
        main,
        [
            "check",
            "--index",
            str(index_path),
            "--format",
            output_format,
            "--fail-on",
            policy,
            *sources,
        ],
    )


def test_junit_parses_with_a_failure_per_finding(index_path: Path, seeds_dir: Path) -> None:
    result = _check(index_path, seeds_dir, "junit")
    assert result.exit_code == 1
    root = ElementTree.fromstring(result.stdout.encode())
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "4" and suite.get("failures") == "3"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases["003_2171f8ed50ffc6de"].find("failure") is None
    failure = cases["000_e43f006f387591b2"].find("failure")
    assert failure is not None and failure.get("type") == "syndicated copy"
    assert "004_0182e0fe94a047d4" in (failure.get("message") or "")


def test_sarif_has_the_required_keys(index_path: Path, seeds_dir: Path) -> None:
    log = json.loads(_check(index_path, seeds_dir, "sarif", "uncredited").stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "dedup"
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    levels = {}
    for sarif_result in run["results"]:
        assert sarif_result["ruleId"] in rules
        assert sarif_result["message"]["text"]
        uri = sarif_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        levels[Path(uri).name[:3]] = sarif_result["level"]
    # 000 credits nobody: an error under --fail-on uncredited; 001 and 002 credit Reuters.
    assert levels == {"000": "error", "001": "warning", "002": "warning"}


def test_github_annotations(index_path: Path, seeds_dir: Path) -> None:
    lines = _check(index_path, seeds_dir, "github", "duplicate").stdout.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("::warning file=") for line in lines)
    assert ",title=syndicated copy::000_e43f006f387591b2: syndicated copy of 004" in lines[0]


def _result(number: int, verdict: str = "syndicated copy") -> CheckResult:
    match = CheckMatch("wire-1", "index", "Reuters", None, 0.5, 0.3, 40)
    article = Article(id=f"item,{number}\n%", text="x", source=f"feed.jsonl:{number}")
    return CheckResult(article, verdict, (match,), ())


def test_github_summarizes_past_ten_and_escapes() -> None:
    lines = render_github([_result(n) for n in range(25)], "any").splitlines()
    assert len(lines) == GITHUB_ANNOTATION_LIMIT
    first = "::error file=feed.jsonl,line=0,title=syndicated copy::item,0 %25:"
    assert lines[0].startswith(first)
    assert lines[-1] == (
        "::warning title=dedup::16 more annotations (16 errors); see the JSON or Markdown output"
    )


def test_markdown_stays_under_a_mebibyte() -> None:
    results = [_result(n) for n in range(20_000)]
    text = render_markdown(results, "duplicate")
    assert len(text.encode()) < MARKDOWN_LIMIT_BYTES
    assert "more items left out to stay under GitHub's 1 MiB limit." in text
    assert text.startswith("## dedup check\n\n20000 items: 0 new, 20000 syndicated copies")


def _hostile(identifier: str, source: str = "feed.jsonl:3") -> CheckResult:
    match = CheckMatch("wire <b>1</b>", "index", "Reuters", None, 0.5, 0.3, 40)
    article = Article(id=identifier, text="x", source=source)
    return CheckResult(article, "exact duplicate", (match,), ())


def test_markdown_cells_render_no_html_link_or_image() -> None:
    hostile = "<img src=x onerror=alert(1)> [click](http://evil.example) ![i](http://e/t.png) a|b"
    text = render_markdown([_hostile(hostile), _hostile("``tick`` `x")], "any")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows[0].startswith(
        "| `<img src=x onerror=alert(1)> [click](http://evil.example) "
        "![i](http://e/t.png) a\\|b` | **exact duplicate** | `wire <b>1</b>` (index) |"
    )
    # A code span fenced by more backticks than the text holds, padded when it starts
    # or ends with one.
    assert rows[1].startswith("| ``` ``tick`` `x ``` |")


def test_junit_drops_what_xml_cannot_hold() -> None:
    text = render_junit([_hostile("item\ufffe\uffff</testcase>]]>")], "any")
    case = ElementTree.fromstring(text.encode()).find("testsuite/testcase")
    assert case is not None and case.get("name") == "item</testcase>]]>"


@pytest.mark.parametrize(
    ("source", "uri", "file"),
    [
        ("we ird #1 %41.jsonl:7", "we%20ird%20%231%20%2541.jsonl", "we ird #1 %2541.jsonl"),
        ("feeds/wire.rss#3", "feeds/wire.rss", "feeds/wire.rss"),
        ("/srv/in/a b.jsonl:2", "file:///srv/in/a%20b.jsonl", "/srv/in/a b.jsonl"),
    ],
)
def test_sarif_uris_and_github_files_name_the_file(source: str, uri: str, file: str) -> None:
    log = json.loads(render_sarif([_hostile("x", source)], "any"))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == uri
    assert render_github([_hostile("x", source)], "any").startswith(f"::error file={file},")


def _skipping_feed(tmp_path: Path, seeds_dir: Path) -> Path:
    """Two seed stories that copy each other and a malformed line between them."""
    texts = {p.stem[:3]: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "a", "text": texts["000"]}) + "\n{broken\n"
        + json.dumps({"id": "b", "text": texts["004"]}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    return feed


def test_skipped_items_are_listed_in_every_format_and_can_fail_the_step(
    tmp_path: Path, seeds_dir: Path
) -> None:
    feed = _skipping_feed(tmp_path, seeds_dir)
    index = str(tmp_path / "dedup.db")
    base = ["check", "--index", index, "--add", "--fail-on", "none"]
    outs = [tmp_path / name for name in ("r.json", "r.xml", "r.sarif", "r.md", "r.txt")]
    out_options = [option for path in outs for option in ("--out", str(path))]
    result = CliRunner().invoke(main, [*base, "--format", "github", *out_options, str(feed)])
    assert result.exit_code == 0, result.output  # fail_on none: a skip alone passes
    where = f"{feed}:2"
    data = json.loads(outs[0].read_text())
    assert data["summary"]["skipped"] == 1 and data["skipped"][0]["source"] == where
    suite = ElementTree.parse(outs[1]).getroot().find("testsuite")
    assert suite is not None and suite.get("errors") == "1" and suite.get("tests") == "3"
    sarif = json.loads(outs[2].read_text())["runs"][0]["results"]
    assert [r["ruleId"] for r in sarif].count("skipped-input") == 1
    assert "1 input items were not read" in outs[3].read_text()
    assert "Skipped: 1 items" in outs[4].read_text() and where in outs[4].read_text()
    annotations = result.stdout.splitlines()
    assert any(line.startswith("::warning") and "title=skipped" in line for line in annotations)
    # --fail-on-skipped: the step fails, and the skip is an error, shown first.
    strict = CliRunner().invoke(main, [*base, "--fail-on-skipped", "--format", "github", str(feed)])
    assert strict.exit_code == 1, strict.output
    assert strict.stdout.splitlines()[0].startswith("::error") and "title=skipped" in strict.stdout


def test_github_annotations_show_the_errors_first() -> None:
    from dedup.render.ci import render_github

    def result(number: int, exact: bool) -> CheckResult:
        match = CheckMatch(f"m{number}", "index", None, None, 0.9, 0.95 if exact else 0.3, 50)
        verdict = "exact duplicate" if exact else "syndicated copy"
        return CheckResult(Article(id=f"i{number}", text="t"), verdict, (match,), ())

    results = [result(n, exact=n >= 12) for n in range(15)]  # 12 warnings, then 3 errors
    lines = render_github(results, "duplicate").splitlines()
    assert len(lines) == 10
    assert [line.split()[0] for line in lines[:3]] == ["::error"] * 3
    assert lines[-1].startswith("::warning title=dedup::6 more annotations (0 errors)")


def test_junit_says_why_when_the_check_could_not_run(tmp_path: Path, seeds_dir: Path) -> None:
    (story,) = seeds_dir.glob("000_*.txt")
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(
        main, ["check", "--index", str(missing), "--format", "junit", str(story)]
    )
    assert result.exit_code == 3
    suite = ElementTree.fromstring(result.stdout).find("testsuite")
    assert suite is not None and suite.get("errors") == "1"
    error = suite.find("testcase/error")
    assert error is not None and f"no index at {missing}" in (error.get("message") or "")


def test_sarif_names_standard_input_stdin(tmp_path: Path, seeds_dir: Path) -> None:
    (story,) = seeds_dir.glob("000_*.txt")
    line = json.dumps({"id": "copy", "text": story.read_text(encoding="utf-8")}) + "\n"
    index = str(tmp_path / "dedup.db")
    assert CliRunner().invoke(main, ["index", "add", "--index", index, str(story)]).exit_code == 0
    result = CliRunner().invoke(
        main, ["check", "--index", index, "--format", "sarif", "-"], input=line
    )
    (sarif_result,) = json.loads(result.stdout)["runs"][0]["results"]
    location = sarif_result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "stdin"
