"""Use cases that create segments and change who is in them."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from segments import storage
from segments.models import IdType, ImportMode, Member, Segment

logger = logging.getLogger(__name__)


@dataclass
class MembershipChange:
    """What one change of membership did."""

    added: int = 0
    removed: int = 0
    already_members: int = 0
    not_members: int = 0
    distinct: int = 0
    loaded: int = 0
    member_count: int = 0


def change_members(
    segment: Segment, mode: str, stage: storage.MemberStage
) -> MembershipChange:
    """Apply the staged identifiers to a locked segment in the given mode."""
    stage.prepare()
    change = MembershipChange()
    revision = segment.revision + 1
    if mode == ImportMode.NEW:
        change.added = change.distinct = stage.add_to(segment.pk, revision, True)
        refresh_member_counts(segment, revision=revision)
        change.member_count = segment.member_count
        return change

    change.distinct = stage.count_distinct()
    if mode == ImportMode.REPLACE:
        change.removed = stage.remove_others_from(segment.pk, revision)
    if mode == ImportMode.REMOVE:
        change.removed = stage.remove_from(segment.pk, revision)
        change.not_members = change.distinct - change.removed
    else:
        change.added = stage.add_to(segment.pk, revision)
        change.already_members = change.distinct - change.added

    refresh_member_counts(segment, revision=revision)
    change.member_count = segment.member_count
    return change


def refresh_member_counts(segment: Segment, revision: int | None = None) -> None:
    """Recount a segment's active members and save the counts."""
    counts = storage.count_active_members(segment.pk)
    segment.device_id_count = counts.get(IdType.DEVICE_ID, 0)
    segment.advertising_id_count = counts.get(IdType.ADVERTISING_ID, 0)
    segment.custom_id_count = counts.get(IdType.CUSTOM_ID, 0)
    segment.member_count = sum(counts.values())
    fields = [
        "device_id_count",
        "advertising_id_count",
        "custom_id_count",
        "member_count",
        "updated_at",
    ]
    if revision is not None:
        segment.revision = revision
        fields.append("revision")
    segment.save(update_fields=fields)


def create_segment(*, company, user, **fields) -> Segment:
    """Create an empty segment."""
    segment = Segment(company=company, created_by=user, **fields)
    segment.full_clean()
    segment.save()
    logger.info("segment created segment_id=%s company_id=%s", segment.pk, company.pk)
    return segment


def delete_segment(segment: Segment) -> None:
    """Delete a segment with its members and import history."""
    segment_id, company_id = segment.pk, segment.company_id
    files = [
        stored
        for job in segment.imports.all()
        for stored in (job.file, job.rejected_file)
        if stored
    ]
    segment.delete()
    for stored in files:
        transaction.on_commit(lambda stored=stored: stored.delete(save=False))
    logger.info("segment deleted segment_id=%s company_id=%s", segment_id, company_id)


def iter_member_rows(segment: Segment, chunk_size: int = 5_000) -> Iterable[tuple]:
    """Yield (id_type, value) of active members in key order, in chunks."""
    last = (0, "")
    while True:
        chunk = list(
            Member.objects.filter(segment_id=segment.pk, is_active=True)
            .filter(Q(id_type__gt=last[0]) | Q(id_type=last[0], value__gt=last[1]))
            .order_by("id_type", "value")
            .values_list("id_type", "value")[:chunk_size]
        )
        if not chunk:
            return
        for id_type, value in chunk:
            yield IdType(id_type).label, value
        last = chunk[-1]
