"""The plain datasketch recipe, the baseline every benchmark measures beside dedup.

As datasketch's README shows it: one ``MinHash.update`` per lower-cased word 5-gram,
128 permutations, ``MinHashLSH`` at threshold 0.5, and clusters as the connected
components of what the LSH returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

NUM_PERM = 128
THRESHOLD = 0.5
SHINGLE_WORDS = 5


def plain_sketches(texts: Sequence[str]) -> list[Any]:
    """One MinHash per text, over its lower-cased whitespace-split word 5-grams."""
    from datasketch import MinHash

    sketches = []
    for text in texts:
        tokens = text.lower().split()
        sketch = MinHash(num_perm=NUM_PERM)
        for start in range(max(1, len(tokens) - SHINGLE_WORDS + 1)):
            sketch.update(" ".join(tokens[start : start + SHINGLE_WORDS]).encode("utf-8"))
        sketches.append(sketch)
    return sketches


def plain_groups(ids: Sequence[str], sketches: Sequence[Any]) -> list[list[str]]:
    """Groups of two or more ids: connected components of the LSH's answers."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for identifier, sketch in zip(ids, sketches, strict=True):
        lsh.insert(identifier, sketch)
    parent = {identifier: identifier for identifier in ids}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for identifier, sketch in zip(ids, sketches, strict=True):
        for other in lsh.query(sketch):
            parent[root(other)] = root(identifier)
    groups: dict[str, list[str]] = {}
    for identifier in ids:
        groups.setdefault(root(identifier), []).append(identifier)
    return [members for members in groups.values() if len(members) >= 2]
