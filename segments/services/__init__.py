"""Use cases of the segments app: membership changes, imports, demo data."""

from segments.services.demo import DEMO_SEGMENTS, seed_demo_segments
from segments.services.imports import (
    ImportRefused,
    claim_import,
    create_import,
    import_now,
    reset_stuck_imports,
    run_import,
    start_import,
    summarise_import,
    summarise_refusal,
)
from segments.services.membership import (
    MembershipChange,
    change_members,
    create_segment,
    delete_segment,
    iter_member_rows,
    refresh_member_counts,
)

__all__ = [
    "DEMO_SEGMENTS",
    "ImportRefused",
    "MembershipChange",
    "change_members",
    "claim_import",
    "create_import",
    "create_segment",
    "delete_segment",
    "import_now",
    "iter_member_rows",
    "refresh_member_counts",
    "reset_stuck_imports",
    "run_import",
    "seed_demo_segments",
    "start_import",
    "summarise_import",
    "summarise_refusal",
]
