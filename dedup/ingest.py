"""Reading articles from text files, JSON Lines files, folders and standard input.

Every bad item becomes a :class:`~dedup.models.Skipped` naming the file (and line)
and the reason, and reading goes on; only input that is unusable as a whole (nothing
readable at all, two items with one id) raises :class:`~dedup.errors.InputError`.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from dedup.errors import InputError
from dedup.feeds import FEED_SUFFIXES, HTML_SUFFIXES, read_feed, read_html_page
from dedup.models import STDIN_NAME, Article, Notice, Skipped, parse_timestamp
from dedup.normalize import normalize, tokenize

#: Extensions read when a folder is given; a file named explicitly must have one too.
SUPPORTED_SUFFIXES = (".txt", ".jsonl", *FEED_SUFFIXES, *HTML_SUFFIXES)
#: Larger text files (and JSON lines) are skipped: no news article comes near this,
#: and reading one would only exhaust memory.
MAX_ITEM_BYTES = 20 * 1024 * 1024
#: A .txt file of one line this long is a body saved without a headline (a paragraph,
#: a page's text on one line), not a headline without a body.
ONE_LINE_ARTICLE_WORDS = 25


class NothingReadableError(InputError):
    """No source held a readable article; ``skipped`` says why each item was left out."""

    def __init__(self, message: str, skipped: list[Skipped]) -> None:
        super().__init__(message)
        self.skipped = skipped

    def __reduce__(self) -> tuple[type[NothingReadableError], tuple[str, list[Skipped]]]:
        # Pickled with both arguments, so that it crosses a process boundary intact.
        return (type(self), (str(self), self.skipped))


@dataclass
class IngestResult:
    """Articles read, in input order, and the items skipped."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: Items read without a part they could not use (warnings, not skips).
    notices: list[Notice] = field(default_factory=list)


def read_sources(sources: Sequence[str], stdin: BinaryIO | None = None) -> IngestResult:
    """Read every source: ``.txt`` and ``.jsonl`` files, folders (recursively), ``-``.

    Raises:
        NothingReadableError: when nothing readable was found.
        InputError: when two items share an id.
    """
    result = IngestResult()
    result.articles.extend(
        iter_articles(sources, stdin, result.skipped.append, result.notices.append)
    )
    return result


def iter_articles(
    sources: Sequence[str],
    stdin: BinaryIO | None = None,
    on_skipped: Callable[[Skipped], None] | None = None,
    on_notice: Callable[[Notice], None] | None = None,
) -> Iterator[Article]:
    """The articles of ``sources`` one at a time, in input order, for a caller that
    cannot hold a big batch in memory; each bad item goes to ``on_skipped``, each item
    read without a part it could not use (an unreadable date) to ``on_notice``.

    Raises:
        InputError: when an id comes a second time (raised on reaching it).
        NothingReadableError: at the end, when nothing readable was found.
    """
    origin: dict[str, str] = {}
    skipped: list[Skipped] = []
    for source in sources:
        for item in _read_source(source, stdin):
            if isinstance(item, Skipped):
                skipped.append(item)
                if on_skipped is not None:
                    on_skipped(item)
                continue
            if isinstance(item, Notice):
                if on_notice is not None:
                    on_notice(item)
                continue
            if item.id in origin:
                raise InputError(
                    f"duplicate document id {item.id!r}: in {origin[item.id]} and in {item.source}"
                )
            origin[item.id] = item.source
            yield item
    if not origin:
        raise NothingReadableError(
            "no readable articles in "
            + ", ".join(sources)
            + (f" ({len(skipped)} item(s) skipped)" if skipped else ""),
            skipped,
        )


def _read_source(source: str, stdin: BinaryIO | None) -> Iterator[Article | Skipped | Notice]:
    if source == "-":
        if stdin is None:
            yield Skipped(STDIN_NAME, "standard input is not available")
            return
        yield from read_jsonl_lines(stdin, STDIN_NAME)
        return
    path = Path(source)
    if path.is_dir():
        for file in _files_under(path):
            yield from read_file(file)
    elif path.is_file():
        yield from read_file(path)
    elif path.exists():
        yield Skipped(source, "not a regular file or folder")
    elif path.is_symlink():
        yield Skipped(source, "a symbolic link to nothing (its target is missing, or a loop)")
    else:
        yield Skipped(source, "no such file or folder")


