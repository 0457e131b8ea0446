from __future__ import annotations

import collections
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.align import AlignmentSettings, Segment, align
from dedup.similarity import sentence_words, similarity, texts_of


def _diff(source: str, derived: str) -> list[Segment]:
    return align(sentence_words(source), sentence_words(derived))


def _operations(source: str, derived: str) -> list[str]:
    return [segment.operation for segment in _diff(source, derived)]


_WIRE = (
    "The president met his Turkish counterpart in Sochi on Wednesday.\n"
    "The talks lasted nearly three hours behind closed doors.\n"
    "Neither leader made detailed statements to the press afterwards.\n"
    "Ankara plans to buy a second batch of S-400 missiles despite US objections.\n"
)


@pytest.mark.parametrize(
    ("derived", "expected"),
    [
        (_WIRE, ["same", "same", "same", "same"]),
        (
            _WIRE.replace("nearly three hours", "almost three hours"),
            ["same", "edited", "same", "same"],
        ),
        (
            _WIRE.replace(
                "Neither leader made detailed statements to the press afterwards.",
                "Afterwards neither of the two leaders gave the press any detailed statements.",
            ),
            ["same", "same", "rewritten", "same"],
        ),
        (
            _WIRE + "Local sources reported troop movements near Idlib on Thursday.\n",
            ["same", "same", "same", "same", "added"],
        ),
        (
            _WIRE.replace("The talks lasted nearly three hours behind closed doors.\n", ""),
            ["same", "dropped", "same", "same"],
        ),
        (
            _WIRE.replace("The talks lasted nearly three hours behind closed doors.\n", "").replace(
                "Neither leader made detailed statements to the press afterwards.\n", ""
            ),
            ["same", "dropped", "dropped", "same"],
        ),
        (
            "Ankara plans to buy a second batch of S-400 missiles despite US objections.\n"
            + _WIRE.replace(
                "Ankara plans to buy a second batch of S-400 missiles despite US objections.\n", ""
            ),
            ["moved", "same", "same", "same"],
        ),
    ],
    ids=["same", "edited", "rewritten", "added", "dropped", "two-dropped-in-order", "moved"],
)
def test_labels(derived: str, expected: list[str]) -> None:
    assert _operations(_WIRE, derived) == expected


_ONE = "The talks, which lasted three hours in the Black Sea resort, ended with a statement.\n"
_TWO = "The talks lasted three hours in the Black Sea resort. They ended with a statement.\n"


def test_a_split_sentence_is_one_alignment() -> None:
    (segment,) = _diff(_ONE, _TWO)
    assert segment.source_sentences == (0,) and segment.derived_sentences == (0, 1)
    assert segment.operation in ("edited", "rewritten")


def test_two_merged_sentences_are_one_alignment() -> None:
    (segment,) = _diff(_TWO, _ONE)
    assert segment.source_sentences == (0, 1) and segment.derived_sentences == (0,)


# A long sentence, and a paraphrase of it in two sentences (written for this test):
# neither half alone scores as a rewrite of the whole, both together do.
_LONG = (
    "أعلنت وزارة الزراعة أمس أن محصول القمح في المحافظات الشمالية تراجع هذا العام إلى "
    "النصف بسبب تأخر الأمطار وجفاف الآبار، وأن الحكومة ستقدم للمزارعين المتضررين قروضا "
    "ميسرة وبذورا ووقودا قبل موسم الزراعة المقبل.\n"
)
_HALVES = (
    "قالت وزارة الزراعة إن إنتاج القمح تراجع في المحافظات الشمالية هذه السنة بمقدار النصف "
    "لأن الأمطار تأخرت والآبار جفت. ووعدت الحكومة المزارعين المتضررين بتقديم قروض ميسرة "
    "وبذور ووقود قبل الموسم المقبل.\n"
)


def test_the_halves_of_a_paraphrased_sentence_score_below_a_rewrite_alone() -> None:
    (whole,) = sentence_words(_LONG)
    halves = sentence_words(_HALVES)
    threshold = AlignmentSettings().rewritten_threshold
    assert all(similarity(texts_of([whole]), texts_of([half])) < threshold for half in halves)
    assert similarity(texts_of([whole]), texts_of(halves)) >= threshold


