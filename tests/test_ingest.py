from __future__ import annotations

import io
import json
import os
import pickle
from datetime import datetime, timezone
from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.ingest import MAX_ITEM_BYTES, NothingReadableError, read_sources
from dedup.models import Article, Skipped

_GOOD = {
    "id": "good",
    "text": "A body of text.",
    "outlet": "Reuters",
    "published": "2021-09-29T10:00:00Z",
}


def _jsonl(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(
        b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines) + b"\n"
    )
    return path


def test_txt_headline_and_body(seeds_dir: Path) -> None:
    result = read_sources([str(seeds_dir / "003_2171f8ed50ffc6de.txt")])
    (article,) = result.articles
    assert article.id == "003_2171f8ed50ffc6de"
    assert article.title == "حول الأزمة السورية.. هذا ما اتفق عليه بوتين وأردوغان"
    assert article.text.lstrip().startswith("[real_title]")
    assert article.source.endswith("003_2171f8ed50ffc6de.txt")


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path, seeds_dir: Path) -> None:
    nested = tmp_path / "b" / "deeper"
    nested.mkdir(parents=True)
    (nested / "z.txt").write_text("Headline\nBody z\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Headline\nBody a\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("H\nignored\n", encoding="utf-8")
    result = read_sources([str(tmp_path)])
    assert [a.id for a in result.articles] == ["a", "z"]
    assert result.skipped == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            b"{not json",
            "malformed JSON: Expecting property name enclosed in double quotes at column 2",
        ),
        (b"[1, 2]", "expected a JSON object, got list"),
        (json.dumps({"text": "no id"}).encode(), "missing 'id' (a string)"),
        (json.dumps({"id": "x"}).encode(), "document 'x': missing 'text' (a string)"),
        (json.dumps({"id": "x", "text": 5}).encode(), "document 'x': missing 'text' (a string)"),
        (json.dumps({"id": "x", "text": "  \n "}).encode(), "document 'x': empty text"),
        (b'{"id": "x", "text": "caf\xe9"}', "not valid UTF-8 (byte 0xe9 at offset 24)"),
    ],
    ids=[
        "malformed",
        "not-object",
        "no-id",
        "no-text",
        "text-not-string",
        "empty-text",
        "bad-utf8",
    ],
)
def test_bad_jsonl_line_is_skipped_and_the_rest_read(
    tmp_path: Path, line: bytes, reason: str
) -> None:
    path = _jsonl(
        tmp_path / "feed.jsonl", [json.dumps(_GOOD), line, json.dumps({**_GOOD, "id": "after"})]
    )
    result = read_sources([str(path)])
    assert [a.id for a in result.articles] == ["good", "after"]
    assert [(s.source, s.reason) for s in result.skipped] == [(f"{path}:2", reason)]


