from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.similarity import similarity, similarity_matrix

_SENTENCE = st.lists(st.sampled_from("في من على قال الوزير العام the of said minister".split()))


@settings(max_examples=100, deadline=None)
@given(st.lists(_SENTENCE, min_size=1, max_size=6), st.lists(_SENTENCE, min_size=1, max_size=6))
def test_the_matrix_holds_the_similarity_and_shared_words_of_every_pair(
    source: list[list[str]], derived: list[list[str]]
) -> None:
    matrix = similarity_matrix(source, derived)
    assert matrix.scores.shape == matrix.shared_words.shape == (len(source), len(derived))
    for i, first in enumerate(source):
        for j, second in enumerate(derived):
            assert abs(float(matrix.scores[i, j]) - similarity(first, second)) < 1e-3
            assert matrix.shared_words[i, j] == len(set(first) & set(second))


@given(_SENTENCE, _SENTENCE)
def test_similarity_is_symmetric_and_between_0_and_100(first: list[str], second: list[str]) -> None:
    assert similarity(first, second) == similarity(second, first)
    assert 0 <= similarity(first, second) <= 100