@pytest.mark.parametrize(
    ("source", "derived", "source_sentences", "derived_sentences"),
    [(_LONG, _HALVES, (0,), (0, 1)), (_HALVES, _LONG, (0, 1), (0,))],
    ids=["split", "merged"],
)
def test_a_paraphrase_split_or_merged_is_one_rewritten_alignment(
    source: str, derived: str, source_sentences: tuple[int, ...], derived_sentences: tuple[int, ...]
) -> None:
    (segment,) = _diff(source, derived)
    assert segment.operation == "rewritten"
    assert segment.source_sentences == source_sentences
    assert segment.derived_sentences == derived_sentences


def test_max_run_one_matches_sentences_only_one_to_one() -> None:
    segments = align(sentence_words(_LONG), sentence_words(_HALVES), AlignmentSettings(max_run=1))
    assert [s.operation for s in segments] == ["dropped", "added", "added"]


def test_word_changes_point_at_the_original_characters() -> None:
    source = "قال الرئيس إن المحادثات كانت مفيدة جداً ومثمرة للطرفين.\n"
    derived = "قال الرئيس إن المباحثات كانت مفيدة جداً ومثمرة للطرفين.\n"
    (segment,) = _diff(source, derived)
    assert segment.operation == "edited"
    (change,) = segment.changes
    assert change.operation == "replace"
    assert change.source_span is not None and change.derived_span is not None
    assert source[slice(*change.source_span)] == "المحادثات"
    assert derived[slice(*change.derived_span)] == "المباحثات"


def test_unrelated_sentences_do_not_match() -> None:
    operations = _operations(
        "Floods hit the northern province overnight.\n",
        "The central bank raised rates by half a point.\n",
    )
    assert sorted(operations) == ["added", "dropped"]


def test_seed_002_moves_the_reuters_lede_to_the_end(seeds_dir: Path) -> None:
    wire_like = (seeds_dir / "004_0182e0fe94a047d4.txt").read_text(encoding="utf-8")
    rewrite = (seeds_dir / "002_4c7a1f67f76e96f4.txt").read_text(encoding="utf-8")
    segments = _diff(wire_like, rewrite)
    matched = [s for s in segments if s.derived_span is not None and s.match is not None]
    last = matched[-1]
    assert last.operation == "moved"
    assert "قبل الاجتماع" in rewrite[slice(*last.derived_span)]


def test_seed_003_shares_no_sentence_with_the_story(seeds_dir: Path) -> None:
    story = (seeds_dir / "000_e43f006f387591b2.txt").read_text(encoding="utf-8")
    other = (seeds_dir / "003_2171f8ed50ffc6de.txt").read_text(encoding="utf-8")
    counts = collections.Counter(s.operation for s in _diff(story, other))
    assert counts["same"] == counts["edited"] == counts["moved"] == 0
    assert counts["rewritten"] <= 1


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="rewritten_threshold <= edited_threshold"):
        AlignmentSettings(edited_threshold=30, rewritten_threshold=40)
    with pytest.raises(ValueError, match="max_run must be at least 1, got 0"):
        AlignmentSettings(max_run=0)


_SENTENCE = st.lists(
    st.sampled_from("alpha beta gamma delta epsilon zeta eta theta iota kappa".split()),
    min_size=4,
    max_size=9,
).map(lambda words: " ".join(words).capitalize() + ".")


@settings(max_examples=60, deadline=None)
@given(st.lists(_SENTENCE, min_size=1, max_size=8, unique=True))
def test_a_text_aligned_with_itself_is_all_same(sentences: list[str]) -> None:
    text = "\n".join(sentences)
    assert {s.operation for s in _diff(text, text)} == {"same"}


@settings(max_examples=60, deadline=None)
@given(st.lists(_SENTENCE, min_size=2, max_size=8, unique=True), st.data())
def test_dropping_a_sentence_gives_exactly_one_dropped(
    sentences: list[str], data: st.DataObject
) -> None:
    gone = data.draw(st.integers(0, len(sentences) - 1))
    derived = "\n".join(s for n, s in enumerate(sentences) if n != gone)
    operations = collections.Counter(s.operation for s in _diff("\n".join(sentences), derived))
    assert operations["dropped"] == 1
    assert operations["added"] == 0


def test_boilerplate_lines_are_neither_added_nor_dropped(seeds_dir: Path) -> None:
    from dedup.diff import diff_texts

    source = (seeds_dir / "000_e43f006f387591b2.txt").read_text(encoding="utf-8")
    derived = (seeds_dir / "001_903efb68cadcd327.txt").read_text(encoding="utf-8")
    segments = diff_texts("000", source, "001", derived).segments
    boilerplate = [
        derived[slice(*s.derived_span)]
        for s in segments
        if s.operation == "boilerplate" and s.derived_span
    ]
    assert boilerplate[:2] == ["شارك الخبر", "Read Previous"] and "Leave a Reply" in boilerplate
    added = [
        derived[slice(*s.derived_span)]
        for s in segments
        if s.operation == "added" and s.derived_span
    ]
    assert not any("Read" in sentence or "Reply" in sentence for sentence in added)


