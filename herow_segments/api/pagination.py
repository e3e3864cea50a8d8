"""Cursor pagination: opaque cursors, bounded limits, keyset filters.

A list endpoint orders rows by a unique key, answers
`{"results": [...], "next_cursor": "..." | null}` and encodes the key of
the last row it sent as the next cursor; the next page starts strictly
after that key, so rows added or removed between pages neither shift nor
repeat the others. Cursors are base64 JSON tagged with the endpoint's kind,
so a cursor of another list, or an edited one, is a 400.
"""

import base64
import binascii
import json
import re

from django.db.models import Q

from herow_segments.api.errors import ApiError

LIMIT_PATTERN = re.compile(r"[0-9]{1,9}")
SURROGATE = re.compile("[\ud800-\udfff]")
MAX_CURSOR_LENGTH = 2048


def encode_cursor(kind: str, values) -> str:
    """Return an opaque cursor for the key values of a list of kind."""
    text = json.dumps([kind, *values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(text: str, kind: str, types: tuple[type, ...]) -> tuple:
    """Return the key values of a cursor of kind, or raise a 400."""
    try:
        if len(text) > MAX_CURSOR_LENGTH:
            raise ValueError
        padded = text + "=" * (-len(text) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error, RecursionError):
        raise invalid_cursor() from None
    if not isinstance(decoded, list) or decoded[:1] != [kind]:
        raise invalid_cursor()
    values = tuple(decoded[1:])
    if len(values) != len(types) or not all(
        is_storable(value, expected)
        for value, expected in zip(values, types, strict=True)
    ):
        raise invalid_cursor()
    return values


def is_storable(value, expected: type) -> bool:
    """Tell whether a cursor value has its type and fits in a database."""
    if type(value) is not expected:
        return False
    if expected is int:
        return -(2**63) <= value < 2**63
    if expected is str:
        return "\x00" not in value and not SURROGATE.search(value)
    return True


def invalid_cursor() -> ApiError:
    return ApiError(
        400,
        "invalid_cursor",
        "The cursor is not one this list gave out; start again without it.",
    )


def read_limit(query_params, default: int, maximum: int) -> int:
    """Return the limit query parameter, checked against its range."""
    text = query_params.get("limit")
    if text is None:
        return default
    if not LIMIT_PATTERN.fullmatch(text) or not 1 <= int(text) <= maximum:
        raise ApiError(
            400,
            "invalid_limit",
            f"limit must be a whole number from 1 to {maximum:,}.",
            {"limit": text[:50]},
        )
    return int(text)


def read_cursor(query_params, name: str, kind: str, types: tuple[type, ...]):
    """Return the decoded cursor parameter, or None when absent."""
    text = query_params.get(name)
    if text is None or text == "":
        return None
    return decode_cursor(text, kind, types)


def after(fields: list[str], values: tuple) -> Q:
    """Return a filter for rows whose key comes strictly after values.

    The leading column is also bounded on its own so that an index on it
    starts the scan at the cursor instead of filtering every earlier row.
    """
    condition = Q(**{f"{fields[-1]}__gt": values[-1]})
    for field, value in zip(reversed(fields[:-1]), reversed(values[:-1]), strict=True):
        condition = Q(**{f"{field}__gt": value}) | (Q(**{field: value}) & condition)
    return Q(**{f"{fields[0]}__gte": values[0]}) & condition


def page_body(results: list, next_cursor: str | None, **extra) -> dict:
    return {"results": results, "next_cursor": next_cursor, **extra}
