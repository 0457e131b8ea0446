"""Named thresholds and sizes that shape matching, validated on creation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from dedup.normalize import NORMALIZATION_VERSION


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that changes which documents are grouped.

    The defaults were measured on the seed articles and the synthetic corpus in
    ``bench/`` (see the README, "How the thresholds were chosen").
    """

    #: Words per shingle. 3 separates rewrites from same-topic coverage best on the
    #: seeds (true pairs share 16-39 % of the smaller side's 3-grams, same-topic
    #: coverage at most 2 %); 5-grams leave separate translations with 6-9 %.
    shingle_size: int = 3
    #: MinHash permutations per document.
    num_perm: int = 128
    #: Seed of the MinHash permutations (datasketch's affine32 scheme).
    seed: int = 1
    #: LSH bands and rows per band (bands * rows == num_perm). One row per band makes
    #: every shared minimum a candidate: rewrites share sentences, not documents, so
    #: their Jaccard is 0.08-0.20, where any band of two or more rows almost never fires.
    lsh_bands: int = 128
    lsh_rows: int = 1
    #: Bands two documents must share before the exact check (an estimated Jaccard
    #: of at least min_band_matches / lsh_bands).
    min_band_matches: int = 2
    #: A band bucket holding more documents than this (a stock phrase, or one story
    #: copied many times) pairs each member with the bucket's first document only,
    #: not with every other member: on 100k synthetic documents, buckets over 100
    #: documents made 27 million of the pairs to count.
    star_bucket_size: int = 50
    #: Index queries: a band bucket holding more documents than this gives only those
    #: with the lowest numbers (the earliest added or replaced). A phrase found in
    #: thousands of documents says little about any of them, and reading whole buckets
    #: made the median query on 1M synthetic documents 6.1 ms (40 ms at worst) instead
    #: of 1.7 ms, for no match more; a story copied more often than this is still
    #: found, through its earliest copies.
    index_bucket_limit: int = 300
    #: Exact check: share of the smaller document's shingles found in the larger.
    min_containment: float = 0.10
    #: Exact check: Jaccard of the two shingle sets. Low, because a 60-word brief
    #: taken from an 800-word wire file has a Jaccard near 0.02 (METER).
    min_jaccard: float = 0.01
    #: Exact check: shingles the two documents have in common, so that two short
    #: texts sharing one stock phrase are not a match. 8 keeps the newspaper briefs of
    #: METER that share 8-14 3-grams (a quarter or more of the brief) with their PA
    #: copy; the containment threshold keeps long documents sharing a few stock
    #: phrases apart (seed 003 shares 10 with 004, 1.7 % of it).
    min_shared_shingles: int = 8
    #: Exact check: a pair sharing this many shingles needs half ``min_containment``
    #: (0: never). A fixed share asks more of a long document than evidence needs: 10 %
    #: of a 600-word report is 60 3-grams, where 20 shared 3-grams are already more
    #: than independent reports of one event share (SemEval pairs rated different
    #: events, at 5-10 % containment: at most 17). METER: newspaper articles grouped
    #: with their own PA copy 0.864 without, 0.899 with 20; with another story 0.003
    #: either way.
    many_shared_shingles: int = 20
    #: Chaining guard: two members of one cluster that share no verified edge must
    #: still be about the same thing (TF-IDF cosine of their words at least this).
    #: 0.10: at 0.20, a newspaper's independent report of a trial kept other papers'
    #: copies of the PA story out of their cluster (METER: 0.85 grouped with their PA
    #: copy at 0.10, 0.80 at 0.20, for 0.019 and 0.018 with another story).
    min_topic_similarity: float = 0.10
    #: Chaining guard: the topic relation holds only between documents published at
    #: most this many days apart, as UTC calendar dates (many sources give no time of
    #: day; 0: any; undated documents: any). Rewrites of one
    #: wire story appear within days; a court case or a war is news for months, and
    #: PA's follow-up on a case two months later, reusing its background, joined the
    #: old story's cluster by topic alone. METER, newspaper articles grouped with
    #: another catchline: 0.012 without a window, 0.003 at 1 to 14 days, 0.004 at 30
    #: (one mislabelled article corrected; 0.019, 0.010, 0.012 as shipped); with their
    #: own PA copy 0.864 at 7 days and without, 0.860 at 1.
    topic_window_days: int = 7

    def __post_init__(self) -> None:
        for setting in fields(self):
            value = getattr(self, setting.name)
            if setting.type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{setting.name} must be a whole number, got {value!r}")
            if setting.type == "float" and (
                isinstance(value, bool) or not isinstance(value, (int, float))
            ):
                raise ValueError(f"{setting.name} must be a number, got {value!r}")
        _require(0 <= self.seed < 2**32, "seed", self.seed, "between 0 and 2**32 - 1")
        _require(self.shingle_size >= 1, "shingle_size", self.shingle_size, "at least 1")
        _require(self.num_perm >= 1, "num_perm", self.num_perm, "at least 1")
        _require(self.lsh_bands >= 1, "lsh_bands", self.lsh_bands, "at least 1")
        _require(self.lsh_rows >= 1, "lsh_rows", self.lsh_rows, "at least 1")
        _require(
            self.lsh_bands * self.lsh_rows == self.num_perm,
            "lsh_bands * lsh_rows",
            self.lsh_bands * self.lsh_rows,
            f"equal to num_perm ({self.num_perm})",
        )
        _require(
            1 <= self.min_band_matches <= self.lsh_bands,
            "min_band_matches",
            self.min_band_matches,
            f"between 1 and lsh_bands ({self.lsh_bands})",
        )
        _require(
            self.star_bucket_size >= 2, "star_bucket_size", self.star_bucket_size, "at least 2"
        )
        _require(
            self.index_bucket_limit >= 1,
            "index_bucket_limit",
            self.index_bucket_limit,
            "at least 1",
        )
        _require(
            self.topic_window_days >= 0, "topic_window_days", self.topic_window_days, "0 or more"
        )
        for name in ("min_containment", "min_jaccard", "min_topic_similarity"):
            value = getattr(self, name)
            _require(0.0 <= value <= 1.0, name, value, "between 0 and 1")
        _require(
            self.min_shared_shingles >= 1,
            "min_shared_shingles",
            self.min_shared_shingles,
            "at least 1",
        )
        _require(
            self.many_shared_shingles >= 0,
            "many_shared_shingles",
            self.many_shared_shingles,
            "0 or more",
        )

    def as_dict(self) -> dict[str, int | float]:
        """The settings plus the normalization version, for reports and indexes."""
        values: dict[str, int | float] = asdict(self)
        values["normalization_version"] = NORMALIZATION_VERSION
        return values

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The names of all settings, in declaration order."""
        return tuple(field.name for field in fields(cls))


def _require(condition: bool, name: str, value: object, expectation: str) -> None:
    if not condition:
        raise ValueError(f"{name} must be {expectation}, got {value!r}")
