"""Articles + settings -> report: the stages of grouping, in order.

1. features: set boilerplate lines aside, normalize, tokenize, shingle, sign, find
   agency credits (in worker processes for big batches), :mod:`.features`;
2. candidates: LSH banding over the signatures;
3. verification: exact shingle overlap of every candidate pair;
4. clusters: verified edges grouped with the chaining guard;
5. lineage: each cluster's source or reconstructed wire, parents and shares
   (2 to 5: :mod:`.grouping`).

Checks against an index and the calibration sweep are in :mod:`.checking`.
"""

from dedup.pipeline.checking import calibrate, check_items
from dedup.pipeline.features import (
    DocumentFeatures,
    OutletLines,
    ProgressCallback,
    compute_features,
    featurize,
    index_entries,
    iter_features,
    outlet_lines,
    stream_index_entries,
)
from dedup.pipeline.grouping import find_duplicates, member_diffs, trace_clusters, verified_edges

__all__ = [
    "DocumentFeatures",
    "OutletLines",
    "ProgressCallback",
    "calibrate",
    "check_items",
    "compute_features",
    "featurize",
    "find_duplicates",
    "index_entries",
    "iter_features",
    "member_diffs",
    "outlet_lines",
    "stream_index_entries",
    "trace_clusters",
    "verified_edges",
]
