from __future__ import annotations

from pathlib import Path

import pytest

from dedup.credit import agency_names, find_credits


def _credits(text: str) -> list[tuple[str, str]]:
    return [(credit.agency, credit.where) for credit in find_credits(text)]


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("000", []),
        ("001", [("Reuters", "dateline")]),
        ("002", [("TASS", "attribution"), ("Reuters", "attribution")]),
        ("003", []),
        ("004", [("Reuters", "caption"), ("Reuters", "dateline"), ("Bloomberg", "attribution")]),
    ],
    ids=[
        "000-uncredited",
        "001-dateline",
        "002-in-text",
        "003-other-story",
        "004-caption-dateline",
    ],
)
def test_seeds(seeds_dir: Path, seed: str, expected: list[tuple[str, str]]) -> None:
    (path,) = seeds_dir.glob(f"{seed}_*.txt")
    assert _credits(path.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LONDON (Reuters) - Oil prices rose.", [("Reuters", "dateline")]),
        ("WASHINGTON (AP) — The Senate voted.", [("Associated Press", "dateline")]),
        ("العنوان\nموسكو - رويترز\nقال", [("Reuters", "dateline")]),
        ("(أ ف ب) - قال مسؤول", [("AFP", "dateline")]),
        (
            "the minister said, according to the Associated Press.",
            [("Associated Press", "attribution")],
        ),
        ("Reuters reported on Monday that", [("Reuters", "attribution")]),
        ("وقال لرويترز إن الاتفاق قريب", [("Reuters", "attribution")]),
        ("نقلا عن وكالة الأناضول", [("Anadolu", "attribution")]),
        ("وذكرت وكالة شينخوا", [("Xinhua", "attribution")]),
        ("Photo: AP", [("Associated Press", "caption")]),
        ("REUTERS/Yves Herman", [("Reuters", "caption")]),
        ("صورة: رويترز", [("Reuters", "caption")]),
        ("A Reuters journalist was detained.", []),
        ("He joined Reuters in 2001.", []),
        ("the ap and pa of it", []),
        ("see www.reuters.com/world", []),
    ],
    ids=[
        "latin-dateline",
        "acronym-dateline",
        "arabic-city-dateline",
        "arabic-afp-abbreviation",
        "according-to",
        "reported",
        "told-prefix",
        "quoting-agency",
        "reported-arabic",
        "photo-caption",
        "slash-caption",
        "arabic-caption",
        "mention-is-no-credit",
        "mention-in-history",
        "lowercase-acronyms-are-words",
        "domain-name",
    ],
)
def test_contexts(text: str, expected: list[tuple[str, str]]) -> None:
    assert _credits(text) == expected


def test_evidence_and_span_point_at_the_text() -> None:
    text = "مقدمة\nموسكو-رويترز\n\nأجرى الرئيسان محادثات."
    (credit,) = find_credits(text)
    assert text[slice(*credit.span)] == "رويترز"
    assert credit.evidence == "موسكو-رويترز"


def test_spelling_variants_match(seeds_dir: Path) -> None:
    assert _credits("وحسب وكالة رُويتَرز") == [("Reuters", "attribution")]
    assert _credits("وحسب وكالة بلومبيرغ") == [("Bloomberg", "attribution")]


def test_the_data_file_lists_the_main_agencies() -> None:
    for agency in ("Reuters", "Associated Press", "AFP", "Bloomberg", "TASS", "Anadolu", "Xinhua"):
        assert agency in agency_names()
