"""Use cases for companies and the people in them."""

import hashlib
import hmac
import ipaddress
import logging
import secrets
import string
import time
import zlib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from herow_segments.accounts.models import (
    ApiKey,
    ApiKeyAction,
    ApiKeyEvent,
    ApiScope,
    Company,
    IdempotentRequest,
    Membership,
    Role,
)

logger = logging.getLogger(__name__)

DEMO_COMPANY = {"slug": "demo", "name": "Demo Company", "time_zone": "Europe/Paris"}
DEMO_PEOPLE = [
    ("admin@demo.example", "demo-admin-pass", Role.ADMIN),
    ("marketer@demo.example", "demo-marketer-pass", Role.MARKETER),
]


@transaction.atomic
def add_person(company: Company, email: str, password: str, role: str):
    """Create or update a user and give them a role in the company."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=email, defaults={"email": email}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    Membership.all_companies.update_or_create(
        user=user, company=company, defaults={"role": role}
    )
    return user, created


@transaction.atomic
def seed_demo_company() -> tuple[Company, list[tuple[str, str, str]]]:
    """Create the demo company with an admin and a marketer, idempotently."""
    company, _ = Company.objects.get_or_create(
        slug=DEMO_COMPANY["slug"],
        defaults={"name": DEMO_COMPANY["name"], "time_zone": DEMO_COMPANY["time_zone"]},
    )
    for email, password, role in DEMO_PEOPLE:
        add_person(company, email, password, role)
    logger.info("demo company seeded company_id=%s", company.pk)
    return company, DEMO_PEOPLE


# A fixed, recognisable start lets secret scanners find a leaked key; the
# CRC32 at the end lets them, and the API, tell a real key from a typo
# without a database lookup.
KEY_PREFIX = "hsk_live_"
KEY_RANDOM_BYTES = 32
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
KEY_BODY_LENGTH = 43
KEY_CHECKSUM_LENGTH = 6
KEY_LENGTH = len(KEY_PREFIX) + KEY_BODY_LENGTH + KEY_CHECKSUM_LENGTH
DISPLAY_PREFIX_LENGTH = len(KEY_PREFIX) + 6
LAST_USED_PRECISION = timezone.timedelta(minutes=1)
# Keys are read from the cache for this long; revoking one clears its entry.
KEY_CACHE_SECONDS = 30
COMMAND_ACTOR = "create_api_key command"


def encode_base62(number: int, length: int) -> str:
    digits = []
    for _ in range(length):
        number, remainder = divmod(number, 62)
        digits.append(BASE62[remainder])
    return "".join(reversed(digits))


def key_checksum(body: str) -> str:
    return encode_base62(zlib.crc32(body.encode("ascii")), KEY_CHECKSUM_LENGTH)


def make_raw_key() -> str:
    """Return a new random key: prefix, 256 random bits, checksum."""
    number = int.from_bytes(secrets.token_bytes(KEY_RANDOM_BYTES), "big")
    body = encode_base62(number, KEY_BODY_LENGTH)
    return KEY_PREFIX + body + key_checksum(body)


def is_well_formed_key(raw: str) -> bool:
    """Tell whether raw has the shape and checksum of a key."""
    if len(raw) != KEY_LENGTH or not raw.startswith(KEY_PREFIX):
        return False
    rest = raw[len(KEY_PREFIX) :]
    if any(character not in BASE62 for character in rest):
        return False
    body, checksum = rest[:KEY_BODY_LENGTH], rest[KEY_BODY_LENGTH:]
    return hmac.compare_digest(key_checksum(body), checksum)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def parse_ip_ranges(ranges: Iterable[str]) -> list[str]:
    """Return the CIDR ranges in canonical form, or raise ValueError."""
    parsed = []
    for text in ranges:
        text = text.strip()
        if not text:
            continue
        try:
            parsed.append(str(ipaddress.ip_network(text, strict=False)))
        except ValueError:
            raise ValueError(
                f"{text[:50]!r} is not an IP range such as 203.0.113.0/24."
            ) from None
    return list(dict.fromkeys(parsed))


def parse_scopes(scopes: Iterable[str]) -> list[str]:
    """Return the known scopes in a stable order, or raise ValueError."""
    chosen = set(scopes)
    unknown = chosen - set(ApiScope.values)
    if unknown:
        raise ValueError(f"Unknown scope(s): {', '.join(sorted(unknown))}.")
    if not chosen:
        raise ValueError("Choose at least one scope.")
    return [scope for scope in ApiScope.values if scope in chosen]


def describe_actor(user) -> str:
    return user.get_username() if user is not None else COMMAND_ACTOR


def record_key_event(api_key: ApiKey, action: str, user) -> ApiKeyEvent:
    return ApiKeyEvent.all_companies.create(
        company_id=api_key.company_id,
        api_key=api_key,
        action=action,
        key_name=api_key.name,
        key_prefix=api_key.prefix,
        actor=user,
        actor_label=describe_actor(user),
    )


@transaction.atomic
def issue_api_key(
    *,
    company: Company,
    name: str,
    scopes: Iterable[str],
    allowed_ip_ranges: Iterable[str] = (),
    user=None,
) -> tuple[ApiKey, str]:
    """Create an API key; return it with the only copy of the secret."""
    raw_key = make_raw_key()
    api_key = ApiKey.all_companies.create(
        company=company,
        name=name.strip(),
        prefix=raw_key[:DISPLAY_PREFIX_LENGTH],
        key_hash=hash_key(raw_key),
        scopes=parse_scopes(scopes),
        allowed_ip_ranges=parse_ip_ranges(allowed_ip_ranges),
        created_by=user,
    )
    record_key_event(api_key, ApiKeyAction.CREATED, user)
    logger.info(
        "api key created api_key_id=%s company_id=%s prefix=%s",
        api_key.pk,
        company.pk,
        api_key.prefix,
    )
    return api_key, raw_key


@transaction.atomic
def revoke_api_key(api_key: ApiKey, user=None) -> bool:
    """Revoke a key at once; return False when it already was."""
    revoked = ApiKey.all_companies.filter(
        pk=api_key.pk, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=user)
    if not revoked:
        return False
    api_key.refresh_from_db()
    record_key_event(api_key, ApiKeyAction.REVOKED, user)
    # A request may cache the unrevoked row until this transaction commits.
    mark_revoked(api_key)
    transaction.on_commit(lambda: mark_revoked(api_key))
    logger.info(
        "api key revoked api_key_id=%s company_id=%s",
        api_key.pk,
        api_key.company_id,
    )
    return True


def find_api_key(raw_key: str) -> ApiKey | None:
    """Return the key, revoked or not, whose secret is raw_key."""
    if not is_well_formed_key(raw_key):
        return None
    key_hash = hash_key(raw_key)
    api_key = recent_keys.get(key_hash)
    if api_key is None:
        api_key = find_stored_key(key_hash)
        if api_key is None:
            return None
        recent_keys.put(key_hash, api_key)
    if not hmac.compare_digest(api_key.key_hash, key_hash):
        return None
    return api_key


class RecentKeys:
    """The keys this process verified in the last seconds.

    Every API request starts with its key; keeping the key a moment in
    memory saves a round trip to the shared cache per request. The process
    that revokes a key forgets it at once, other processes within
    LOCAL_KEY_SECONDS.
    """

    def __init__(self, seconds: float, size: int = 1_000):
        self.seconds = seconds
        self.size = size
        self.entries: dict[str, tuple[float, ApiKey]] = {}

    def get(self, key_hash: str) -> ApiKey | None:
        entry = self.entries.get(key_hash)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key_hash: str, api_key: ApiKey) -> None:
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key_hash] = (time.monotonic() + self.seconds, api_key)

    def forget(self, key_hash: str) -> None:
        self.entries.pop(key_hash, None)


LOCAL_KEY_SECONDS = 2
recent_keys = RecentKeys(LOCAL_KEY_SECONDS)


def find_stored_key(key_hash: str) -> ApiKey | None:
    """Look a key up in the shared cache, then in the database.

    A revoked key leaves a mark in the cache that outlives any cached copy:
    a request that read the key just before its revocation may still cache
    the old row, and the mark makes every process read the database instead.
    """
    if not is_cache_shared():
        # A cache of this process alone cannot hear of a revocation made in
        # another; the local two seconds of RecentKeys are the only delay.
        return read_stored_key(key_hash)
    names = key_cache_name(key_hash), revoked_mark_name(key_hash)
    found = cache.get_many(names)
    api_key = found.get(names[0])
    if api_key is None or names[1] in found:
        api_key = read_stored_key(key_hash)
        if api_key is not None and names[1] not in found:
            cache.set(names[0], api_key, KEY_CACHE_SECONDS)
    return api_key


def read_stored_key(key_hash: str) -> ApiKey | None:
    try:
        return ApiKey.all_companies.select_related("company").get(key_hash=key_hash)
    except ApiKey.DoesNotExist:
        return None


def is_cache_shared() -> bool:
    """Tell whether the default cache is seen by every server process."""
    return not isinstance(caches["default"], LocMemCache)


def key_cache_name(key_hash: str) -> str:
    return f"api-key:{key_hash}"


def revoked_mark_name(key_hash: str) -> str:
    return f"api-key-revoked:{key_hash}"


def forget_cached_key(api_key: ApiKey) -> None:
    recent_keys.forget(api_key.key_hash)
    cache.delete(key_cache_name(api_key.key_hash))


def mark_revoked(api_key: ApiKey) -> None:
    forget_cached_key(api_key)
    cache.set(revoked_mark_name(api_key.key_hash), True, KEY_CACHE_SECONDS * 2)


def touch_api_key(api_key: ApiKey) -> None:
    """Record the use of a key, writing at most once a minute."""
    now = timezone.now()
    stale = now - LAST_USED_PRECISION
    if api_key.last_used_at is not None and api_key.last_used_at > stale:
        return
    ApiKey.all_companies.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=api_key.pk
    ).update(last_used_at=now)
    api_key.last_used_at = now
    # Dropped rather than rewritten, so that a revocation saved meanwhile
    # is read again instead of being overwritten by this older copy.
    forget_cached_key(api_key)


def purge_idempotent_requests() -> int:
    """Delete the saved answers older than the replay window."""
    cutoff = timezone.now() - timezone.timedelta(
        seconds=settings.API_IDEMPOTENCY_TTL_SECONDS
    )
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    logger.info("idempotent requests purged deleted=%s", deleted)
    return deleted
