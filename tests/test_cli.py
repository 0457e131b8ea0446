from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from dedup.cli import main

_MALFORMED = "malformed JSON: Expecting property name enclosed in double quotes at column 2"
_DOCUMENT_KEYS = {
    "no_article_text",
    "id",
    "source",
    "title",
    "outlet",
    "url",
    "published",
    "word_count",
    "teaser",
    "credits",
    "boilerplate",
    "cluster",
    "wire",
}


def _run(*arguments: str, input: bytes | None = None) -> Any:
    return CliRunner().invoke(main, list(arguments), input=input)


def test_report_on_the_seeds(seeds_dir: Path) -> None:
    result = _run("report", str(seeds_dir))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "5 documents read, 0 skipped, 1 cluster (4 documents), 1 unmatched"
    assert "Cluster 1: 4 documents, 6 verified matches" in result.stdout
    assert "Unmatched: 1 document" in result.stdout


def test_json_report_follows_the_documented_schema(
    seeds_dir: Path, seeds_expected: dict[str, Any]
) -> None:
    result = _run("report", "--format", "json", str(seeds_dir))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {
        "schema",
        "summary",
        "settings",
        "documents",
        "clusters",
        "links",
        "unmatched",
        "skipped",
    }
    assert report["schema"] == "dedup.report/1"
    assert report["summary"] == {
        "documents": 5,
        "skipped": 0,
        "clusters": 1,
        "unmatched": 1,
        "links": 0,
    }
    assert report["links"] == []
    for document in report["documents"]:
        assert set(document) == _DOCUMENT_KEYS
        assert isinstance(document["word_count"], int) and document["word_count"] > 300
    (cluster,) = report["clusters"]
    assert set(cluster) == {
        "id",
        "center",
        "members",
        "edges",
        "source",
        "wire_versions",
        "reconstructed_wire",
        "lineage",
        "member_shares",
    }
    assert [cluster["members"]] == seeds_expected["clusters"]
    assert report["unmatched"] == seeds_expected["unmatched"]
    for edge in cluster["edges"]:
        assert set(edge) == {"first", "second", "containment", "jaccard", "shared_shingles"}
        assert edge["first"] < edge["second"]
    clustered = [d["id"] for d in report["documents"] if d["cluster"] == "1"]
    assert clustered == cluster["members"]


def test_json_report_lists_credits(seeds_dir: Path) -> None:
    report = json.loads(_run("report", "--format", "json", str(seeds_dir)).stdout)
    credited = {
        d["id"][:3]: sorted({c["agency"] for c in d["credits"]}) for d in report["documents"]
    }
    assert credited == {
        "000": [],
        "001": ["Reuters"],
        "002": ["Reuters", "TASS"],
        "003": [],
        "004": ["Bloomberg", "Reuters"],
    }
    (dateline,) = [c for c in report["documents"][1]["credits"] if c["where"] == "dateline"]
    assert dateline == {"agency": "Reuters", "where": "dateline", "evidence": "(رويترز) –"}


def test_lineage_tree_and_detail(seeds_dir: Path) -> None:
    result = _run("report", "--detail", str(seeds_dir))
    assert result.exit_code == 0, result.output
    assert "Source: reconstructed wire (" in result.stdout
    assert "reconstructed → 000_e43f006f387591b2:" in result.stdout
    assert result.stdout.count("reconstructed → ") == 4


