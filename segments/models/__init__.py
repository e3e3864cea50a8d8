from segments.models.imports import (
    ImportMode,
    ImportSource,
    ImportStatus,
    SegmentImport,
)
from segments.models.segment import (
    IdType,
    Member,
    Segment,
    SegmentKind,
    SegmentObjective,
    SegmentStatus,
)

__all__ = [
    "IdType",
    "ImportMode",
    "ImportSource",
    "ImportStatus",
    "Member",
    "Segment",
    "SegmentImport",
    "SegmentKind",
    "SegmentObjective",
    "SegmentStatus",
]
