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
_TYPE_COLUMN_HEADERS = frozenset(("idtype", "type", "identifiertype", "kind"))
_VALUE_COLUMN_HEADERS = frozenset(("id", "identifier", "value", "idvalue"))

_HEADER_PUNCTUATION = re.compile(r"[\s_.\-]+")
_HEADER_NOTE = re.compile(r"\(.*?\)|\[.*?\]")


def _normalise_header(text: str) -> str:
    """Reduce a header or type name to the spelling used in the alias tables."""
    # Notes in brackets are dropped, so that "Device ID (IDFV)" reads as device ID.
    word = _HEADER_NOTE.sub("", _clean(text).lower())
    word = _HEADER_PUNCTUATION.sub("", word)
    return word.removesuffix("s")
