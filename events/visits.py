"""Turn the entry, exit and visit events of one device at one place into visits.

The rules, applied in device time whatever the order of arrival:

- an entry opens a visit; entries while it is open do not start another;
- the next exit closes it, with duration = exit - entry; a stay longer than
  the cap counts as the cap and is marked capped;
- a visit stays open for at most the cap: an entry after that leaves the
  old visit unclosed (no duration) and opens a new one;
- an exit with no open visit adds nothing;
- a visit never closed adds no duration;
- a ``visit`` event is a closed stay on its own, ending at its time.

Because the rules only look at the pair's own events in device time, the
visits of a pair are recomputed from all its events whenever new ones are
stored, which makes late and repeated deliveries harmless.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from events import storage
from events.models import PLACE_EVENT_TYPES, Event, EventType, Visit

logger = logging.getLogger(__name__)

# Entries sort before exits of the same instant, so a zero-length stay is
# one closed visit rather than a stray exit followed by an open visit.
TYPE_ORDER = {EventType.ENTRY: 0, EventType.VISIT: 1, EventType.EXIT: 2}
# A full batch of events touches at most this many pairs: one round of
# queries derives its visits.
PAIRS_PER_QUERY = 1_000


@dataclass(frozen=True)
class StayEvent:
    occurred_at: datetime
    type: str
    duration_s: int | None = None
    key: str = ""

    def sort_key(self) -> tuple:
        return (self.occurred_at, TYPE_ORDER[self.type], self.key)


@dataclass(frozen=True)
class DerivedVisit:
    entered_at: datetime
    exited_at: datetime | None
    duration_s: int
    is_closed: bool
    is_capped: bool


def derive_visits(events: Iterable[StayEvent], cap: timedelta) -> list[DerivedVisit]:
    """Return the visits that one device's events at one place make."""
    visits: list[DerivedVisit] = []
    open_since: datetime | None = None
    for event in sorted(events, key=StayEvent.sort_key):
        if event.type == EventType.VISIT:
            visits.append(reported_visit(event, cap))
        elif event.type == EventType.ENTRY:
            if open_since is not None and event.occurred_at - open_since > cap:
                visits.append(unclosed_visit(open_since))
                open_since = None
            if open_since is None:
                open_since = event.occurred_at
        elif open_since is not None:
            visits.append(closed_visit(open_since, event.occurred_at, cap))
            open_since = None
    if open_since is not None:
        visits.append(unclosed_visit(open_since))
    return visits


def closed_visit(entered_at: datetime, exited_at: datetime, cap: timedelta):
    stay = exited_at - entered_at
    return DerivedVisit(
        entered_at=entered_at,
        exited_at=exited_at,
        duration_s=int(min(stay, cap).total_seconds()),
        is_closed=True,
        is_capped=stay > cap,
    )


def unclosed_visit(entered_at: datetime) -> DerivedVisit:
    return DerivedVisit(entered_at, None, 0, is_closed=False, is_capped=False)


def reported_visit(event: StayEvent, cap: timedelta) -> DerivedVisit:
    stay = timedelta(seconds=event.duration_s or 0)
    return closed_visit(event.occurred_at - stay, event.occurred_at, cap)


@dataclass
class VisitChange:
    pairs: int = 0
    created: int = 0
    deleted: int = 0


def recompute_visits(
    company_id: int,
    pairs: Iterable[tuple[int, int]],
    new_pairs: dict[tuple[int, int], list[StayEvent]] | None = None,
) -> VisitChange:
    """Make the stored visits of each (device, place) pair match its events.

    new_pairs gives, for pairs that had no events before, their only
    events: no query reads their history.
    """
    change = VisitChange()
    new_pairs = new_pairs or {}
    pair_list = sorted(set(pairs))
    cap = settings.VISIT_MAX_DURATION
    for start in range(0, len(pair_list), PAIRS_PER_QUERY):
        chunk = set(pair_list[start : start + PAIRS_PER_QUERY])
        known = chunk - new_pairs.keys()
        events = fetch_stay_events(company_id, known) if known else {}
        stored = fetch_stored_visits(company_id, known) if known else {}
        for pair in chunk - known:
            events[pair] = new_pairs[pair]
        stale, fresh = diff_visits(company_id, chunk, events, stored, cap)
        if stale:
            Visit.all_companies.filter(pk__in=stale).delete()
        store_visits(fresh)
        change.pairs += len(chunk)
        change.created += len(fresh)
        change.deleted += len(stale)
    return change


def fetch_stay_events(company_id: int, pairs: set[tuple[int, int]]) -> dict:
    if storage.is_postgres():
        rows = storage.fetch_pair_events(company_id, pairs)
    else:
        rows = Event.all_companies.filter(
            company_id=company_id,
            device_id__in={device for device, _ in pairs},
            place_id__in={place for _, place in pairs},
            type__in=PLACE_EVENT_TYPES,
        ).values_list(
            "device_id", "place_id", "occurred_at", "type", "duration_s", "pk"
        )
    grouped = defaultdict(list)
    for device, place, occurred_at, type_, duration_s, pk in rows:
        if (device, place) in pairs:
            grouped[device, place].append(
                StayEvent(occurred_at, type_, duration_s, str(pk))
            )
    return grouped


def fetch_stored_visits(company_id: int, pairs: set[tuple[int, int]]) -> dict:
    if storage.is_postgres():
        rows = storage.fetch_pair_visits(company_id, pairs)
    else:
        rows = fetch_stored_visits_portably(company_id, pairs)
    grouped = defaultdict(list)
    for pk, device, place, *fields in rows:
        if (device, place) in pairs:
            grouped[device, place].append((pk, DerivedVisit(*fields)))
    return grouped


def fetch_stored_visits_portably(company_id: int, pairs: set[tuple[int, int]]):
    return Visit.all_companies.filter(
        company_id=company_id,
        device_id__in={device for device, _ in pairs},
        place_id__in={place for _, place in pairs},
    ).values_list("pk", *storage.VISIT_COLUMNS[1:])


def store_visits(rows: list[tuple]) -> None:
    """Insert visit rows given in storage.VISIT_COLUMNS order."""
    if storage.is_postgres():
        storage.insert_visits(rows)
        return
    visits = [
        Visit(**dict(zip(storage.VISIT_COLUMNS, row, strict=True))) for row in rows
    ]
    Visit.all_companies.bulk_create(visits, batch_size=1_000)


def diff_visits(company_id, pairs, events, stored, cap) -> tuple[list, list]:
    """Return the pks of stored visits to delete and the rows to create."""
    stale: list[int] = []
    fresh: list[tuple] = []
    for device, place in pairs:
        wanted = Counter(derive_visits(events.get((device, place), []), cap))
        for pk, visit in stored.get((device, place), []):
            if wanted[visit] > 0:
                wanted[visit] -= 1
            else:
                stale.append(pk)
        for visit, count in wanted.items():
            row = (
                company_id,
                device,
                place,
                visit.entered_at,
                visit.exited_at,
                visit.duration_s,
                visit.is_closed,
                visit.is_capped,
            )
            fresh.extend([row] * count)
    return stale, fresh
