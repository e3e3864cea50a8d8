"""Replays of unsafe requests sent with an Idempotency-Key header.

Decorate a view method with `@idempotent`. The first request with a key
claims a row (a unique constraint, so a concurrent duplicate cannot claim
it too), runs inside one transaction and saves its successful answer in
that transaction. A replay within API_IDEMPOTENCY_TTL_SECONDS returns the
saved answer and changes nothing; the same key with another method, path
or body is a 422; a replay while the first still runs is a 409. Failed
requests are not saved, so they can be retried with the same key.
"""

import hashlib
import json
import logging
import re
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from herow_segments.accounts.models import IdempotentRequest
from herow_segments.api.errors import ApiError

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# A claim not finished after this long belongs to a request that died; its
# transaction rolled back, so the work can run again.
STALE_CLAIM = timedelta(minutes=5)


def idempotent(handler):
    """Make a view method replay its first answer for a repeated key."""

    @wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            raise ApiError(
                400,
                "invalid_idempotency_key",
                f"The {HEADER} header must be 1 to 255 printable ASCII characters.",
            )
        record, is_new = claim(request, key)
        if not is_new:
            return replay(record, request)
        return run_claimed(record, handler, view, request, *args, **kwargs)

    return wrapper


def fingerprint(request) -> str:
    """Return a hash of the request's parsed body and uploaded files."""
    data = request.data
    if hasattr(data, "lists"):
        payload = sorted(
            (name, [digest_value(value) for value in values])
            for name, values in data.lists()
        )
    else:
        payload = data
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def digest_value(value) -> str:
    if isinstance(value, str):
        return value
    digest = hashlib.sha256()
    for chunk in value.chunks():
        digest.update(chunk)
    value.seek(0)
    return f"file:{digest.hexdigest()}"


def claim(request, key: str) -> tuple[IdempotentRequest, bool]:
    """Claim the key for this request, or return the earlier claim."""
    now = timezone.now()
    fields = {
        "method": request.method,
        "path": request.path[:2000],
        "fingerprint": fingerprint(request),
    }
    for _ in range(2):
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    api_key=request.auth,
                    key=key,
                    created_at=now,
                    claimed_at=now,
                    **fields,
                )
            return record, True
        except IntegrityError:
            record = IdempotentRequest.objects.filter(
                api_key=request.auth, key=key
            ).first()
        if record is None or discard_expired(record, now):
            continue
        check_same_request(record, fields)
        if not record.is_finished and take_over_stale(record, now):
            return record, True
        return record, False
    raise ApiError(409, "idempotency_key_in_use", busy_message())


def discard_expired(record: IdempotentRequest, now) -> bool:
    ttl = timedelta(seconds=settings.API_IDEMPOTENCY_TTL_SECONDS)
    if record.created_at > now - ttl:
        return False
    IdempotentRequest.objects.filter(
        pk=record.pk, created_at=record.created_at
    ).delete()
    return True


def check_same_request(record: IdempotentRequest, fields: dict) -> None:
    if all(getattr(record, name) == value for name, value in fields.items()):
        return
    raise ApiError(
        422,
        "idempotency_key_reused",
        f"This {HEADER} was already used for a different request "
        f"({record.method} {record.path}); send a new key with each new request.",
    )


def take_over_stale(record: IdempotentRequest, now) -> bool:
    taken = IdempotentRequest.objects.filter(
        pk=record.pk, response_status__isnull=True, claimed_at__lt=now - STALE_CLAIM
    ).update(claimed_at=now)
    return taken == 1


def busy_message() -> str:
    return (
        f"A request with this {HEADER} is still running; retry in a moment "
        "to receive its answer."
    )


def replay(record: IdempotentRequest, request) -> Response:
    if not record.is_finished:
        raise ApiError(409, "idempotency_key_in_use", busy_message(), retry_after=1)
    logger.info(
        "idempotent replay api_key_id=%s idempotent_request_id=%s",
        record.api_key_id,
        record.pk,
    )
    response = Response(record.response_body, status=record.response_status)
    response["Idempotent-Replayed"] = "true"
    if record.response_location:
        response["Location"] = record.response_location
    return response


def run_claimed(record: IdempotentRequest, handler, view, request, *args, **kwargs):
    """Run the handler and save a successful answer in its transaction."""
    try:
        with transaction.atomic():
            response = handler(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                save_answer(record, response)
                return response
    except BaseException:
        release(record)
        raise
    release(record)
    return response


def save_answer(record: IdempotentRequest, response: Response) -> None:
    IdempotentRequest.objects.filter(pk=record.pk).update(
        response_status=response.status_code,
        response_body=response.data,
        response_location=response.get("Location", "")[:2000],
    )


def release(record: IdempotentRequest) -> None:
    IdempotentRequest.objects.filter(
        pk=record.pk, response_status__isnull=True
    ).delete()
