from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.normalize import normalize, normalize_with_offsets, tokenize, words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﬁnance", "finance"),
        ("ｆｕｌｌ　ｗｉｄｔｈ", "full width"),
        ("ﻻ", "لا"),
        ("ﺃﻫﻼ", "اهلا"),
        ("a\u200bb\u200cc\u200dd\u2060e\ufeff", "abcde"),
        ("x\u202ey\u2066z\u2069\u200f\u061c", "xyz"),
        ("one\u00a0two\u2003three\t\nfour", "one two three four"),
        ("  padded  ", "padded"),
        ("Reuters REUTERS", "reuters reuters"),
        ("Straße", "strasse"),
        ("مُحَمَّدٌ", "محمد"),
        ("سُكُونْ", "سكون"),
        ("هٰذا", "هذا"),
        ("الرئيـــس", "الرييس"),
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
        ("مستشفى", "مستشفي"),
        ("مدرسة", "مدرسه"),
        ("مؤتمر رئيس", "موتمر رييس"),
        ("٢٠٢١ ۱۴۰۰", "2021 1400"),
        ("“quoted” «مقتبس» ‘single’", '"quoted" "مقتبس" \'single\''),
        ("a–b—c−d", "a-b-c-d"),
        ("یک کتاب", "يك كتاب"),
    ],
    ids=[
        "nfkc-ligature",
        "nfkc-fullwidth",
        "nfkc-lam-alef-presentation-form",
        "presentation-forms-then-alef-folding",
        "zero-width-removed",
        "bidi-controls-removed",
        "whitespace-folded-nbsp-em-space",
        "whitespace-stripped",
        "case-folded",
        "case-folded-sharp-s",
        "tashkeel-and-shadda-stripped",
        "sukun-stripped",
        "dagger-alef-stripped",
        "tatweel-stripped-and-hamza-yeh",
        "alef-forms-unified",
        "alef-maqsura-to-yeh",
        "ta-marbuta-to-ha",
        "hamza-carriers-unified",
        "eastern-digits-to-ascii",
        "quotes-unified",
        "dashes-unified",
        "persian-yeh-and-keheh",
    ],
)
def test_normalize_rule(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_seed_spellings_fold_together() -> None:
    # 004 writes the name both ways; 002 writes سورية where others write سوريا.
    assert normalize("إردوغان") == normalize("أردوغان") == "اردوغان"
    assert normalize("سورية") == "سوريه"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, world! It's 2.5 S-400", ["hello", "world", "it", "s", "2", "5", "s", "400"]),
        ("قال الرئيس: «سنعمل معاً»، وأضاف؟", ["قال", "الرييس", "سنعمل", "معا", "واضاف"]),
        ("Привет мир", ["привет", "мир"]),
        ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),
        ("日本の首相 said", ["日", "本", "の", "首", "相", "said"]),
    ],
    ids=[
        "latin-punctuation-split",
        "arabic",
        "cyrillic",
        "devanagari-marks-kept",
        "cjk-per-character",
    ],
)
def test_words_in_any_script(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_tokenize_expects_normalized_text() -> None:
    assert tokenize("ab cd") == ["ab", "cd"]


_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            *"abcAXYZ ßﬁ\u00a0\t\n-–“”«»أإآاىيةهؤئ٠١٩۴ﻻﺃ",
            *"\u064e\u0651\u0652\u0670\u0640\u200b\u202e\u0301",
        ]
    ),
    max_size=40,
)


@given(_TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(max_size=30))
def test_normalize_is_idempotent_on_any_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.one_of(_TEXT, st.text(max_size=30)))
def test_offsets_map_every_character_back(text: str) -> None:
    mapped = normalize_with_offsets(text)
    assert mapped.text == normalize(text)
    assert len(mapped.starts) == len(mapped.ends) == len(mapped.text)
    for start, end in zip(mapped.starts, mapped.ends, strict=True):
        assert 0 <= start < end <= len(text)
    assert list(mapped.starts) == sorted(mapped.starts)


def test_offsets_land_on_the_original_arabic(seed_articles: list) -> None:
    article = next(a for a in seed_articles if a.id.startswith("004"))
    mapped = normalize_with_offsets(article.text)
    position = mapped.text.index("اردوغان")
    start, end = mapped.original_span(position, position + len("اردوغان"))
    assert normalize(article.text[start:end]) == "اردوغان"
    assert article.text[start:end] in ("أردوغان", "إردوغان")


def test_original_span_rejects_spans_outside_the_text() -> None:
    with pytest.raises(ValueError, match=r"span \[2, 9\) is not inside 0..3"):
        normalize_with_offsets("abc").original_span(2, 9)
