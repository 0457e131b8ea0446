from __future__ import annotations

from pathlib import Path

import pytest

from dedup.sentences import split_sentences


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("كانت موضوعية.وقال بوتين", ["كانت موضوعية.", "وقال بوتين"]),
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("هل انتهى؟ نعم؛ لكن… ربما", ["هل انتهى؟", "نعم؛", "لكن…", "ربما"]),
        ('He said "It went well." Then left.', ['He said "It went well."', "Then left."]),
        ("قال «انتهى الأمر.» ثم غادر.", ["قال «انتهى الأمر.»", "ثم غادر."]),
        ("Yes (reportedly). No.", ["Yes (reportedly).", "No."]),
        ("صفقة بقيمة 2.5 مليار دولار لشراء S-400.", ["صفقة بقيمة 2.5 مليار دولار لشراء S-400."]),
        ("J. K. Rowling met U.S. officials.", ["J. K. Rowling met U.S. officials."]),
        (
            "Mr. Smith and Gen. Jones met on Jan. 5 in St. Louis.",
            ["Mr. Smith and Gen. Jones met on Jan. 5 in St. Louis."],
        ),
        ("Wait... what?", ["Wait...", "what?"]),
        ("北京今天下雨。上海晴！你好吗？好", ["北京今天下雨。", "上海晴！", "你好吗？", "好"]),
        ("「東京で会談した。」首相は述べた。", ["「東京で会談した。」", "首相は述べた。"]),
        ("Visit reuters.com today.", ["Visit reuters.com today."]),
        ("first line\nsecond line\r\n\r\nthird", ["first line", "second line", "third"]),
    ],
    ids=[
        "arabic-period-without-space",
        "latin-terminators",
        "arabic-question-semicolon-ellipsis",
        "closing-quote-stays",
        "guillemets-stay",
        "parentheses-stay",
        "numbers-and-model-names",
        "initials",
        "abbreviations",
        "ellipsis-then-lowercase",
        "chinese-marks-without-space",
        "japanese-corner-quotes",
        "domain-name",
        "line-breaks",
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_spans_index_the_original_text() -> None:
    text = "  أولاً.  ثانياً!\n\n  ثالثاً  "
    expected = [("أولاً.", 0), ("ثانياً!", 0), ("ثالثاً", 1)]
    assert [(s.start, s.end, s.paragraph) for s in split_sentences(text)] == [
        (text.index(part), text.index(part) + len(part), paragraph) for part, paragraph in expected
    ]


def test_every_seed(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences = split_sentences(text)
        assert len(sentences) >= 15, path.name
        for sentence in sentences:
            span = text[sentence.start : sentence.end]
            assert span.strip() == span and span, path.name
            assert "\n" not in span and "\r" not in span, (path.name, span)
        assert [s.start for s in sentences] == sorted(s.start for s in sentences)


def test_seed_001_glued_period(seeds_dir: Path) -> None:
    text = (seeds_dir / "001_903efb68cadcd327.txt").read_text(encoding="utf-8")
    assert any(t.endswith("موضوعية.") for t in _texts(text))
    assert any(t.startswith("وقال") and text.find("موضوعية." + t) >= 0 for t in _texts(text))
