"""Workflows of the segment API: member lists, pages and change feeds.

Members sent in a request are checked one by one with parsing.normalise_id,
staged in a storage.MemberStage and applied by services.change_members
while the segment row is locked, as an import is.
"""

import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from herow_segments.api.pagination import after
from segments import services, storage
from segments.models import IdType, Member, Segment, SegmentKind
from segments.parsing import normalise_id

logger = logging.getLogger(__name__)

MAX_MEMBERS_PER_REQUEST = 10_000
EDITABLE_KINDS = (SegmentKind.IMPORTED, SegmentKind.API)
TYPE_CODES = {member.label: member.value for member in IdType}
TYPE_NAMES = {member.value: member.label for member in IdType}
MEMBER_KEYS = frozenset(("type", "id"))
SURROGATE = re.compile("[\ud800-\udfff]")
REASON_SHAPE = 'each member needs exactly the keys "type" and "id"'
REASON_SURROGATE = "contains a character that is not valid Unicode"


class SegmentNotEditable(Exception):
    """The segment's members are computed, not sent; str(exc) says so."""


class NoValidMembers(Exception):
    """Every member sent was invalid, so nothing was changed."""

    def __init__(self, invalid: list["InvalidMember"]):
        super().__init__("None of the members is valid; nothing was changed.")
        self.invalid = invalid


class SegmentNameTaken(Exception):
    """Another segment of the company has this name."""


@dataclass(frozen=True)
class InvalidMember:
    index: int
    reason: str


@dataclass
class MemberList:
    """The identifiers of a request, normalised and deduplicated."""

    pairs: list[tuple[int, str]] = field(default_factory=list)
    invalid: list[InvalidMember] = field(default_factory=list)
    duplicates: int = 0


@dataclass
class MemberReport:
    """What a change of members did, under the API's names."""

    change: services.MembershipChange
    members: MemberList

    def as_dict(self) -> dict:
        return {
            "added": self.change.added,
            "removed": self.change.removed,
            "already_members": self.change.already_members,
            "not_members": self.change.not_members,
            "duplicates": self.members.duplicates,
            "invalid": [
                {"index": item.index, "reason": item.reason}
                for item in self.members.invalid
            ],
            "member_count": self.change.member_count,
        }


def read_members(items: list[dict]) -> MemberList:
    """Normalise each {"type", "id"} item, noting invalid and repeated ones."""
    members = MemberList()
    seen: set[tuple[int, str]] = set()
    for index, item in enumerate(items):
        try:
            pair = read_member(item)
        except ValueError as error:
            members.invalid.append(InvalidMember(index, str(error)))
            continue
        if pair in seen:
            members.duplicates += 1
            continue
        seen.add(pair)
        members.pairs.append(pair)
    return members


def read_member(item: dict) -> tuple[int, str]:
    """Return the (type code, stored value) of one item or raise ValueError."""
    if item.keys() != MEMBER_KEYS:
        raise ValueError(REASON_SHAPE)
    id_type, raw = item["type"], item["id"]
    if not isinstance(id_type, str) or id_type not in TYPE_CODES:
        raise ValueError(
            f"unknown ID type {str(id_type)[:50]!r}; expected device_id, "
            "advertising_id or custom_id"
        )
    value = normalise_id(id_type, raw)
    if SURROGATE.search(value):
        raise ValueError(REASON_SURROGATE)
    return TYPE_CODES[id_type], value


def change_segment_members(segment: Segment, mode: str, items: list[dict]):
    """Add, remove or replace members of a segment from a request's items."""
    members = read_members(items)
    if items and not members.pairs:
        raise NoValidMembers(members.invalid)
    if not members.pairs and mode != "replace":
        check_editable(segment)
        change = services.MembershipChange(member_count=segment.member_count)
        return MemberReport(change, members)

    with storage.MemberStage(f"api_{segment.pk}") as stage:
        stage.load(members.pairs)
        with transaction.atomic():
            locked = Segment.objects.select_for_update().get(pk=segment.pk)
            check_editable(locked)
            change = services.change_members(locked, mode, stage)
    logger.info(
        "segment members changed segment_id=%s mode=%s sent=%s added=%s "
        "removed=%s invalid=%s members=%s",
        segment.pk,
        mode,
        len(items),
        change.added,
        change.removed,
        len(members.invalid),
        change.member_count,
    )
    return MemberReport(change, members)


