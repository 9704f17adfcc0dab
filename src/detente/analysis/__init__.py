"""Analysis over the whole store: dyad time series, turning points, the actor network, and
disagreements between sources (numbers and dates reported differently).

Counts are of *canonical* events (see :mod:`detente.link`): the same strike reported by three
articles counts once. One module per concept:

* :mod:`~detente.analysis.dyads`: dyad time series and their turning points;
* :mod:`~detente.analysis.network`: the actor network (computed, exported, or read back);
* :mod:`~detente.analysis.quantities`: the claim rules and the numbers they find in text;
* :mod:`~detente.analysis.claims`: numeric claims and the disagreements between documents;
* :mod:`~detente.analysis.stored`: whether linking's precomputed views are fresh, the stored triads;
* :mod:`~detente.analysis.precompute`: building those views at link time.
"""

from __future__ import annotations

from detente.analysis.claims import (
    DISAGREEMENT_COLUMNS,
    describe_subject,
    disagreement_pairs,
    disagreements,
    extract_claims,
    topic_label,
)
from detente.analysis.dyads import (
    BUCKETS,
    DIRECTIONS,
    SERIES_COLUMNS,
    DyadData,
    TurningPoint,
    bucket_of,
    dyad_series,
    load_dyad_data,
    turning_points,
)
from detente.analysis.network import actor_network, compute_network, export_network, node_names
from detente.analysis.precompute import precompute_views
from detente.analysis.quantities import (
    CLAIMS_FILE,
    ClaimRules,
    Quantity,
    Topic,
    find_quantities,
    load_claim_rules,
    parse_number,
    parse_quantity,
)
from detente.analysis.stored import mediation_triads, views_fresh

__all__ = [
    "BUCKETS",
    "CLAIMS_FILE",
    "DIRECTIONS",
    "DISAGREEMENT_COLUMNS",
    "SERIES_COLUMNS",
    "ClaimRules",
    "DyadData",
    "Quantity",
    "Topic",
    "TurningPoint",
    "actor_network",
    "bucket_of",
    "compute_network",
    "describe_subject",
    "disagreement_pairs",
    "disagreements",
    "dyad_series",
    "export_network",
    "extract_claims",
    "find_quantities",
    "load_claim_rules",
    "load_dyad_data",
    "mediation_triads",
    "node_names",
    "parse_number",
    "parse_quantity",
    "precompute_views",
    "topic_label",
    "turning_points",
    "views_fresh",
]