def test_002_moves_the_reuters_lede_against_the_reconstructed_wire(seed_articles: list) -> None:
    from dedup import find_duplicates
    from dedup.diff import diff_texts

    (cluster,) = find_duplicates(seed_articles).clusters
    assert cluster.lineage is not None and cluster.lineage.reconstructed_text is not None
    article = next(a for a in seed_articles if a.id.startswith("002"))
    segments = diff_texts(
        "wire", cluster.lineage.reconstructed_text, article.id, article.text
    ).segments
    lede = next(
        s
        for s in segments
        if s.derived_span and "وحسب وكالة رويترز" in article.text[slice(*s.derived_span)]
    )
    assert lede.operation == "moved" and lede.source_sentences == (0,)


_PASSAGE = (
    "The drought has cut the wheat harvest in the northern plains by nearly half this year. "
    "Farmers say the rains came six weeks late and the wells ran dry before the spring. "
    "The ministry promised cheap loans, seed and fuel to the worst hit villages. "
    "Economists warn that bread prices will rise again before the winter."
)


def _shuffled(text: str, sentence_lengths: list[int], seed: int) -> str:
    """The words of ``text`` shuffled across its sentences and cut into new sentences."""
    shuffled = text.replace(".", "").split()
    random.Random(seed).shuffle(shuffled)
    sentences, start = [], 0
    for length in sentence_lengths:
        sentence = " ".join(shuffled[start : start + length])
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        start += length
    assert start == len(shuffled)
    return " ".join(sentences)


def test_words_shuffled_across_sentences_are_one_rewritten_passage() -> None:
    intro = "A football club in the capital signed a new coach on Monday.\n"
    outro = "\nThe coach will meet the players at the stadium next week."
    derived = intro + _shuffled(_PASSAGE, [20, 15, 21], seed=5) + outro
    segments = _diff(_PASSAGE, derived)
    assert [s.operation for s in segments] == ["added", "rewritten", "added"]
    passage = segments[1]
    assert passage.source_sentences == (0, 1, 2, 3)
    assert passage.derived_sentences == (1, 2, 3)


def test_an_arabic_passage_shuffled_across_sentences_is_rewritten() -> None:
    source = (
        "أعلنت وزارة الصحة اليوم عن حملة وطنية للتطعيم ضد شلل الأطفال في جميع المحافظات. "
        "وتستمر الحملة خمسة أيام وتستهدف أكثر من مليوني طفل دون سن الخامسة. "
        "وقال المتحدث باسم الوزارة إن فرقا متنقلة ستزور القرى النائية والمخيمات. "
        "ودعت الوزارة الأسر إلى التعاون مع الفرق الصحية وعدم التردد في تطعيم أبنائها."
    )
    derived = "افتتح المعرض الدولي للكتاب أبوابه أمس.\n" + _shuffled(source, [24, 26], seed=2)
    operations = [s.operation for s in _diff(source, derived)]
    assert operations == ["added", "rewritten"]


def test_a_repeated_passage_is_taken_both_times() -> None:
    derived = _PASSAGE + "\nThe governor visited the region on Sunday.\n" + _PASSAGE
    segments = _diff(_PASSAGE, derived)
    assert [s.operation for s in segments] == [*["same"] * 4, "added", "moved"]
    assert segments[-1].match == "same" and segments[-1].source_sentences == (0, 1, 2, 3)


def test_unrelated_text_sharing_function_words_is_no_passage() -> None:
    derived = (
        "The opposition has called for new elections in the spring of next year. "
        "The party says the vote was rigged and the count was late in the north. "
        "The court will hear the case in the winter before the new parliament meets."
    )
    assert {s.operation for s in _diff(_PASSAGE, derived)} == {"added", "dropped"}


def test_a_one_word_line_is_no_match() -> None:
    source = "Floods hit the northern province overnight.\nإلخ.\n"
    derived = "The central bank raised rates by half a point.\nإلخ.\n"
    assert sorted(_operations(source, derived)) == ["added", "added", "dropped", "dropped"]
