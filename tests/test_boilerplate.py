from __future__ import annotations

from pathlib import Path

import pytest

from dedup.boilerplate import (
    boilerplate_spans,
    kept_words_text,
    line_hash,
    lines,
    normalized_lines,
    recurring_lines,
    without_spans,
)


def _boilerplate(text: str, recurring: frozenset[int] = frozenset()) -> list[str]:
    return [text[start:end] for start, end in boilerplate_spans(text, recurring)]


def _seed(seeds_dir: Path, number: str) -> str:
    (path,) = seeds_dir.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def test_seed_001_navigation_and_comment_block(seeds_dir: Path) -> None:
    found = _boilerplate(_seed(seeds_dir, "001"))
    assert found[0] == "شارك الخبر"
    assert found[1:] == [
        "Read Previous",
        "الصين تعرض احدث طائراتها و معدلتها الجوية في اكبر عرض تجاري تنظمة منذ عدة سنوات",
        "Read Next",
        "الفنانة العالمية ليدي غاغا بفستان مكشوف وتظهر سروالها الداخلي",
        "Leave a Reply",
        "لن يتم نشر عنوان بريدك الإلكتروني.",
    ]


def test_seed_003_rights_and_newsletter_lines(seeds_dir: Path) -> None:
    found = _boilerplate(_seed(seeds_dir, "003"))
    assert found[0] == "[real_title]"
    assert found[1].startswith("جميع الحقوق محفوظة لمصدر الخبر")
    assert found[2].startswith("اشترك فى النشرة البريدية")
    assert found[3] == "تابعنا على مواقع التواصل الاجتماعى"


def test_seeds_000_and_002_have_none(seeds_dir: Path) -> None:
    assert _boilerplate(_seed(seeds_dir, "000")) == []
    assert _boilerplate(_seed(seeds_dir, "002")) == []


@pytest.mark.parametrize(
    "line",
    [
        "شارك الرئيس في القمة العربية",
        "Related talks will resume in Geneva next week, officials said.",
        "وقال أردوغان في تدوينة على مواقع التواصل الاجتماعي إن اللقاء كان مثمرا",
        "The company updated its privacy policy after the fine, regulators said.",
    ],
    ids=[
        "arabic-verb-share",
        "sentence-starting-related",
        "social-media-in-text",
        "privacy-policy-news",
    ],
)
def test_reporting_is_not_boilerplate(line: str) -> None:
    assert _boilerplate(f"Headline\n{line}\n") == []


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "We use cookies to improve your experience. Accept cookies",
        "© 2024 Example News. All rights reserved.",
        "Subscribe to continue reading",
        "اقرأ أيضاً:",
        "16:54 01/03/00: Page 1 (ZSM) COURTS Burstein",
        "\x19By Stephen Howard, PA News<",
        "\x19ENDS<",
        "Um die Funktion unserer Website zu verbessern, verwenden wir Cookies.",
    ],
    ids=[
        "share",
        "cookies",
        "copyright",
        "paywall",
        "read-also",
        "wire-slug",
        "wire-byline",
        "wire-end",
        "cookies-german",
    ],
)
def test_page_leftovers_are_boilerplate(line: str) -> None:
    assert _boilerplate(f"Body sentence one.\n{line}\n") == [line]


def test_recurring_lines_are_per_outlet_and_never_shared_across_outlets() -> None:
    template = "Follow Example Daily for more"
    wire = "The talks lasted three hours, officials said."
    documents = [("Example Daily", f"Story {n} text.\n{template}\n{wire}") for n in range(3)] + [
        ("Other Paper", f"Another story.\n{wire}")
    ]
    found = recurring_lines(documents)
    assert found == {"Example Daily": frozenset({line_hash(template)})}
    text = documents[0][1]
    assert _boilerplate(text, found["Example Daily"]) == [template]


def test_recurring_needs_min_documents() -> None:
    documents = [("Paper", "Same footer line\nstory one"), ("Paper", "Same footer line\nstory two")]
    assert recurring_lines(documents) == {}
    assert recurring_lines(documents, min_documents=2) == {
        "Paper": frozenset({line_hash("Same footer line")})
    }
    with pytest.raises(ValueError, match="min_documents must be at least 2, got 1"):
        recurring_lines(documents, min_documents=1)


def test_lines_and_removal_keep_offsets() -> None:
    text = "  first \n\nsecond\r\nthird"
    assert [text[start:end] for start, end in lines(text)] == ["first", "second", "third"]
    assert without_spans(text, [lines(text)[1]]) == "  first \n\n\n\r\nthird"


def test_a_notice_inside_a_long_line_is_cut_out_of_it() -> None:
    article = " ".join(f"The council met on day {n} and voted on the budget." for n in range(8))
    notice = "To read the full article, take a free trial today."
    text = f"{article} {notice} {article}"
    assert _boilerplate(text) == [notice]
    normalized = normalized_lines(text)
    kept = kept_words_text(text, normalized, boilerplate_spans(text, normalized=normalized))
    assert "free trial" not in kept and kept.count("the council met") == 16


