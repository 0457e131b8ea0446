"""``dedup check`` results for CI systems: JUnit XML, SARIF 2.1.0, GitHub workflow
annotations and a Markdown job summary, all written with the standard library."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from dedup import __version__
from dedup.check import CheckResult, is_finding
from dedup.models import STDIN_NAME, Skipped
from dedup.render.safe import printable

#: GitHub shows at most 10 warning annotations per step; past that, the rest are
#: summarized in the tenth.
GITHUB_ANNOTATION_LIMIT = 10
#: GitHub drops a job summary over 1 MiB; the Markdown stops short of it.
MARKDOWN_LIMIT_BYTES = 1_000_000
_RULES = {
    "exact duplicate": ("exact-duplicate", "The item repeats a document seen before."),
    "syndicated copy": ("syndicated-copy", "The item rewrites a document seen before."),
    "skipped": ("skipped-input", "An input item could not be read and was not checked."),
}


def _describe(result: CheckResult) -> str:
    """One line: the verdict, the best match and the credit."""
    best = result.matches[0]
    where = "in the index" if best.where == "index" else "in this batch"
    if result.wire:
        credit = "wire copy"
    else:
        agencies = ", ".join(dict.fromkeys(c.agency for c in result.credits)) or "no agency"
        credit = f"credits {agencies}"
    return (
        f"{result.verdict} of {best.id} {where} (containment {best.containment:.2f}, "
        f"Jaccard {best.jaccard:.2f}); {credit}"
    )


def _path_and_line(source: str) -> tuple[str, int | None]:
    """The file and line of an item's source: ``path:line`` for JSON Lines, ``path#n``
    for the n-th entry of a feed (a file, no line), else the path."""
    path, _, line = source.rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    path, _, entry = source.rpartition("#")
    if path and entry.isdigit():
        return path, None
    return source, None


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """``text`` printable and with only the characters XML 1.0 allows (U+FFFE, U+FFFF
    and lone surrogates make a file no XML parser reads)."""
    return _NOT_XML.sub("", printable(text))


def _uri(path: str) -> str:
    """A path as a SARIF artifact URI: percent-encoded, ``file://`` when absolute;
    standard input is ``stdin``."""
    if path == STDIN_NAME:
        return "stdin"
    if PurePath(path).is_absolute():
        return Path(path).as_uri()
    return quote(path.replace("\\", "/"))


def render_junit(
    results: Sequence[CheckResult], policy: str, skipped: Sequence[Skipped] = ()
) -> str:
    """One test case per item; findings under ``policy`` are failures, and each input
    item that could not be read is a test case in error."""
    findings = [r for r in results if is_finding(r, policy)]
    suites = ElementTree.Element("testsuites", name="dedup check")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="dedup check",
        tests=str(len(results) + len(skipped)),
        failures=str(len(findings)),
        errors=str(len(skipped)),
        skipped="0",
    )
    for item in skipped:
        path, _ = _path_and_line(item.source)
        case = ElementTree.SubElement(
            suite, "testcase", classname="dedup.check", name=_xml_text(item.source), file=path
        )
        ElementTree.SubElement(
            case, "error", type="skipped", message=_xml_text(f"not read: {item.reason}")
        )
    for result in results:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname="dedup.check",
            name=_xml_text(result.article.id),
            file=_xml_text(_path_and_line(result.article.source)[0]),
        )
        if is_finding(result, policy):
            failure = ElementTree.SubElement(
                case, "failure", type=result.verdict, message=_xml_text(_describe(result))
            )
            failure.text = "\n".join(
                _xml_text(f"{m.id} ({m.where}): containment {m.containment}, Jaccard {m.jaccard}")
                for m in result.matches
            )
        elif result.verdict != "new":
            ElementTree.SubElement(case, "system-out").text = _xml_text(_describe(result))
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def render_junit_failure(message: str) -> str:
    """A JUnit report of a check that could not run: one test case in error."""
    suites = ElementTree.Element("testsuites", name="dedup check")
    suite = ElementTree.SubElement(
        suites, "testsuite", name="dedup check", tests="1", failures="0", errors="1"
    )
    case = ElementTree.SubElement(suite, "testcase", classname="dedup.check", name="dedup check")
    ElementTree.SubElement(case, "error", type="not run", message=_xml_text(message))
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def render_sarif(
    results: Sequence[CheckResult], policy: str, skipped: Sequence[Skipped] = ()
) -> str:
    """A SARIF 2.1.0 log: one result per item with a match (findings are errors), and a
    warning per input item that could not be read."""
    sarif_results: list[dict[str, Any]] = []
    for item in skipped:
        path, line = _path_and_line(item.source)
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(path)}}
        if line is not None:
            location["region"] = {"startLine": line}
        sarif_results.append(
            {
                "ruleId": _RULES["skipped"][0],
                "level": "warning",
                "message": {"text": printable(f"not read: {item.reason}")},
                "locations": [{"physicalLocation": location}],
            }
        )
    for result in results:
        if result.verdict == "new":
            continue
        path, line = _path_and_line(result.article.source)
        location = {"artifactLocation": {"uri": _uri(path)}}
        if line is not None:
            location["region"] = {"startLine": line}
        sarif_results.append(
            {
                "ruleId": _RULES[result.verdict][0],
                "level": "error" if is_finding(result, policy) else "warning",
                "message": {"text": printable(f"{result.article.id}: {_describe(result)}")},
                "locations": [{"physicalLocation": location}],
                "properties": {
                    "id": result.article.id,
                    "matches": [m.id for m in result.matches],
                    "credited": result.credited,
                },
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dedup",
                        "version": __version__,
                        "rules": [
                            {"id": rule, "shortDescription": {"text": text}}
                            for rule, text in _RULES.values()
                        ],
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(level: str, source: str, title: str, message: str) -> str:
    path, line = _path_and_line(source)
    properties = f"file={_escape_property(printable(path))}"
    if line is not None:
        properties += f",line={line}"
    properties += f",title={_escape_property(printable(title))}"
    return f"::{level} {properties}::{_escape_data(printable(message))}"


def render_github(
    results: Sequence[CheckResult],
    policy: str,
    skipped: Sequence[Skipped] = (),
    fail_on_skipped: bool = False,
) -> str:
    """Workflow annotation lines: errors for findings (and, with ``fail_on_skipped``,
    for items not read), warnings for the rest; errors first, since GitHub shows ten
    per step: past ten, the rest are counted in one last annotation."""
    annotations: list[tuple[bool, str]] = [
        (
            is_finding(result, policy),
            _annotation(
                "error" if is_finding(result, policy) else "warning",
                result.article.source,
                result.verdict,
                f"{result.article.id}: {_describe(result)}",
            ),
        )
        for result in results
        if result.verdict != "new"
    ]
    annotations += [
        (
            fail_on_skipped,
            _annotation(
                "error" if fail_on_skipped else "warning",
                item.source,
                "skipped",
                f"not read: {item.reason}",
            ),
        )
        for item in skipped
    ]
    annotations.sort(key=lambda annotation: not annotation[0])  # stable: errors first
    limit = GITHUB_ANNOTATION_LIMIT
    shown = annotations if len(annotations) <= limit else annotations[: limit - 1]
    lines = [line for _, line in shown]
    if len(annotations) > len(shown):
        rest = annotations[len(shown) :]
        errors = sum(error for error, _ in rest)
        lines.append(
            f"::warning title=dedup::{len(rest)} more annotations ({errors} errors); "
            "see the JSON or Markdown output"
        )
    return "".join(line + "\n" for line in lines)


def _cell(text: str) -> str:
    """Untrusted text as a Markdown table cell: a code span, in which GitHub renders no
    HTML, link, image or emphasis, with its pipes escaped for the table."""
    text = " ".join(printable(text).split())
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}".replace("|", "\\|")


def render_markdown(
    results: Sequence[CheckResult], policy: str, skipped: Sequence[Skipped] = ()
) -> str:
    """A job summary: counts, the input items not read, then a table of the items that
    matched, under 1 MiB."""
    findings = sum(is_finding(r, policy) for r in results)
    flagged = [r for r in results if r.verdict != "new"]
    header = (
        f"## dedup check\n\n{len(results)} items: {len(results) - len(flagged)} new, "
        f"{sum(r.verdict == 'syndicated copy' for r in results)} syndicated copies, "
        f"{sum(r.verdict == 'exact duplicate' for r in results)} exact duplicates; "
        f"**{findings} findings** under `--fail-on {policy}`."
    )
    if skipped:
        header += f"\n\n**{len(skipped)} input items were not read:**\n\n" + "\n".join(
            f"- {_cell(item.source)}: {_cell(item.reason)}" for item in skipped[:100]
        )
        if len(skipped) > 100:
            header += f"\n- and {len(skipped) - 100} more"
    if not flagged:
        return header + "\n"
    lines = [
        header,
        "",
        "| item | verdict | best match | containment | Jaccard | credit |",
        "|---|---|---|---|---|---|",
    ]
    size = sum(len(line.encode()) + 1 for line in lines)
    for number, result in enumerate(flagged):
        best = result.matches[0]
        credit = result.credit_label
        verdict = f"**{result.verdict}**" if is_finding(result, policy) else result.verdict
        row = (
            f"| {_cell(result.article.id)} | {verdict} | {_cell(best.id)} ({best.where}) "
            f"| {best.containment:.2f} | {best.jaccard:.2f} | {_cell(credit)} |"
        )
        if size + len(row.encode()) + 200 > MARKDOWN_LIMIT_BYTES:
            left = len(flagged) - number
            lines.append(f"\n{left} more items left out to stay under GitHub's 1 MiB limit.")
            break
        lines.append(row)
        size += len(row.encode()) + 1
    return "\n".join(lines) + "\n"