def test_jsonl_fields(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "feed.jsonl", [json.dumps({**_GOOD, "title": " T ", "url": "https://x"}), ""]
    )
    (article,) = read_sources([str(path)]).articles
    assert (article.title, article.outlet, article.url, article.published) == (
        "T",
        "Reuters",
        "https://x",
        "2021-09-29T10:00:00Z",
    )
    assert article.source == f"{path}:1"
    assert article.published_at == datetime(2021, 9, 29, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("published", "moment"),
    [
        ("2000-03-01", datetime(2000, 3, 1, tzinfo=timezone.utc)),
        ("2021-09-29T13:00:00+03:00", datetime(2021, 9, 29, 10, tzinfo=timezone.utc)),
        (" 2021-09-29T10:00:00z ", datetime(2021, 9, 29, 10, tzinfo=timezone.utc)),
        ("29 Sep 2021", None),
        (None, None),
    ],
)
def test_published_at_is_an_aware_time_or_none(published: str | None, moment: object) -> None:
    assert Article(id="x", text="t", published=published).published_at == moment


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty text"),
        ("blank.txt", b"  \n\n \t\n", "empty text"),
        ("headline-only.txt", "عنوان فقط\n".encode(), "has a headline but no body text"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary data (NUL bytes), not text"),
        (
            "photo.png",
            b"\x89PNG",
            "unsupported file type '.png'; expected .txt, .jsonl, .rss, .atom, .xml, .html, .htm",
        ),
    ],
    ids=["empty", "whitespace", "headline-only", "binary", "unsupported"],
)
def test_bad_file_is_skipped(
    tmp_path: Path, seeds_dir: Path, name: str, content: bytes, reason: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    result = read_sources([str(bad), str(seeds_dir)])
    assert len(result.articles) == 5
    assert [(s.source, s.reason) for s in result.skipped] == [(str(bad), reason)]


def test_huge_file_is_skipped(tmp_path: Path, seeds_dir: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(MAX_ITEM_BYTES + 1)
    result = read_sources([str(huge), str(seeds_dir)])
    assert len(result.articles) == 5
    assert [s.reason for s in result.skipped] == ["larger than 20 MiB"]


def test_a_txt_file_of_one_long_line_is_all_body(tmp_path: Path) -> None:
    line = " ".join(["كلمة"] * 30)
    (tmp_path / "one-line.txt").write_text(f"\n  {line}  \n", encoding="utf-8")
    (tmp_path / "headline.txt").write_text(" ".join(["word"] * 24), encoding="utf-8")
    unspaced = "北京时间周三俄罗斯总统普京与土耳其总统埃尔多安举行会谈双方讨论叙利亚局势"
    (tmp_path / "chinese.txt").write_text(unspaced, encoding="utf-8")  # 37 words
    result = read_sources([str(tmp_path)])
    assert [(a.id, a.title, a.text) for a in result.articles] == [
        ("chinese", "", unspaced),
        # The file as read, so that spans index the file itself.
        ("one-line", "", f"\n  {line}  \n"),
    ]
    assert [s.reason for s in result.skipped] == ["has a headline but no body text"]


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHeadline\nBody\n".encode())
    assert read_sources([str(path)]).articles[0].title == "Headline"


def test_missing_path_is_skipped(tmp_path: Path, seeds_dir: Path) -> None:
    result = read_sources([str(tmp_path / "nope"), str(seeds_dir)])
    assert [(s.source, s.reason) for s in result.skipped] == [
        (str(tmp_path / "nope"), "no such file or folder")
    ]


def test_stdin_jsonl() -> None:
    stream = io.BytesIO(json.dumps(_GOOD).encode() + b"\n{oops\n")
    result = read_sources(["-"], stdin=stream)
    assert [a.id for a in result.articles] == ["good"]
    assert result.articles[0].source == "<stdin>:1"
    assert result.skipped[0].source == "<stdin>:2"


def test_duplicate_ids_name_both_sources(tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "one.jsonl", [json.dumps(_GOOD)])
    second = _jsonl(tmp_path / "two.jsonl", ["", json.dumps(_GOOD)])
    with pytest.raises(
        InputError, match=rf"duplicate document id 'good': in {first}:1 and in {second}:2"
    ):
        read_sources([str(first), str(second)])


def test_nothing_readable_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match=r"no readable articles in .* \(1 item\(s\) skipped\)"):
        read_sources([str(tmp_path)])


def test_nothing_readable_survives_pickling(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(NothingReadableError) as caught:
        read_sources([str(empty)])
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value)
    assert copy.skipped == [Skipped(str(empty), "empty text")]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "s\\ud800", "text": "x"}', "'id' holds a lone surrogate escape"),
        ('{"id": "t", "text": "a \\udc00 b"}', "'text' holds a lone surrogate escape"),
        ('{"id": "u", "text": "a", "title": "\\ud83d"}', "'title' holds a lone surrogate escape"),
        ("[" * 5000 + "]" * 5000, "malformed JSON: nested too deeply"),
        ('{"id": ' + "9" * 5000 + ', "text": "x"}', "malformed JSON: a number too long"),
        ('{"id": "p", "text": "a", "published": 5}', "'published' must be a string, got a number"),
        ('{"id": "q", "text": "a", "title": ["x"]}', "'title' must be a string, got a list"),
        ('{"id": "r", "text": "a", "outlet": true}', "'outlet' must be a string, got true"),
        ('{"id": 1.5, "text": "a"}', "'id' must be a string, got a number"),
        ('{"id": true, "text": "a"}', "'id' must be a string, got true"),
    ],
)
def test_json_that_python_reads_but_no_output_can_hold_is_skipped(
    tmp_path: Path, line: str, reason: str
) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(line + '\n{"id": "good", "text": "kept"}\n', encoding="utf-8")
    result = read_sources([str(path)])
    assert [article.id for article in result.articles] == ["good"]
    ((where, said),) = [(item.source, item.reason) for item in result.skipped]
    assert where == f"{path}:1" and reason in said