def test_a_wire_slug_line_is_boilerplate_but_its_story_is_not() -> None:
    text = "16:40 01/03/00: Page 2 (HHH) COURTS Burstein\nMr Rushbrooke said the offer stood.<\n"
    assert _boilerplate(text) == ["16:40 01/03/00: Page 2 (HHH) COURTS Burstein"]


def test_an_emptied_anywhere_list_finds_no_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    from dedup import boilerplate

    shipped = boilerplate._data()
    monkeypatch.setattr(boilerplate, "_data", lambda: {**shipped, "anywhere": []})
    boilerplate._notice_phrases.cache_clear()
    try:
        assert _boilerplate("Body of the story.\nAll rights reserved.\n") == []
    finally:
        monkeypatch.undo()
        boilerplate._notice_phrases.cache_clear()
    assert _boilerplate("Body of the story.\nAll rights reserved.\n") == ["All rights reserved."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A line phrase is a whole word: "advertisement" does not start this headline.
        ("Advertisements banned on city buses from May\n", []),
        ("Advertisement\n", ["Advertisement"]),
        # So is an "anywhere" phrase: "captcha" is not inside "recaptcha".
        ("Researchers said recaptcha puzzles fail blind users\n", []),
        ("Please solve the captcha to continue\n", ["Please solve the captcha to continue"]),
        # Words of two scripts glued together are two words (a scraped reading-time label).
        ("time reading iconدقائق القراءة - 5\n", ["time reading iconدقائق القراءة - 5"]),
    ],
    ids=["line-prefix", "line-whole", "anywhere-inside", "anywhere-whole", "two-scripts"],
)
def test_phrases_match_whole_words(text: str, expected: list[str]) -> None:
    assert _boilerplate(f"Headline\n{text}") == expected


def test_a_chinese_paragraph_is_long_and_only_its_notice_is_cut_out() -> None:
    from dedup.boilerplate import word_count

    story = "市政府周二宣布将在明年扩建地铁三号线，新线路预计连接城东和机场，总投资约两百亿元。"
    notice = "版权所有，未经授权不得转载。"
    line = story * 2 + notice + story
    # Two characters a word, about a Chinese word's length: the line is no notice line.
    assert word_count(line) > 40 and word_count(notice) <= 40
    assert _boilerplate(f"标题\n{line}\n") == [notice]


_STORY = (
    "The council approved the new budget on Tuesday after a long debate in which the "
    "mayor defended the cuts to the library service and promised to review them next year "
    "once the figures for the winter were known to everyone involved"
)


def test_a_form_flattened_into_running_text_loses_its_notice_and_its_choices() -> None:
    # A registration form saved as one line with the story: no sentence ends in it.
    form = (
        "take a free trial enter your email address the password for your account must be "
        "eight characters long country United Kingdom Ukraine Uruguay Uzbekistan Vanuatu "
        "Vatican City Venezuela Vietnam Yemen Zambia Zimbabwe Online Registration"
    )
    text = f"{_STORY} {form}"
    found = _boilerplate(text)
    cut = " ".join(found)
    assert "take a free trial" in cut and "Zimbabwe" in cut
    # The story's opening words are not part of any notice window or list.
    assert not any("council approved" in piece for piece in found)


def test_names_in_prose_with_commas_are_not_a_list() -> None:
    text = (
        "Prime Minister Boris Johnson, Foreign Secretary Dominic Raab, Health Secretary "
        "Matt Hancock and Chancellor Rishi Sunak met in London on Monday to discuss the plan."
    )
    assert _boilerplate(text) == []


def test_german_nouns_are_not_a_list() -> None:
    text = (
        "Die Bundesregierung hat am Montag die Pläne für neue Radwege in Werne vorgestellt "
        "und die Stadtverwaltung Kosten Bauzeit Anwohner Verkehr Sicherheit sowie Umwelt "
        "als wichtigste Punkte genannt"
    )
    assert _boilerplate(text) == []


@pytest.mark.parametrize(
    "contact",
    [
        "Contact: Jane Doe, jane.doe@example.com, +1 555 0100",
        "Pour le contacter par mail : auteur.photo@exemple.fr",
        "للتواصل مع الكاتب عبر البريد: writer@example.org",
    ],
    ids=["english", "french", "arabic"],
)
def test_a_line_with_an_email_address_is_a_contact_block(contact: str) -> None:
    text = f"{_STORY}.\n{contact}"
    assert _boilerplate(text) == [contact]


def test_a_menu_flattened_into_a_story_is_a_list() -> None:
    menu = (
        "Home News Sport Business Culture Opinion Travel Weather Video Podcasts Newsletters "
        "Puzzles Obituaries Archive"
    )
    text = f"{_STORY} {menu}"
    assert _boilerplate(text) == [menu]
