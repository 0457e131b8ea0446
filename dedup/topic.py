"""Topical similarity of documents: TF-IDF cosine of their words (scikit-learn).

Used only by the chaining guard in :mod:`dedup.cluster`, to ask whether two members
of a would-be cluster that share no verified edge are at least about the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

WordIdArray = npt.NDArray[np.uint32]


class TopicSimilarity:
    """Cosine similarity of sublinear TF-IDF word vectors, IDF fitted on the given documents."""

    def __init__(self, bags: Sequence[tuple[WordIdArray, WordIdArray]]) -> None:
        """Fit on ``bags``: per document, its distinct word ids and their counts."""
        if not bags:
            raise ValueError("TopicSimilarity needs at least one document")
        # Imported here: scikit-learn and scipy take half a second to import, and most
        # runs (every batch without a cluster of three) never need them.
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfTransformer

        vocabulary, columns = np.unique(
            np.concatenate([ids for ids, _ in bags]), return_inverse=True
        )
        lengths = [ids.size for ids, _ in bags]
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        counts = np.concatenate([counts for _, counts in bags]).astype(np.float64)
        matrix = sparse.csr_matrix(
            (counts, columns.ravel(), indptr), shape=(len(bags), vocabulary.size)
        )
        transformer = TfidfTransformer(sublinear_tf=True, norm="l2", smooth_idf=True)
        self._vectors = transformer.fit_transform(matrix).tocsr()

    def similarities(
        self, first: npt.NDArray[np.intp], second: npt.NDArray[np.intp]
    ) -> npt.NDArray[np.float64]:
        """Cosines of the pairs of rows ``(first[i], second[i])``, in one sparse step."""
        products = self._vectors[first].multiply(self._vectors[second]).sum(axis=1)
        cosines: npt.NDArray[np.float64] = np.clip(np.asarray(products).ravel(), 0.0, 1.0)
        return cosines