def check_editable(segment: Segment) -> None:
    if segment.kind not in EDITABLE_KINDS:
        raise SegmentNotEditable(
            f"The members of a {segment.get_kind_display().lower()} segment are "
            "computed and cannot be changed through the API."
        )


@transaction.atomic
def create_api_segment(*, company, fields: dict, items: list[dict] | None):
    """Create a segment of kind api, with its first members if any."""
    try:
        with transaction.atomic():
            segment = services.create_segment(
                company=company, user=None, kind=SegmentKind.API, **fields
            )
    except (ValidationError, IntegrityError) as error:
        raise_for_taken_name(error)
    report = None
    if items is not None:
        report = change_segment_members(segment, "add", items)
        segment.refresh_from_db()
    return segment, report


def update_segment(segment: Segment, fields: dict) -> Segment:
    """Change a segment's name, description, category or objective."""
    for name, value in fields.items():
        setattr(segment, name, value)
    try:
        with transaction.atomic():
            segment.full_clean()
            segment.save(update_fields=[*fields, "updated_at"])
    except (ValidationError, IntegrityError) as error:
        raise_for_taken_name(error)
    logger.info("segment updated segment_id=%s fields=%s", segment.pk, sorted(fields))
    return segment


def raise_for_taken_name(error: Exception) -> None:
    """Turn a clash of names into SegmentNameTaken, re-raising the rest."""
    if isinstance(error, IntegrityError) or "__all__" in getattr(
        error, "message_dict", {}
    ):
        raise SegmentNameTaken("A segment with this name already exists.") from error
    raise error


def page_of_members(segment: Segment, position: tuple | None, limit: int):
    """Return up to limit active members after position, and whether more."""
    members = Member.objects.filter(is_active=True)
    if position is None:
        members = members.filter(segment_id=segment.pk)
    else:
        # With "segment_id = %s" PostgreSQL starts the index scan at the
        # segment's first row and filters up to the cursor; "<=" lets the
        # row comparison start it at the cursor.
        members = members.filter(
            pk__gt=(segment.pk, *position), segment_id__lte=segment.pk
        )
    rows = list(members.order_by("pk").values_list("id_type", "value")[: limit + 1])
    return rows[:limit], len(rows) > limit


def page_of_changes(segment: Segment, position: tuple | None, limit: int):
    """Return up to limit changes after position, in revision order."""
    changes = Member.objects.filter(segment_id=segment.pk)
    if position is not None:
        changes = changes.filter(after(["revision", "id_type", "value"], position))
    rows = list(
        changes.order_by("revision", "id_type", "value").values_list(
            "revision", "id_type", "value", "is_active"
        )[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def segments_with_member(id_type: str, raw_id: str):
    """Return the active company's segments the identifier belongs to."""
    value = normalise_id(id_type, raw_id)
    membership = Member.objects.filter(
        segment_id=OuterRef("pk"),
        id_type=TYPE_CODES[id_type],
        value=value,
        is_active=True,
    )
    return Segment.objects.filter(Exists(membership))


def page_of_segments(filters: dict, position: tuple | None, limit: int):
    """Return up to limit segments after position, filtered, in id order."""
    segments = Segment.objects.all()
    if filters.get("kind"):
        segments = segments.filter(kind=filters["kind"])
    if filters.get("name"):
        segments = segments.filter(name__icontains=filters["name"])
    if position is not None:
        segments = segments.filter(pk__gt=position[0])
    rows = list(segments.order_by("pk")[: limit + 1])
    return rows[:limit], len(rows) > limit