def source_state(sources: Sequence[str]) -> list[tuple[str, int, int]]:
    """Path, size and modification time (ns) of every file reading ``sources`` opens
    (standard input left out): equal before and after, the files did not change."""
    state = []
    for source in sources:
        path = Path(source)
        files = _files_under(path) if path.is_dir() else [path] if path.is_file() else []
        for file in files:
            try:
                status = file.stat()
            except OSError:
                continue
            state.append((str(file), status.st_size, status.st_mtime_ns))
    return state


def _files_under(folder: Path) -> list[Path]:
    """Supported files under ``folder``, sorted, hidden files and folders left out."""
    found = []
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            # Regular files only: opening a FIFO would wait for a writer forever.
            wanted = not name.startswith(".") and name.lower().endswith(SUPPORTED_SUFFIXES)
            if wanted and path.is_file():
                found.append(path)
    return found


def read_file(path: Path) -> Iterator[Article | Skipped | Notice]:
    """Articles of one file: text, JSON Lines, an RSS or Atom feed, or a saved web page."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        expected = ", ".join(SUPPORTED_SUFFIXES)
        yield Skipped(
            str(path), f"unsupported file type {suffix or '(none)'!r}; expected {expected}"
        )
        return
    try:
        if suffix == ".jsonl":
            with path.open("rb") as stream:
                yield from read_jsonl_lines(stream, str(path))
        elif suffix in FEED_SUFFIXES or suffix in HTML_SUFFIXES:
            if path.stat().st_size > MAX_ITEM_BYTES:
                yield Skipped(str(path), f"larger than {MAX_ITEM_BYTES // (1024 * 1024)} MiB")
                return
            data = path.read_bytes()
            if suffix in FEED_SUFFIXES:
                yield from read_feed(path, data)
            else:
                yield read_html_page(path, data)
        else:
            data = path.read_bytes() if path.stat().st_size <= MAX_ITEM_BYTES else b""
            decoded, encoding, problem = _decode_text(data)
            if encoding is not None:
                yield Notice(str(path), f"not UTF-8: read as {encoding}")
            yield read_text_file(path, decoded if problem is None else None, problem)
    except OSError as error:
        yield Skipped(str(path), f"cannot be read: {error.strerror or error}")


def read_text_file(
    path: Path, decoded: str | None = None, problem: str | None = None
) -> Article | Skipped:
    """A ``.txt`` article: the first non-empty line is the headline, the rest the body;
    a file of one long line is all body. ``decoded``: its text, when the caller has
    read it (else it is read here, UTF-8 only); ``problem``: why it cannot be read."""
    if path.stat().st_size > MAX_ITEM_BYTES:
        return Skipped(str(path), f"larger than {MAX_ITEM_BYTES // (1024 * 1024)} MiB")
    if problem is not None:
        return Skipped(str(path), problem)
    if decoded is None:
        decoded, problem = _decode(path.read_bytes())
        if problem is not None:
            return Skipped(str(path), problem)
    lines = decoded.splitlines(keepends=True)
    headline_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if headline_index is None:
        return Skipped(str(path), "empty text")
    body = "".join(lines[headline_index + 1 :])
    if not body.strip():
        only_line = lines[headline_index].strip()
        if len(tokenize(normalize(only_line))) < ONE_LINE_ARTICLE_WORDS:
            return Skipped(str(path), "has a headline but no body text")
        # The file as read is the text, so that diff spans index the file.
        return Article(id=path.stem, text=decoded, source=str(path))
    return Article(
        id=path.stem,
        text=body,
        title=lines[headline_index].strip(),
        source=str(path),
    )


#: Byte-order marks of the UTF-16 and UTF-32 encodings, longest first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode_text(data: bytes) -> tuple[str, str | None, str | None]:
    """A text file's text, the encoding it was read in when not UTF-8, and why it
    cannot be read (None when it can). UTF-8 (BOM or not) first; a UTF-16 or UTF-32
    byte-order mark; else the encoding charset-normalizer finds (latin-1, cp1252,
    UTF-16 without a BOM, ...); binary data is refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, None
            except UnicodeDecodeError:
                break
    decoded, problem = _decode(data)
    if problem is None:
        return decoded, None, None
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding is None:
        return "", None, problem if b"\x00" in data else f"{problem}, and no other encoding fits"
    # Western text fits several single-byte code pages equally well (cp1250 reads a
    # French "à" as "ŕ"); on a tie, windows-1252, as browsers read ISO-8859-1 pages.
    tied = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    chosen = next((m for m in tied if m.encoding == "cp1252"), best)
    if chosen.coherence == 0.0:
        # Too little text to recognise a language by: any code page fits, and
        # windows-1252 is the likeliest by far.
        try:
            return data.decode("cp1252"), "cp1252", None
        except UnicodeDecodeError:
            pass
    return str(chosen), chosen.encoding, None


