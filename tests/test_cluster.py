from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from dedup.cluster import AllRelated, build_clusters
from dedup.models import Edge


def _edge(first: str, second: str, containment: float = 0.5) -> Edge:
    low, high = sorted((first, second))
    return Edge(low, high, containment, containment / 2, 50)


def _each(related: Callable[[str, str], bool]) -> AllRelated:
    """The batch relation build_clusters asks, from a relation of one pair."""
    return lambda pairs: all(related(first, second) for first, second in pairs)


_never = _each(lambda first, second: False)


def test_a_round_up_does_not_chain_two_stories() -> None:
    # B pastes stories A and C; A and C share nothing and are about different things.
    clusters = build_clusters([_edge("A", "B", 0.6), _edge("B", "C", 0.4)], _never)
    assert [cluster.members for cluster in clusters] == [("A", "B")]


def test_members_without_an_edge_join_when_on_the_same_topic() -> None:
    # Two separate translations of one wire story: each matches the wire, barely each other.
    def same_story(first: str, second: str) -> bool:
        return {first, second} == {"translation-1", "translation-2"}

    edges = [_edge("wire", "translation-1", 0.3), _edge("wire", "translation-2", 0.2)]
    clusters = build_clusters(edges, _each(same_story))
    assert [cluster.members for cluster in clusters] == [("translation-1", "translation-2", "wire")]
    assert clusters[0].center == "wire"


def test_fully_linked_documents_form_one_cluster_and_ids_are_stable() -> None:
    edges = [_edge(a, b) for a, b in [("a", "b"), ("a", "c"), ("b", "c"), ("x", "y")]]
    clusters = build_clusters(edges, _never)
    assert [(c.id, c.members) for c in clusters] == [("1", ("a", "b", "c")), ("2", ("x", "y"))]
    assert len(clusters[0].edges) == 3


def test_center_is_the_most_connected_member() -> None:
    edges = [
        _edge("hub", "a", 0.2),
        _edge("hub", "b", 0.2),
        _edge("hub", "c", 0.2),
        _edge("a", "b", 0.9),
    ]
    clusters = build_clusters(edges, _each(lambda first, second: True))
    assert clusters[0].members == ("a", "b", "c", "hub")
    assert clusters[0].center == "hub"


_NAMES = st.sampled_from(list("abcdefgh"))
_EDGES = st.lists(
    st.tuples(_NAMES, _NAMES, st.sampled_from([0.1, 0.2, 0.3, 0.5, 0.8])).filter(
        lambda t: t[0] != t[1]
    ),
    max_size=14,
    unique_by=lambda t: tuple(sorted(t[:2])),
)


@given(_EDGES, st.randoms())
def test_clusters_do_not_depend_on_edge_order(raw: list, random: object) -> None:
    edges = [_edge(a, b, c) for a, b, c in raw]
    shuffled = list(edges)
    random.shuffle(shuffled)  # type: ignore[attr-defined]

    def related(first: str, second: str) -> bool:
        return (ord(first) + ord(second)) % 3 == 0

    assert build_clusters(edges, _each(related)) == build_clusters(shuffled, _each(related))


@given(_EDGES)
def test_every_document_is_in_at_most_one_cluster(raw: list) -> None:
    clusters = build_clusters([_edge(a, b, c) for a, b, c in raw], _never)
    members = [m for cluster in clusters for m in cluster.members]
    assert len(members) == len(set(members))
    for cluster in clusters:
        assert len(cluster.members) >= 2
        # Without topic relations, every pair in a cluster must be a verified edge.
        linked = {(e.first, e.second) for e in cluster.edges}
        assert len(linked) == len(cluster.members) * (len(cluster.members) - 1) // 2


def test_near_copies_of_one_document_need_no_topic_test() -> None:
    # a and b were each checked only against h (a big band bucket pairs its members
    # with its first document): Jaccard 0.6 to h puts them within 0.8 of each other.
    copies = [Edge("a", "h", 0.7, 0.6, 90), Edge("b", "h", 0.7, 0.6, 90)]
    assert [c.members for c in build_clusters(copies, _never, 0.55)] == [("a", "b", "h")]
    assert [c.members for c in build_clusters(copies, _never)] == [("a", "h")]
    # A round-up h holding a and b (Jaccard 0.4 each) proves nothing about a and b.
    round_up = [Edge("a", "h", 0.9, 0.4, 90), Edge("b", "h", 0.9, 0.4, 90)]
    assert [c.members for c in build_clusters(round_up, _never, 0.55)] == [("a", "h")]
