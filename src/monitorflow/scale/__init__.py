"""Windows of any size: lazy sources, mergeable column profiles and exact out-of-core statistics.

``Report.run`` and ``TestSuite.run`` accept a :class:`ParquetSource` (or any :class:`LazySource`) as
``reference_data`` or ``current_data``; see ``docs/scale.md``. Nothing here is imported by
``import monitorflow``.
"""

from monitorflow.scale.options import ScaleOptions, configure, options
from monitorflow.scale.profile import ColumnProfile, FixedHistogram, Moments, ValueCounts, merge_profiles
from monitorflow.scale.source import FrameSource, LazySource, ParquetSource, Partition

__all__ = [
    "ColumnProfile",
    "FixedHistogram",
    "FrameSource",
    "LazySource",
    "Moments",
    "ParquetSource",
    "Partition",
    "ScaleOptions",
    "ValueCounts",
    "configure",
    "merge_profiles",
    "options",
]