def _decode(data: bytes) -> tuple[str, str | None]:
    """UTF-8 text with a BOM dropped, and the reason it is unusable (None when it is fine)."""
    if b"\x00" in data:
        return "", "binary data (NUL bytes), not text"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return "", f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"


def read_jsonl_lines(stream: Iterable[bytes], name: str) -> Iterator[Article | Skipped | Notice]:
    """Articles of a JSON Lines stream: one object per line, ``id`` and ``text`` required."""
    for number, raw in enumerate(stream, start=1):
        where = f"{name}:{number}"
        if len(raw) > MAX_ITEM_BYTES:
            yield Skipped(where, f"line longer than {MAX_ITEM_BYTES // (1024 * 1024)} MiB")
            continue
        if not raw.strip():
            continue
        decoded, problem = _decode(raw)
        if problem is not None:
            yield Skipped(where, problem)
            continue
        item = _article_from_json(decoded, where)
        if isinstance(item, Article) and item.published and not parse_timestamp(item.published):
            # A date nobody can read leaves the document undated, not dropped.
            yield Notice(
                where,
                f"document {item.id!r}: 'published' is neither an ISO 8601 nor an RFC 2822 "
                f"time, read as undated: {item.published!r}",
            )
            item = replace(item, published=None)
        yield item


def _kind(value: object) -> str:
    """What a JSON value is, in JSON's words."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def _encodable(value: str) -> bool:
    """Whether ``value`` is valid Unicode: JSON's ``\\ud800`` escapes decode to lone
    surrogates, which no output can encode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _article_from_json(line: str, where: str) -> Article | Skipped:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Skipped(where, f"malformed JSON: {error.msg} at column {error.colno}")
    except RecursionError:
        return Skipped(where, "malformed JSON: nested too deeply")
    except ValueError:  # an integer of more digits than Python converts
        return Skipped(where, "malformed JSON: a number too long")
    if not isinstance(record, dict):
        return Skipped(where, f"expected a JSON object, got {type(record).__name__}")
    identifier = record.get("id")
    if identifier is None:
        return Skipped(where, "missing 'id' (a string)")
    if isinstance(identifier, bool) or not isinstance(identifier, (str, int)):
        return Skipped(where, f"'id' must be a string, got {_kind(identifier)}")
    identifier = str(identifier).strip()
    if not identifier:
        return Skipped(where, "empty 'id'")
    text = record.get("text")
    if not isinstance(text, str):
        return Skipped(where, f"document {identifier!r}: missing 'text' (a string)")
    if not text.strip():
        return Skipped(where, f"document {identifier!r}: empty text")
    optional: dict[str, str | None] = {}
    for key in ("title", "outlet", "url", "published"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return Skipped(
                where, f"document {identifier!r}: {key!r} must be a string, got {_kind(value)}"
            )
        optional[key] = value if value is not None and value.strip() else None
    for key, value in (("id", identifier), ("text", text), *optional.items()):
        if value is not None and not _encodable(value):
            return Skipped(
                where,
                f"document {identifier!r}: {key!r} holds a lone surrogate escape "
                "(such as \\ud800), which is not text",
            )
    published = optional["published"]
    return Article(
        id=identifier,
        text=text,
        title=(optional["title"] or "").strip(),
        outlet=optional["outlet"],
        url=optional["url"],
        published=published,
        source=where,
    )