def test_a_fifo_in_a_folder_is_not_opened(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text("Headline\nBody text of the article.\n")
    os.mkfifo(tmp_path / "pipe.txt")
    assert [a.id for a in read_sources([str(tmp_path)]).articles] == ["article"]


def test_a_dangling_or_looping_link_says_so(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(NothingReadableError) as caught:
        read_sources([str(loop)])
    assert caught.value.skipped == [
        Skipped(str(loop), "a symbolic link to nothing (its target is missing, or a loop)")
    ]


@pytest.mark.parametrize(
    ("published", "read_as"),
    [
        ("Wed, 01 Mar 2000 15:51:00 GMT", "2000-03-01T15:51:00+00:00"),  # RSS, e-mail
        ("Wed, 01 Mar 2000 15:51:00 +0200", "2000-03-01T13:51:00+00:00"),
        ("2000-03-01T15:51:00Z", "2000-03-01T15:51:00+00:00"),
        ("yesterday", None),
        ("0001-01-01T00:00:00+14:00", None),  # before the year 1 in UTC
    ],
)
def test_a_date_is_read_or_the_document_kept_undated(
    tmp_path: Path, published: str, read_as: str | None
) -> None:
    path = _jsonl(tmp_path / "feed.jsonl", [json.dumps({**_GOOD, "published": published})])
    result = read_sources([str(path)])
    (article,) = result.articles
    assert result.skipped == []
    moment = article.published_at
    assert (moment.isoformat() if moment else None) == read_as
    if read_as is None:
        assert article.published is None
        ((where, message),) = [(n.source, n.message) for n in result.notices]
        assert where == f"{path}:1" and "read as undated" in message and published in message
    else:
        assert article.published == published and result.notices == []


_FRENCH = "Le président a déclaré mardi à Paris que la réforme des retraites serait "
_FRENCH += "adoptée « d’ici l’été », malgré les grèves qui touchent les écoles et les hôpitaux."
_RUSSIAN = "Президент заявил во вторник, что правительство примет новые меры поддержки "
_RUSSIAN += "семей и пенсионеров, несмотря на рост цен на продукты и топливо в регионах."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (f"Réforme\n{_FRENCH}".encode("latin-1", errors="replace"), "cp1252"),
        (f"Réforme\n{_FRENCH}".encode("cp1252"), "cp1252"),
        ("Café\nbody of the story".encode("latin-1"), "cp1252"),  # too short to tell
        (f"Réforme\n{_FRENCH}".encode("utf-16"), "utf-16"),  # with its byte-order mark
        (f"Réforme\n{_FRENCH}".encode("utf-16-le"), "utf_16_le"),  # without
        (f"Меры\n{_RUSSIAN}".encode("cp1251"), "cp1251"),
    ],
    ids=["latin-1", "cp1252", "short-latin-1", "utf-16-bom", "utf-16-no-bom", "cp1251"],
)
def test_a_text_file_in_another_encoding_is_read_and_its_encoding_named(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    result = read_sources([str(path)])
    (article,) = result.articles
    assert result.skipped == []
    assert [(n.source, n.message) for n in result.notices] == [
        (str(path), f"not UTF-8: read as {encoding}")
    ]
    expected = data.decode(encoding.replace("_", "-"))
    assert article.title + "\n" + article.text == expected.lstrip("\ufeff")
