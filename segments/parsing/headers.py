"""Recognise ID columns and ID type names in headers and type cells."""

from __future__ import annotations

import re

from .values import _clean

_TYPE_ALIASES = {
    **dict.fromkeys(
        (
            "deviceid",
            "device",
            "idfv",
            "vendorid",
            "identifierforvendor",
            "androidid",
            "ssaid",
        ),
        "device_id",
    ),
    **dict.fromkeys(
        (
            "advertisingid",
            "adid",
            "idfa",
            "gaid",
            "aaid",
            "maid",
            "googleadvertisingid",
            "advertiserid",
            "mobileadvertisingid",
        ),
        "advertising_id",
    ),
    **dict.fromkeys(
        ("customid", "custom", "userid", "externalid", "customerid", "crmid"),
        "custom_id",
    ),
}
_GENERIC_HEADERS = frozenset(("id", "identifier", "value", "member", "uuid"))
# Among other columns, only these names are sure to hold the IDs.
_GENERIC_ID_COLUMN_HEADERS = frozenset(("id", "identifier", "value", "uuid"))
_TYPE_COLUMN_HEADERS = frozenset(("idtype", "type", "identifiertype", "kind"))
_VALUE_COLUMN_HEADERS = frozenset(("id", "identifier", "value", "idvalue"))

_HEADER_PUNCTUATION = re.compile(r"[\s_.\-]+")
_HEADER_NOTE = re.compile(r"\(.*?\)|\[.*?\]")

# Words that name a column of custom IDs, such as "Customer Number" or "CRM
# reference"; compared after lower-casing and removing a plural "s".
_HEADER_WORDS = frozenset(
    (
        "id",
        "number",
        "no",
        "nr",
        "num",
        "code",
        "customer",
        "client",
        "user",
        "member",
        "account",
        "external",
        "crm",
        "reference",
        "ref",
        "identifier",
        "key",
        "uuid",
    )
)
_CAMEL_CASE_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[^\W_]+")
# A digit, or 8 hexadecimal letters in a row, may be part of a mistyped UUID.
_POSSIBLE_UUID_PART = re.compile(r"[0-9]|[a-fA-F]{8}").search


def _normalise_header(text: str) -> str:
    """Reduce a header or type name to the spelling used in the alias tables."""
    # Notes in brackets are dropped, so that "Device ID (IDFV)" reads as device ID.
    word = _HEADER_NOTE.sub("", _clean(text).lower())
    word = _HEADER_PUNCTUATION.sub("", word)
    return word.removesuffix("s")


def _is_descriptive_header(cell: str, id_type: str | None) -> bool:
    """Tell whether a first cell outside the alias tables still names the column."""
    value = _clean(cell)
    if not value or _POSSIBLE_UUID_PART(value):
        return False
    if id_type in ("device_id", "advertising_id"):
        # Such a cell cannot be a UUID, even a mistyped one, so it is a title.
        return True
    # Custom IDs may be any text, so only a phrase made of several words with
    # one of the header words is taken as a title; "user42", "CN-1" or
    # "ID-0001" have digits and stay IDs, and so does a single word.
    words = _WORD.findall(_CAMEL_CASE_BOUNDARY.sub(" ", value))
    return len(words) > 1 and any(
        word.lower().removesuffix("s") in _HEADER_WORDS for word in words
    )
