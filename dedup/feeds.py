"""RSS and Atom feeds, and saved web pages, as articles.

Feeds are parsed from bytes by feedparser (fetching is not dedup's job). An entry's full
content is preferred over its summary; an entry that only has a summary is marked as a
teaser, so that its missing sentences are not read as dropped. Saved HTML pages go
through trafilatura (the ``dedup[html]`` extra) with ``include_comments=False`` and
``deduplicate=False``: trafilatura's deduplication cache is process-wide and changed
results from the fourth call on in a trial.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import datetime, timezone
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser

from dedup.errors import DedupError
from dedup.models import Article, Skipped

FEED_SUFFIXES = (".rss", ".atom", ".xml")
HTML_SUFFIXES = (".html", ".htm")
_BLOCKS = frozenset(
    "p br div li h1 h2 h3 h4 h5 h6 blockquote tr section article figcaption".split()
)


class MissingExtraError(DedupError):
    """An optional dependency is not installed."""

    exit_code = 2


class _TextOfHtml(HTMLParser):
    """The text of an HTML fragment: block elements become line breaks, scripts vanish."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one paragraph a line."""
    parser = _TextOfHtml()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in unescape("".join(parser.parts)).splitlines())
    return "\n".join(line for line in lines if line)


def _timestamp(parsed: Any) -> str | None:
    if not parsed:
        return None
    # feedparser's parsed times are UTC: timegm, not mktime (which assumes local time).
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).isoformat()


def read_feed(path: Path, data: bytes) -> Iterator[Article | Skipped]:
    """The entries of an RSS or Atom feed."""
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = feed.get("bozo_exception") if feed.get("bozo") else "no entries"
        yield Skipped(str(path), f"not a readable RSS or Atom feed ({reason})")
        return
    outlet = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{path}#{number}"
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        teaser = not contents
        raw = max(contents, key=len) if contents else entry.get("summary", "")
        text = html_fragment_text(raw)
        if not text.strip():
            yield Skipped(where, "feed entry without text")
            continue
        identifier = entry.get("id") or entry.get("link") or f"{path.stem}#{number}"
        yield Article(
            id=str(identifier),
            text=text,
            title=" ".join(str(entry.get("title", "")).split()),
            outlet=outlet,
            url=entry.get("link"),
            published=_timestamp(entry.get("published_parsed") or entry.get("updated_parsed")),
            source=where,
            teaser=teaser,
        )


def read_html_page(path: Path, data: bytes) -> Article | Skipped:
    """The main text of a saved web page (trafilatura), or why there is none."""
    try:
        import trafilatura
    except ImportError as error:
        raise MissingExtraError(
            f"reading {path.name} needs trafilatura: pip install 'dedup-news[html]'"
        ) from error
    text = trafilatura.extract(data, include_comments=False, deduplicate=False)
    if not text or not text.strip():
        return Skipped(str(path), "no article text found in the page")
    metadata = trafilatura.extract_metadata(data)
    return Article(
        id=path.stem,
        text=text,
        title=(metadata.title if metadata and metadata.title else "") or "",
        outlet=metadata.sitename if metadata and metadata.sitename else None,
        url=metadata.url if metadata and metadata.url else None,
        published=metadata.date if metadata and metadata.date else None,
        source=str(path),
    )