def test_wire_option_names_the_source(seeds_dir: Path) -> None:
    result = _run(
        "report",
        "--format",
        "json",
        "--wire",
        "004_0182e0fe94a047d4",
        "--wire",
        "x",
        str(seeds_dir),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["clusters"][0]["source"] == "004_0182e0fe94a047d4"
    assert result.stderr.strip() == "warning: --wire x: no such document"


def test_no_lineage(seeds_dir: Path) -> None:
    result = _run("report", "--format", "json", "--no-lineage", str(seeds_dir))
    cluster = json.loads(result.stdout)["clusters"][0]
    assert cluster["source"] is None and cluster["lineage"] == []


def test_markup_and_control_characters_print_literally(tmp_path: Path) -> None:
    text = "[bold red]not markup[/] [real_title] \x1b[31mred\x1b[0m \u202eevil"
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "[link]x", "title": text, "text": "body words here"}) + "\n")
    result = _run("report", str(feed))
    assert result.exit_code == 0, result.output
    assert "[link]x" in result.stdout
    assert "[bold red]not" in result.stdout and "[real_title]" in result.stdout
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def _dated_round_up_feed(seeds_dir: Path, path: Path) -> Path:
    """The seeds dated (003 in 2019, the others in 2021) and a round-up pasting half of
    003 and half of 000, as JSON Lines."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}
    rows = [
        {"id": stem, "text": text, "published": "2019-04-09" if stem[:3] == "003" else "2021-09-30"}
        for stem, text in texts.items()
    ]
    story, rewrite = texts["003_2171f8ed50ffc6de"], texts["000_e43f006f387591b2"]
    round_up = story[: len(story) // 2] + "\n\n" + rewrite[len(rewrite) // 2 :]
    rows.append({"id": "round-up", "text": round_up, "published": "2021-10-01"})
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


def test_matches_kept_out_of_clusters_are_reported(tmp_path: Path, seeds_dir: Path) -> None:
    feed = _dated_round_up_feed(seeds_dir, tmp_path / "dated.jsonl")
    result = _run("report", "--format", "json", "--no-lineage", str(feed))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [c["members"] for c in report["clusters"]] == [
        [
            "000_e43f006f387591b2",
            "001_903efb68cadcd327",
            "002_4c7a1f67f76e96f4",
            "004_0182e0fe94a047d4",
        ],
        ["003_2171f8ed50ffc6de", "round-up"],
    ]
    # The round-up's matches with the 2021 rewrites are kept, between clusters 1 and 2
    # (with the separate translation 001 too: it shares 20 or more 3-grams with it).
    assert report["summary"]["links"] == 4
    assert [(x["first"], x["first_cluster"], x["second_cluster"]) for x in report["links"]] == [
        ("000_e43f006f387591b2", "1", "2"),
        ("001_903efb68cadcd327", "1", "2"),
        ("002_4c7a1f67f76e96f4", "1", "2"),
        ("004_0182e0fe94a047d4", "1", "2"),
    ]
    assert all(x["second"] == "round-up" and x["shared_shingles"] >= 8 for x in report["links"])
    text = " ".join(_run("report", "--no-lineage", str(feed)).stdout.split())
    assert "0 unmatched, 4 matches kept out of clusters" in text
    assert "Kept out of clusters by the chaining guard: 4 verified matches" in text


def test_seed_003_headline_and_text_survive_in_json(seeds_dir: Path) -> None:
    report = json.loads(_run("report", "--format", "json", str(seeds_dir)).stdout)
    titles = {d["id"]: d["title"] for d in report["documents"]}
    assert titles["003_2171f8ed50ffc6de"] == "حول الأزمة السورية.. هذا ما اتفق عليه بوتين وأردوغان"


def test_bad_items_warn_and_the_run_goes_on(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "feed.jsonl").write_bytes(b'{"id": "a", "text": "x"}\n{broken\n')
    result = _run("report", "--format", "json", str(tmp_path), str(seeds_dir))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"warning: {tmp_path / 'empty.txt'}: skipped: empty text",
        f"warning: {tmp_path / 'feed.jsonl'}:2: skipped: malformed JSON: "
        "Expecting property name enclosed in double quotes at column 2",
    ]
    report = json.loads(result.stdout)
    assert report["summary"]["documents"] == 6
    assert report["skipped"] == [
        {"source": str(tmp_path / "empty.txt"), "reason": "empty text"},
        {
            "source": f"{tmp_path / 'feed.jsonl'}:2",
            "reason": _MALFORMED,
        },
    ]


@pytest.mark.parametrize("command", ["report", "index add", "check", "calibrate"])
def test_nothing_readable_exits_2_saying_why_each_item_was_skipped(
    tmp_path: Path, seeds_dir: Path, command: str
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "empty.txt").write_bytes(b"")
    (incoming / "headline.txt").write_text("Only a headline\n", encoding="utf-8")
    index = tmp_path / "seen.db"
    assert _run("index", "add", str(seeds_dir), "--index", str(index)).exit_code == 0
    (tmp_path / "truth.json").write_text('{"pairs": []}', encoding="utf-8")
    options = {
        "report": [],
        "index add": ["--index", str(index)],
        "check": ["--index", str(index)],
        "calibrate": ["--truth", str(tmp_path / "truth.json")],
    }[command]
    result = _run(*command.split(), str(incoming), *options)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"warning: {incoming / 'empty.txt'}: skipped: empty text",
        f"warning: {incoming / 'headline.txt'}: skipped: has a headline but no body text",
        f"Error: no readable articles in {incoming} (2 item(s) skipped)",
    ]


def test_duplicate_ids_exit_2_naming_both(tmp_path: Path, seeds_dir: Path) -> None:
    copy = tmp_path / "000_e43f006f387591b2.txt"
    copy.write_bytes((seeds_dir / "000_e43f006f387591b2.txt").read_bytes())
    result = _run("report", str(seeds_dir), str(copy))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: duplicate document id '000_e43f006f387591b2': in "
        f"{seeds_dir / '000_e43f006f387591b2.txt'} and in {copy}"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--min-containment", "1.5"], "Invalid value for '--min-containment'"),
        (["--shingle-size", "0"], "Invalid value for '--shingle-size'"),
        (["--format", "xml"], "Invalid value for '--format'"),
        (
            ["--out", "report.pdf"],
            "Invalid value for --out: report.pdf must end in .json, .txt or .html",
        ),
    ],
    ids=["containment-above-one", "shingle-size-zero", "unknown-format", "unknown-out-suffix"],
)
def test_wrong_options_exit_2(seeds_dir: Path, arguments: list[str], message: str) -> None:
    result = _run("report", *arguments, str(seeds_dir))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_no_path_exits_2() -> None:
    result = _run("report")
    assert result.exit_code == 2
    assert "Missing argument 'PATH...'" in result.stderr


def test_stdin_jsonl(seeds_dir: Path) -> None:
    lines = [
        json.dumps({"id": path.stem, "text": path.read_text(encoding="utf-8")}, ensure_ascii=False)
        for path in sorted(seeds_dir.glob("*.txt"))
    ]
    result = _run("report", "--format", "json", "-", input="\n".join(lines).encode())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["clusters"] == 1


@pytest.mark.parametrize("suffix", [".json", ".txt"])
def test_out_writes_the_report(tmp_path: Path, seeds_dir: Path, suffix: str) -> None:
    out = tmp_path / "nested" / f"seeds{suffix}"
    result = _run("report", "--out", str(out), str(seeds_dir))
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    # The mode a new file gets (the umask applied), not mkstemp's private 0600.
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    if suffix == ".json":
        assert json.loads(written)["schema"] == "dedup.report/1"
    else:
        assert written.startswith(
            "5 documents read, 0 skipped, 1 cluster (4 documents), 1 unmatched"
        )


def test_an_out_that_cannot_be_written_exits_2_and_the_others_are_written(
    tmp_path: Path, seeds_dir: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    bad, good = blocker / "seeds.json", tmp_path / "seeds.txt"
    result = _run("report", "--out", str(bad), "--out", str(good), str(seeds_dir))
    assert result.exit_code == 2
    assert result.stderr == f"Error: cannot write {bad}: {blocker} is not a folder\n"
    assert good.read_text(encoding="utf-8").startswith("5 documents read")


def test_threshold_options_change_the_grouping(seeds_dir: Path) -> None:
    result = _run(
        "report",
        "--format",
        "json",
        "--min-containment",
        "0.5",
        "--many-shared-shingles",
        "20",
        str(seeds_dir),
    )
    report = json.loads(result.stdout)
    assert report["clusters"][0]["members"] == [
        "000_e43f006f387591b2",
        "002_4c7a1f67f76e96f4",
        "004_0182e0fe94a047d4",
    ]
    assert report["settings"]["min_containment"] == 0.5


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(main), ids=[n for n, _ in _commands(main)])
def test_every_command_has_help_and_is_documented(name: str, command: click.Command) -> None:
    assert command.help and len(command.help) > 40
    result = _run(*name.split(), "--help")
    assert result.exit_code == 0
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"dedup {name}" in readme


def test_url_ids_fold_instead_of_pushing_columns_out(tmp_path: Path, seeds_dir: Path) -> None:
    rows = [
        {
            "id": f"https://www.example-news-site.com/world/2021/09/30/long-slug-of-item-{n}",
            "text": path.read_text(encoding="utf-8"),
            "outlet": "Example News",
        }
        for n, path in enumerate(sorted(seeds_dir.glob("*.txt")))
    ]
    feed = tmp_path / "urls.jsonl"
    feed.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    result = CliRunner().invoke(main, ["report", "--no-lineage", str(feed)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "Document" in line)
    for column in ("Headline", "Outlet", "Words", "Credit", "Cont./Jacc."):
        assert column in header
    # Each id is shown whole, folded: no two are cut to the same prefix.
    for n in range(5):
        assert f"item-{n} " in result.stdout
