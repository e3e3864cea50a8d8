"""Normalise device identifiers and explain why a value is refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

ID_TYPES = ("device_id", "advertising_id", "custom_id")

MAX_ID_LENGTH = 255
NIL_UUID = "00000000-0000-0000-0000-000000000000"

# Everything str.isspace() accepts (all below U+3001), plus the invisible characters
# that spreadsheets and copy-paste from web pages leave around values.
_STRIPPED_CHARACTERS = (
    "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
    + "\u200b\u2060\ufeff"
)

_CANONICAL_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
).fullmatch
_UUID_SPELLING = re.compile(
    r"(?:urn:uuid:)?(\{)?"
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})"
    r"(?(1)\})"
).fullmatch
_ANDROID_ID = re.compile(r"[0-9a-f]{16}").fullmatch
# A bare exponent ("12e45") is accepted as a custom ID: spreadsheets always write a
# decimal part or a signed exponent, so only those shapes are taken as conversions.
_SCIENTIFIC_NUMBER = re.compile(
    r"[+-]?\d+(?:[.,]\d+[eE][+-]?\d+|[eE][+-]\d+)"
).fullmatch
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]").search
_EXCEL_TEXT_FORMULA = re.compile(r'="(.*)"', re.DOTALL).fullmatch
# CSV exports prefix a cell starting with one of these with a single quote, as
# OWASP recommends against formula injection; imports remove that quote again.
_QUOTED_FORMULA_STARTS = ("'=", "'+", "'-", "'@")

_EXPECTED_TYPES = "expected device_id, advertising_id or custom_id"
REASON_EMPTY = "the ID is empty"
REASON_NOT_TEXT = "the ID must be given as text"
REASON_TYPE_MISSING = f"the ID type is missing; {_EXPECTED_TYPES}"
REASON_TOO_LONG = f"longer than the limit of {MAX_ID_LENGTH} characters"
REASON_SCIENTIFIC = (
    "a spreadsheet converted this ID to a number in scientific notation, which "
    "loses digits; format the column as text and export the file again"
)
REASON_CONTROL = "contains a control character (such as a tab or a line break)"
REASON_LINE_BREAK = (
    'contains a line break; a double quote (") in this row may be missing its '
    "closing quote"
)
REASON_UNDECODABLE = (
    "contains a character that could not be decoded; save the file as "
    "CSV UTF-8 and upload it again"
)
REASON_NOT_UUID = (
    "not a valid UUID (expected 32 hexadecimal digits such as "
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8)"
)
REASON_ANDROID_ID = (
    "not a valid UUID: 16 hexadecimal digits look like an Android ID (SSAID), "
    "which is not a UUID; import such IDs as custom_id"
)
REASON_NIL_UUID = (
    "the all-zero UUID is not a real ID: iOS returns it when ad tracking is "
    "limited or not allowed by the user"
)


class _BlankValue(ValueError):
    """A value that is empty once surrounding white space is removed."""


@dataclass(frozen=True)
class InvalidRow:
    """One cell that could not be imported, with a user-facing reason."""

    line: int
    column: str
    value: str
    reason: str


def normalise_id(id_type: str, raw: str) -> str:
    """Return the stored form of raw, or raise ValueError(reason)."""
    normalise = _NORMALISERS.get(id_type)
    if normalise is None:
        raise ValueError(f"unknown ID type {id_type!r}; {_EXPECTED_TYPES}")
    if not isinstance(raw, str):
        # JSON clients may send numbers, which lose leading zeros or digits.
        raise ValueError(REASON_NOT_TEXT)
    return normalise(raw)


def _clean(raw: str) -> str:
    """Strip white space and unwrap the ="value" formula Excel uses to force text."""
    value = raw.strip(_STRIPPED_CHARACTERS)
    # The prefix test is cheaper than the regular expression it guards.
    if value.startswith('="'):
        wrapped = _EXCEL_TEXT_FORMULA(value)
        if wrapped:
            value = wrapped[1].strip(_STRIPPED_CHARACTERS)
    return value


def _check_common(value: str) -> None:
    """Raise ValueError for problems shared by every ID type."""
    if not value:
        raise _BlankValue(REASON_EMPTY)
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(REASON_TOO_LONG)
    if _SCIENTIFIC_NUMBER(value):
        raise ValueError(REASON_SCIENTIFIC)


def _normalise_uuid(raw: str) -> str:
    """Return raw as a lower-case canonical UUID, trying the common spelling first."""
    value = raw.lower()
    if _CANONICAL_UUID(value) and value != NIL_UUID:
        return value
    return _normalise_unusual_uuid(raw)


def _normalise_unusual_uuid(raw: str) -> str:
    """Handle padding, braces, the urn:uuid: prefix and missing hyphens."""
    value = _clean(raw)
    _check_common(value)
    match = _UUID_SPELLING(value.lower())
    if match is None:
        raise ValueError(REASON_ANDROID_ID if _ANDROID_ID(value) else REASON_NOT_UUID)
    digits = match[2].replace("-", "")
    if digits == "0" * 32:
        raise ValueError(REASON_NIL_UUID)
    return "-".join(
        (digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:])
    )


def _normalise_custom(raw: str) -> str:
    """Return raw trimmed but otherwise exactly as written."""
    value = _clean(raw)
    # An ID that really starts with "'=" cannot be told from an exported "=";
    # the quote is removed so that an export imports back unchanged.
    if value[:1] == "'" and value.startswith(_QUOTED_FORMULA_STARTS):
        value = value[1:]
    _check_common(value)
    if _CONTROL_CHARACTER(value):
        raise ValueError(REASON_CONTROL)
    if "\ufffd" in value:
        raise ValueError(REASON_UNDECODABLE)
    return value


_NORMALISERS: dict[str, Callable[[str], str]] = {
    "device_id": _normalise_uuid,
    "advertising_id": _normalise_uuid,
    "custom_id": _normalise_custom,
}


def _has_inner_line_break(raw: str) -> bool:
    """Tell whether raw holds a line break once surrounding white space is gone."""
    value = raw.strip(_STRIPPED_CHARACTERS)
    return "\n" in value or "\r" in value


def _is_blank(cells: Iterable[str]) -> bool:
    """Tell whether every cell is empty or white space."""
    return all(not cell or not _clean(cell) for cell in cells)


def _without_trailing_blanks(row: list[str]) -> list[str]:
    """Drop the empty cells that spreadsheets add after the last used column."""
    end = len(row)
    while end and _is_blank((row[end - 1],)):
        end -= 1
    return row[:end]


def _check_default_type(default_type: str | None) -> str | None:
    """Return default_type as given, None for an empty choice."""
    if not default_type:
        return None
    if default_type not in ID_TYPES:
        raise ValueError(
            f"default_type must be one of {ID_TYPES}, not {default_type!r}"
        )
    return default_type
