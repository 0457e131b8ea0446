"""Stage 1: each article's features and MinHash signature, in worker processes for
big batches, read only as far as the workers need."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from dedup.boilerplate import (
    boilerplate_spans,
    kept_words_text,
    normalized_lines,
    recurring_lines,
)
from dedup.check import IndexEntry
from dedup.credit import candidate_agencies, find_credits
from dedup.models import Article, Credit
from dedup.normalize import tokenize
from dedup.settings import Settings
from dedup.shingle import (
    FoldedArray,
    HashArray,
    fold_to_32_bits,
    shingles_of_word_hashes,
    word_hashes,
)
from dedup.signature import SignatureArray, signatures
from dedup.topic import WordIdArray
from dedup.workers import ordered_map

#: Reports progress: (stage name, items done, items in all; 0 when not known yet).
ProgressCallback = Callable[[str, int, int], None]

#: Below this many words left after boilerplate, a mostly-boilerplate page has no article.
_ARTICLE_MIN_WORDS = 40
# Below this many articles, starting worker processes costs more than it saves.
_PARALLEL_MINIMUM = 2_000
_CHUNK_SIZE = 500


@dataclass(frozen=True, slots=True)
class DocumentFeatures:
    """What matching needs of one document; the text itself is not kept."""

    word_count: int
    credits: tuple[Credit, ...]
    #: Lines set aside as web-page boilerplate (spans of the original text).
    boilerplate: tuple[tuple[int, int], ...]
    shingles: HashArray
    #: Distinct word ids (32-bit word hashes) and their counts, for topic similarity.
    word_ids: WordIdArray
    word_counts: WordIdArray
    #: A page that is mostly boilerplate with next to nothing left (a cookie wall, a
    #: paywall, a captcha page): its shingles are left empty so it matches nothing.
    no_article_text: bool = False


def featurize(
    documents: Sequence[tuple[str, frozenset[int]]], shingle_size: int
) -> list[DocumentFeatures]:
    """Features of each (text, its outlet's recurring lines), in order.

    Boilerplate lines are left out of the words, so they never make a match.
    """
    features = []
    for text, recurring in documents:
        lines = normalized_lines(text)
        boilerplate = boilerplate_spans(text, recurring, lines)
        document_words = tokenize(kept_words_text(text, lines, boilerplate))
        nothing_left = bool(boilerplate) and _mostly_boilerplate(
            len(document_words), sum(len(line.split()) for _, line in lines)
        )
        hashes = word_hashes(document_words)
        word_ids, word_counts = np.unique(hashes.astype(np.uint32), return_counts=True)
        agencies = candidate_agencies(document_words)
        credits = find_credits(text, agencies) if agencies else []
        features.append(
            DocumentFeatures(
                word_count=len(document_words),
                credits=tuple(credits),
                boilerplate=tuple(boilerplate),
                shingles=shingles_of_word_hashes(
                    hashes[:0] if nothing_left else hashes, shingle_size
                ),
                word_ids=word_ids,
                word_counts=word_counts.astype(np.uint32),
                no_article_text=nothing_left,
            )
        )
    return features


def _mostly_boilerplate(kept_words: int, all_words: int) -> bool:
    """Fewer than 40 words left, and at least as many set aside: what the boilerplate
    left of a cookie wall or a captcha page is more of the same notice in words no
    list knows (its other sentences, a machine translation of it), and it matched
    other such pages. A wire snap with its slug line set aside keeps most of its
    words."""
    return kept_words < _ARTICLE_MIN_WORDS and all_words - kept_words >= kept_words


def _featurize_and_sign(
    documents: list[tuple[str, frozenset[int]]], shingle_size: int, num_perm: int, seed: int
) -> tuple[list[DocumentFeatures], SignatureArray]:
    features = featurize(documents, shingle_size)
    return features, signatures([f.shingles for f in features], num_perm, seed)


def _sign_for_index(
    documents: list[tuple[str, frozenset[int]]], shingle_size: int, num_perm: int, seed: int
) -> tuple[list[tuple[int, tuple[Credit, ...], FoldedArray]], SignatureArray]:
    """What an index stores of each document, but the article: folded and trimmed in the
    worker, so that the process writing the index does little else."""
    features, signature_rows = _featurize_and_sign(documents, shingle_size, num_perm, seed)
    stored = [(f.word_count, f.credits, fold_to_32_bits(f.shingles)) for f in features]
    return stored, signature_rows


Part = TypeVar("Part", bound=tuple[Sequence[object], SignatureArray])
#: Per outlet, the hashes of the lines that recur in its documents (boilerplate).
OutletLines = Mapping[str, frozenset[int]]


def outlet_lines(articles: Iterable[Article]) -> OutletLines:
    """The lines each outlet (or site, for items without one) repeats across its
    documents: a first pass over a batch."""
    return recurring_lines((article.site, article.text) for article in articles)


def _signed_chunks(
    articles: Iterable[Article],
    total: int,
    recurring: OutletLines,
    settings: Settings,
    sign: Callable[[list[tuple[str, frozenset[int]]], int, int, int], Part],
    workers: int,
    progress: ProgressCallback | None,
    read_ahead: int = 0,
) -> Iterator[tuple[list[Article], Part]]:
    """Each chunk of ``articles`` (``total`` of them) and ``sign`` of it, in order, read
    only as far as the workers need (in worker processes with ``workers`` > 1,
    ``read_ahead`` articles beyond the default window)."""
    in_flight: deque[list[Article]] = deque()

    def jobs() -> Iterator[tuple[list[tuple[str, frozenset[int]]], int, int, int]]:
        for chunk in _chunked(articles, _CHUNK_SIZE):
            in_flight.append(chunk)
            texts = [(a.text, recurring.get(a.site or "", frozenset())) for a in chunk]
            yield (texts, settings.shingle_size, settings.num_perm, settings.seed)

    if workers > 1 and total >= _PARALLEL_MINIMUM:
        parts: Iterable[Part] = ordered_map(
            sign, jobs(), workers, read_ahead=read_ahead // _CHUNK_SIZE
        )
    else:
        parts = (sign(*job) for job in jobs())
    done = 0
    for part in parts:
        chunk = in_flight.popleft()
        done += len(chunk)
        if progress is not None:
            progress("signatures", done, max(total, done))
        yield chunk, part


def _chunked(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def iter_features(
    articles: Sequence[Article],
    settings: Settings,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> Iterator[tuple[list[DocumentFeatures], SignatureArray]]:
    """Features and MinHash signatures of the articles, a chunk at a time, in order.

    With ``workers`` > 1 the next chunks are computed in worker processes while the
    caller deals with this one.
    """
    chunks = _signed_chunks(
        articles,
        len(articles),
        outlet_lines(articles),
        settings,
        _featurize_and_sign,
        workers,
        progress,
    )
    return (part for _, part in chunks)


def compute_features(
    articles: Sequence[Article],
    settings: Settings,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> tuple[list[DocumentFeatures], SignatureArray]:
    """Features and MinHash signatures of every article, using ``workers`` processes."""
    features: list[DocumentFeatures] = []
    signature_parts: list[SignatureArray] = [np.empty((0, settings.num_perm), dtype=np.uint32)]
    for part_features, part_signatures in iter_features(articles, settings, workers, progress):
        features.extend(part_features)
        signature_parts.append(part_signatures)
    return features, np.concatenate(signature_parts)


def index_entries(
    articles: Sequence[Article],
    settings: Settings,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    batch: int = 0,
) -> Iterator[IndexEntry]:
    """What an index stores of each article, lazily (see :func:`stream_index_entries`)."""
    return stream_index_entries(
        articles, len(articles), outlet_lines(articles), settings, workers, progress, batch
    )


def stream_index_entries(
    articles: Iterable[Article],
    total: int,
    recurring: OutletLines,
    settings: Settings,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    batch: int = 0,
) -> Iterator[IndexEntry]:
    """What an index stores of each of ``articles`` (about ``total``; ``recurring`` from
    a first pass, :func:`outlet_lines`), reading them only a ``batch`` ahead of
    ``store.add``: the workers sign the next batch while it writes this one, so they
    never wait for the write (100k documents were indexed in 67 s with 3,000 signed
    ahead, in 45 to 53 s with 10,000 and the workers folding the shingles), and memory
    holds one batch, not every article."""
    parts = _signed_chunks(
        articles, total, recurring, settings, _sign_for_index, workers, progress, batch
    )
    for chunk, (stored, signature_rows) in parts:
        for article, (word_count, credits, folded), signature in zip(
            chunk, stored, signature_rows, strict=True
        ):
            yield article, word_count, credits, signature, folded
