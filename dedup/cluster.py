"""Verified edges -> syndication clusters, with a guard against chaining.

Connected components chain: a round-up that pastes two wire stories links each of
them, and the two stories would become one. dedup grows clusters edge by edge, the
most alike pairs first (Jaccard, then containment, then ids, so the result does not
depend on input order; and a short excerpt, contained whole in one member but little
like the rest, comes last instead of claiming that member first), and merges two
groups only when every pair across them either is a verified edge or is about the same
thing (``all_related``: TF-IDF cosine of their words, see :mod:`dedup.topic`, and
published within days of each other when both are dated). This is
complete linkage over the relation "matched or on the same topic": separate
translations of one wire story, which share little text with each other, still join
through the copy they share, while a hub that joins two unrelated stories keeps only
the one it matches best.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from dedup.models import Cluster, Edge

#: Whether every pair given (ids in sorted order) is about the same thing: asked once
#: per merge, for all its pairs, so that it can be answered in one vectorized step (a
#: cluster of 2,000 copies asks about two million pairs).
AllRelated = Callable[[Sequence[tuple[str, str]]], bool]


def build_clusters(
    edges: Sequence[Edge], all_related: AllRelated, near_copy_jaccard: float = 1.0
) -> tuple[Cluster, ...]:
    """Group the documents linked by ``edges`` into clusters of two or more.

    Two documents with edges of Jaccard ``near_copy_jaccard`` or more to one common
    document count as linked: Jaccard distance is a metric, so their own Jaccard is at
    least ``2 * near_copy_jaccard - 1`` (the exact check would pass them). A band bucket
    of more than ``star_bucket_size`` documents pairs its members with its first only,
    and without this, copies of one story in a big cluster fell back on the topic test.

    Returns clusters sorted by size (largest first), then by their smallest member id,
    with ids ``"1"``, ``"2"``, ... in that order; members are sorted by id.
    """
    linked = {(edge.first, edge.second) for edge in edges}
    close: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.jaccard >= near_copy_jaccard:
            close[edge.first].add(edge.second)
            close[edge.second].add(edge.first)
    group_of: dict[str, int] = {}
    groups: dict[int, list[str]] = {}
    for edge in sorted(edges, key=_strength):
        first = _group_for(edge.first, group_of, groups)
        second = _group_for(edge.second, group_of, groups)
        if first == second:
            continue
        if not _compatible(groups[first], groups[second], linked, close, all_related):
            continue
        keep, absorb = (
            (first, second) if len(groups[first]) >= len(groups[second]) else (second, first)
        )
        for member in groups.pop(absorb):
            group_of[member] = keep
            groups[keep].append(member)

    edges_by_group: dict[int, list[Edge]] = defaultdict(list)
    for edge in edges:
        if group_of[edge.first] == group_of[edge.second]:
            edges_by_group[group_of[edge.first]].append(edge)
    ordered = sorted(
        (sorted(members) for members in groups.values() if len(members) >= 2),
        key=lambda members: (-len(members), members[0]),
    )
    clusters = []
    for number, members in enumerate(ordered, start=1):
        cluster_edges = sorted(
            edges_by_group[group_of[members[0]]], key=lambda e: (e.first, e.second)
        )
        clusters.append(
            Cluster(
                id=str(number),
                members=tuple(members),
                edges=tuple(cluster_edges),
                center=_most_connected(members, cluster_edges),
            )
        )
    return tuple(clusters)


def _strength(edge: Edge) -> tuple[float, float, str, str]:
    return (-edge.jaccard, -edge.containment, edge.first, edge.second)


def _group_for(document: str, group_of: dict[str, int], groups: dict[int, list[str]]) -> int:
    if document not in group_of:
        group_of[document] = len(group_of)
        groups[group_of[document]] = [document]
    return group_of[document]


def _compatible(
    first: list[str],
    second: list[str],
    linked: set[tuple[str, str]],
    close: dict[str, set[str]],
    all_related: AllRelated,
) -> bool:
    unlinked = [
        pair
        for a in first
        for b in second
        for pair in (((a, b) if a < b else (b, a)),)
        if pair not in linked and close.get(a, _NONE).isdisjoint(close.get(b, _NONE))
    ]
    return not unlinked or all_related(unlinked)


_NONE: set[str] = set()


def _most_connected(members: list[str], edges: list[Edge]) -> str:
    """The member with the most edges; ties go to the larger summed containment, then the id."""
    degree: dict[str, int] = dict.fromkeys(members, 0)
    weight: dict[str, float] = dict.fromkeys(members, 0.0)
    for edge in edges:
        for end in (edge.first, edge.second):
            degree[end] += 1
            weight[end] += edge.containment
    return min(members, key=lambda member: (-degree[member], -weight[member], member))
