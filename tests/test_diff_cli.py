from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dedup.cli import main
from dedup.normalize import words

_SEGMENT_KEYS = {"op", "match", "score", "source_span", "derived_span", "changes"}


def _run(*arguments: str) -> Any:
    return CliRunner().invoke(main, list(arguments))


@pytest.fixture()
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": p.stem[:3], "text": p.read_text(encoding="utf-8")}, ensure_ascii=False)
        for p in sorted(seeds_dir.glob("*.txt"))
    ]
    # CRLF line ends inside a text must survive: spans index the text as read.
    lines.append(json.dumps({"id": "crlf", "text": "First line here.\r\nSecond line, kept.\r\n"}))
    lines.append(
        json.dumps({"id": "lf", "text": "First line here.\nSecond line, kept.\nThird one added.\n"})
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_files_as_json(seeds_dir: Path) -> None:
    source, derived = seeds_dir / "004_0182e0fe94a047d4.txt", seeds_dir / "002_4c7a1f67f76e96f4.txt"
    result = _run("diff", "--format", "json", str(source), str(derived))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "dedup.diff/1"
    assert (document["source"], document["derived"]) == (source.stem, derived.stem)
    source_text = source.read_text(encoding="utf-8").split("\n", 1)[1]
    derived_text = derived.read_text(encoding="utf-8").split("\n", 1)[1]
    operations = [segment["op"] for segment in document["segments"]]
    assert {"same", "edited", "moved", "added", "dropped"} <= set(operations)
    for segment in document["segments"]:
        assert set(segment) == _SEGMENT_KEYS
        if segment["op"] == "same":
            left = source_text[slice(*segment["source_span"])]
            right = derived_text[slice(*segment["derived_span"])]
            assert words(left) == words(right)
        if segment["op"] == "added":
            assert segment["source_span"] is None and segment["derived_span"] is not None
        if segment["op"] == "dropped":
            assert segment["derived_span"] is None and segment["source_span"] is not None


def test_ids_in_a_corpus_with_crlf_offsets(corpus: Path) -> None:
    result = _run("diff", "--format", "json", "--corpus", str(corpus), "crlf", "lf")
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)["segments"]
    assert [s["op"] for s in segments] == ["same", "same", "added"]
    crlf_text = "First line here.\r\nSecond line, kept.\r\n"
    assert crlf_text[slice(*segments[1]["source_span"])] == "Second line, kept."


def test_text_view_marks_every_segment(corpus: Path) -> None:
    result = _run("diff", "--corpus", str(corpus), "crlf", "lf")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "crlf → lf: 2 same, 1 added"
    assert "+ added" in result.stdout and "Third one added." in result.stdout


def test_many_pairs_as_json_lines(tmp_path: Path, corpus: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        '{"source": "000", "derived": "001"}\n{"source": "000", "derived": "nope"}\n'
        'not json\n{"source": "crlf", "derived": "lf"}\n' + "[" * 5000 + "]" * 5000 + "\n",
        encoding="utf-8",
    )
    result = _run("diff", "--format", "json", "--corpus", str(corpus), "--pairs", str(pairs))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [(json.loads(line)["source"], json.loads(line)["derived"]) for line in lines] == [
        ("000", "001"),
        ("crlf", "lf"),
    ]
    warnings = result.stderr.splitlines()
    assert warnings[0] == (
        f"warning: {pairs}:2: skipped: no document 'nope' in {corpus}; pair skipped"
    )
    assert warnings[1].startswith(f"warning: {pairs}:3: skipped: malformed JSON")
    assert warnings[2] == f"warning: {pairs}:5: skipped: malformed JSON (nested too deeply)"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["only-one.txt"], "give SOURCE and DERIVED"),
        (["--pairs", "PAIRS"], "--pairs needs --corpus"),
    ],
    ids=["one-document", "pairs-without-corpus"],
)
def test_usage_errors_exit_2(tmp_path: Path, arguments: list[str], message: str) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("", encoding="utf-8")
    result = _run("diff", *[str(pairs) if a == "PAIRS" else a for a in arguments])
    assert result.exit_code == 2
    assert message in result.stderr


def test_unknown_id_exits_2(corpus: Path) -> None:
    result = _run("diff", "--corpus", str(corpus), "000", "999")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: no document '999' in {corpus}"


def test_markup_in_text_is_literal(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    derived = tmp_path / "b.txt"
    source.write_text("Headline\n[bold]Not markup[/bold] in the text, said the \x1b[31mofficial.\n")
    derived.write_text("Headline\n[bold]Not markup[/bold] in the text, said an \x1b[31mofficial.\n")
    result = _run("diff", str(source), str(derived))
    assert result.exit_code == 0, result.output
    assert "[bold]Not markup[/bold]" in result.stdout
    assert "\x1b" not in result.stdout


def _long_text(sentences: int) -> str:
    return " ".join(f"Officials counted {n} ballots in ward {n % 97}." for n in range(sentences))


def test_documents_too_long_to_align_exit_2_naming_them(tmp_path: Path) -> None:
    corpus = tmp_path / "long.jsonl"
    rows = [{"id": name, "text": _long_text(2_001)} for name in ("first", "second")]
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = _run("diff", "--corpus", str(corpus), "first", "second")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: first vs second: 2,001 sentences: sentence alignment takes documents of up "
        "to 2,000 (a long news feature has a few hundred)\n"
    )


def test_a_cluster_too_long_to_align_is_reported_without_lineage(tmp_path: Path) -> None:
    feed = tmp_path / "long.jsonl"
    rows = [{"id": name, "text": _long_text(2_001)} for name in ("first", "second")]
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = _run("report", "--format", "json", str(feed))
    assert result.exit_code == 0, result.output
    (cluster,) = json.loads(result.stdout)["clusters"]
    assert cluster["members"] == ["first", "second"] and cluster["source"] is None
    assert result.stderr == (
        "warning: cluster 1: lineage not traced: a member has more than 2,000 sentences, "
        "too many to align\n"
    )


def test_a_repeated_id_in_the_corpus_is_warned_about_and_the_first_kept(tmp_path: Path) -> None:
    corpus = tmp_path / "twice.jsonl"
    rows = [
        {"id": "a", "text": "The minister resigned on Monday."},
        {"id": "b", "text": "The minister resigned on Monday night."},
        {"id": "a", "text": "Something else entirely."},
    ]
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = _run("diff", "--format", "json", "--corpus", str(corpus), "a", "b")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {corpus}:3: skipped: id 'a' was already at {corpus}:1\n"
    assert json.loads(result.stdout)["segments"][0]["op"] == "edited"
