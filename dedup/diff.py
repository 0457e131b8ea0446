"""A diff of two documents: their sentences aligned, with boilerplate set aside."""

from __future__ import annotations

from dataclasses import dataclass

from dedup.align import AlignmentSettings, Segment, align
from dedup.boilerplate import boilerplate_spans
from dedup.similarity import SentenceWords, sentence_words


@dataclass(frozen=True, slots=True)
class Diff:
    """How ``derived`` rewrote ``source``: aligned segments over both original texts."""

    source_id: str
    derived_id: str
    source_text: str
    derived_text: str
    segments: tuple[Segment, ...]


def diff_texts(
    source_id: str,
    source_text: str,
    derived_id: str,
    derived_text: str,
    settings: AlignmentSettings | None = None,
) -> Diff:
    """Split, normalize and align two documents.

    Sentences on web-page boilerplate lines (share buttons, read next, copyright ...)
    are not aligned: they come out as ``boilerplate`` segments, so they are never
    counted as added or dropped.
    """
    source, source_boilerplate = _split_boilerplate(source_text)
    derived, derived_boilerplate = _split_boilerplate(derived_text)
    segments = align(source, derived, settings)
    for sentence in derived_boilerplate:
        position = next(
            (
                index
                for index, segment in enumerate(segments)
                if segment.derived_span and segment.derived_span[0] > sentence.span[0]
            ),
            len(segments),
        )
        segments.insert(position, Segment("boilerplate", 0.0, (), (), None, sentence.span))
    for sentence in source_boilerplate:
        segments.append(Segment("boilerplate", 0.0, (), (), sentence.span, None))
    return Diff(source_id, derived_id, source_text, derived_text, tuple(segments))


def _split_boilerplate(text: str) -> tuple[list[SentenceWords], list[SentenceWords]]:
    """The sentences of ``text``, and apart from them those on boilerplate lines."""
    spans = boilerplate_spans(text)
    kept: list[SentenceWords] = []
    set_aside: list[SentenceWords] = []
    for sentence in sentence_words(text):
        inside = any(start <= sentence.span[0] and sentence.span[1] <= end for start, end in spans)
        (set_aside if inside else kept).append(sentence)
    return kept, set_aside
