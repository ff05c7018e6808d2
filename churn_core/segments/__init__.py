"""Groups of customers who behave alike: KMeans on standardised behaviour and value columns,
the number of segments from silhouette and elbow, names from what sets each apart, and an
editable play per segment. Charts are in :mod:`churn_core.segments.plots`."""

from churn_core.segments.inputs import (
    get_left_out_columns,
    get_segment_columns,
)
from churn_core.segments.k_choice import (
    KChoice,
)
from churn_core.segments.plays import (
    CONDITIONS,
    MARGIN,
    PLAY_COLUMN,
    RULE_MEASURES,
    get_default_plays,
    get_segment_plays,
)
from churn_core.segments.segmentation import (
    Segmentation,
    choose_k,
    fit_segments,
)

__all__ = [
    "CONDITIONS",
    "MARGIN",
    "PLAY_COLUMN",
    "RULE_MEASURES",
    "KChoice",
    "Segmentation",
    "choose_k",
    "fit_segments",
    "get_default_plays",
    "get_left_out_columns",
    "get_segment_columns",
    "get_segment_plays",
]
