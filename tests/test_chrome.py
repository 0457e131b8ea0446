"""Page chrome in the languages most used on news sites: each language's phrases
(``dedup/data/chrome``) against a fixture of how such pages read (``fixtures/chrome``),
written for these tests, never taken from an evaluation set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dedup import find_duplicates
from dedup.boilerplate import NOTICE_KINDS, boilerplate_spans, chrome_languages
from dedup.models import Article
from dedup.normalize import words

CHROME = Path(__file__).resolve().parent.parent / "fixtures" / "chrome"

#: The 20 languages most used on news sites, at least.
LANGUAGES = "en ar es de fr pt ru it tr pl nl zh ja ko id fa hi uk sv el".split()


def _fixture(language: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CHROME / f"{language}.json").read_text(encoding="utf-8"))
    return data


def _page(fixture: dict[str, Any], story: int) -> tuple[str, list[str], list[str]]:
    """A page as a scraper saves it: the story's paragraphs with the chrome around and
    between them, one block per line (and, on the first story's page, the reporting
    that mentions chrome topics). Returns the text, the chrome lines and the story
    lines."""
    chrome = fixture["chrome"]
    top = [*chrome["cookies"], *chrome["login"], *chrome["bot_check"], *chrome["line"]]
    middle = [*chrome["widgets"], *chrome["browser"]]
    bottom = [*chrome["paywall"], *chrome["donation"], *chrome["legal"], *chrome["press_release"]]
    navigation = [line for pair in fixture["navigation"] for line in pair]
    paragraphs = fixture["stories"][story]["paragraphs"]
    half = len(paragraphs) // 2
    reporting = fixture["reporting"] if story == 0 else []
    body = [*paragraphs[:half], *middle, *paragraphs[half:], *reporting]
    page = [fixture["stories"][story]["title"], *top, *body, *bottom, *navigation]
    story_lines = [*paragraphs, *reporting]
    return "\n".join(page) + "\n", [*top, *middle, *bottom, *navigation], story_lines


def test_every_language_has_every_kind_of_notice() -> None:
    shipped = chrome_languages()
    missing = [language for language in LANGUAGES if language not in shipped]
    assert not missing, f"no chrome data for {missing}"
    for language in LANGUAGES:
        data = shipped[language]
        assert data["line"] and data["navigation"], language
        assert sorted(data["anywhere"]) == sorted(NOTICE_KINDS), language
        empty = [kind for kind in NOTICE_KINDS if not data["anywhere"][kind]]
        assert not empty, f"{language}: no phrases for {empty}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_chrome_is_set_aside_and_the_story_kept(language: str) -> None:
    fixture = _fixture(language)
    text, chrome, story = _page(fixture, 0)
    found = {text[start:end] for start, end in boilerplate_spans(text)}
    # Every chrome line, and nothing of the story or the reporting that merely
    # mentions cookies, subscriptions or robots.
    assert sorted(set(chrome) - found) == []
    assert sorted(found & set(story)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_stories_in_one_template_are_not_grouped(language: str) -> None:
    fixture = _fixture(language)
    pages = [_page(fixture, story) for story in (0, 1)]
    # The chrome the two pages share is long enough to make an edge if it were read.
    assert len(words(" ".join(pages[0][1]))) >= 60
    articles = [Article(id=f"{language}-{n}", text=text) for n, (text, _, _) in enumerate(pages)]
    report = find_duplicates(articles, lineage=False)
    assert report.clusters == ()
    assert all(not document.no_article_text for document in report.documents)
