"""The ``dedup.report/1`` JSON document (documented in the README; keep it stable)."""

from __future__ import annotations

import json
from typing import Any

from dedup.models import Cluster, Edge, Report, cluster_ids

SCHEMA = "dedup.report/1"


def _lineage_fields(cluster: Cluster) -> dict[str, Any]:
    """source, reconstructed_wire, lineage and member_shares (null or empty when not traced)."""
    lineage = cluster.lineage
    if lineage is None:
        return {
            "source": None,
            "wire_versions": [],
            "reconstructed_wire": None,
            "lineage": [],
            "member_shares": {},
        }
    return {
        "source": lineage.source,
        "wire_versions": list(lineage.versions),
        "reconstructed_wire": lineage.reconstructed_text,
        "lineage": [{"parent": m.parent, "child": m.id} for m in lineage.members],
        "member_shares": {
            m.id: {
                "kept": m.kept,
                "rewritten": m.rewritten,
                "dropped": m.dropped,
                "added": m.added,
                "compared_with": m.compared_with,
            }
            for m in lineage.members
        },
    }


def _edge_fields(edge: Edge) -> dict[str, Any]:
    return {
        "first": edge.first,
        "second": edge.second,
        "containment": edge.containment,
        "jaccard": edge.jaccard,
        "shared_shingles": edge.shared_shingles,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    cluster_of = cluster_ids(report.clusters)
    return {
        "schema": SCHEMA,
        "summary": {
            "documents": len(report.documents),
            "skipped": len(report.skipped),
            "clusters": len(report.clusters),
            "unmatched": len(report.unmatched),
            "links": len(report.links),
        },
        "settings": dict(report.settings),
        "documents": [
            {
                "id": summary.article.id,
                "source": summary.article.source,
                "title": summary.article.title,
                "outlet": summary.article.outlet,
                "url": summary.article.url,
                "published": summary.article.published,
                "word_count": summary.word_count,
                "teaser": summary.article.teaser,
                "credits": [
                    {"agency": credit.agency, "where": credit.where, "evidence": credit.evidence}
                    for credit in summary.credits
                ],
                "boilerplate": list(summary.boilerplate),
                "no_article_text": summary.no_article_text,
                "wire": summary.wire,
                "cluster": cluster_of.get(summary.article.id),
            }
            for summary in report.documents
        ],
        "clusters": [
            {
                "id": cluster.id,
                "center": cluster.center,
                "members": list(cluster.members),
                **_lineage_fields(cluster),
                "edges": [_edge_fields(edge) for edge in cluster.edges],
            }
            for cluster in report.clusters
        ],
        "links": [
            {
                **_edge_fields(edge),
                "first_cluster": cluster_of.get(edge.first),
                "second_cluster": cluster_of.get(edge.second),
            }
            for edge in report.links
        ],
        "unmatched": list(report.unmatched),
        "skipped": [{"source": item.source, "reason": item.reason} for item in report.skipped],
    }


def render_json(report: Report) -> str:
    """The report as one JSON object (UTF-8 text, Arabic unescaped), newline-terminated."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"
