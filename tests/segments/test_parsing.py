"""Tests for reading device identifiers out of uploaded CSV files."""

import ast
import codecs
import csv
import gzip
import io
import pathlib
import sys
import tracemalloc

import pytest

from segments import parsing
from segments.parsing import (
    MAX_ID_LENGTH,
    MESSAGE_CHOOSE_TYPE,
    REASON_CONTROL,
    REASON_LINE_BREAK,
    REASON_TOO_LONG,
    SAMPLE_BYTES,
    UTF8_WITH_CP1252,
    FileRejected,
    IdReader,
    InvalidRow,
    normalise_id,
)

UUID_A = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
UUID_B = "f47ac10b-58cc-4372-a567-0e02b2c3d479"
UUID_C = "123e4567-e89b-42d3-a456-426614174000"
UUID_D = "9f1c2a3b-4d5e-4f60-8a7b-0c1d2e3f4a5b"
NIL = "00000000-0000-0000-0000-000000000000"
CUSTOM_ACCENTED = "Café-007"

# Digits compress poorly enough for a truncated gzip to fail after the sample.
NUMBERED_LINES = b"".join(b"%08d\n" % number for number in range(50_000))
UNKNOWN_TYPE_REASON = (
    "unknown ID type 'xyz'; expected device_id, advertising_id or custom_id"
)

ENCODINGS = [
    pytest.param("utf-8", b"", "utf-8", id="utf-8"),
    pytest.param("utf-8", codecs.BOM_UTF8, "utf-8-sig", id="utf-8-bom"),
    pytest.param("utf-16-le", codecs.BOM_UTF16_LE, "utf-16", id="utf-16-le-bom"),
    pytest.param("utf-16-be", codecs.BOM_UTF16_BE, "utf-16", id="utf-16-be-bom"),
    pytest.param("utf-16-le", b"", "utf-16-le", id="utf-16-le-no-bom"),
    pytest.param("utf-16-be", b"", "utf-16-be", id="utf-16-be-no-bom"),
    pytest.param("cp1252", b"", "cp1252", id="cp1252"),
]
DELIMITERS = [
    pytest.param(",", id="comma"),
    pytest.param(";", id="semicolon"),
    pytest.param("\t", id="tab"),
    pytest.param("|", id="pipe"),
]
LINE_ENDS = [
    pytest.param("\r\n", id="crlf"),
    pytest.param("\n", id="lf"),
    pytest.param("\r", id="cr"),
]

MULTI_COLUMN_LAYOUTS = [
    pytest.param(
        "long",
        [
            ["id_type", "id", "note"],
            ["IDFA", UUID_A.upper(), "first"],
            ["Device ID", "{" + UUID_B + "}", ""],
            ["custom", CUSTOM_ACCENTED, "x"],
        ],
        [
            ("advertising_id", UUID_A),
            ("device_id", UUID_B),
            ("custom_id", CUSTOM_ACCENTED),
        ],
        id="long",
    ),
    pytest.param(
        "wide",
        [
            ["IDFV", "Advertising ID", "customer_id"],
            [UUID_B, UUID_A.upper(), CUSTOM_ACCENTED],
            ["", UUID_C, ""],
            ["{" + UUID_D + "}", "", "00042"],
        ],
        [
            ("device_id", UUID_B),
            ("advertising_id", UUID_A),
            ("custom_id", CUSTOM_ACCENTED),
            ("advertising_id", UUID_C),
            ("device_id", UUID_D),
            ("custom_id", "00042"),
        ],
        id="wide-aliases",
    ),
]
SINGLE_COLUMN_LAYOUTS = [
    pytest.param(["User ID", CUSTOM_ACCENTED, "00042"], None, id="header-names-type"),
    pytest.param(
        ["Identifiers", CUSTOM_ACCENTED, "00042"], "custom_id", id="generic-header"
    ),
    pytest.param([CUSTOM_ACCENTED, "00042"], "custom_id", id="no-header"),
]

UUID_SPELLINGS = [
    pytest.param(UUID_A, id="canonical"),
    pytest.param(UUID_A.upper(), id="upper-case"),
    pytest.param("6BA7b810-9DAD-11d1-80B4-00c04FD430C8", id="mixed-case"),
    pytest.param("{" + UUID_A + "}", id="braces"),
    pytest.param("{" + UUID_A.upper() + "}", id="braces-upper-case"),
    pytest.param("urn:uuid:" + UUID_A, id="urn-prefix"),
    pytest.param("URN:UUID:" + UUID_A.upper(), id="urn-prefix-upper-case"),
    pytest.param(UUID_A.replace("-", ""), id="no-hyphens"),
    pytest.param(UUID_A.replace("-", "").upper(), id="no-hyphens-upper-case"),
    pytest.param("  " + UUID_A + "\t", id="white-space"),
    pytest.param("\u00a0" + UUID_A + "\u00a0", id="non-breaking-space"),
    pytest.param("\u200b" + UUID_A + "\u200b", id="zero-width-space"),
    pytest.param("\ufeff" + UUID_A, id="byte-order-mark"),
    pytest.param(UUID_A + "\u2060", id="word-joiner"),
    pytest.param('="' + UUID_A + '"', id="excel-text-formula"),
    pytest.param(" {" + UUID_A + "} ", id="padded-braces"),
]
INVALID_UUIDS = [
    pytest.param("not-a-uuid", "not a valid UUID", id="words"),
    pytest.param(UUID_A[:-1], "not a valid UUID", id="digit-missing"),
    pytest.param(UUID_A + "0", "not a valid UUID", id="digit-extra"),
    pytest.param(UUID_A.replace("-", "", 2), "not a valid UUID", id="some-hyphens"),
    pytest.param("{" + UUID_A, "not a valid UUID", id="unbalanced-brace"),
    pytest.param(UUID_A + "}", "not a valid UUID", id="closing-brace-only"),
    pytest.param("g" * 32, "not a valid UUID", id="not-hexadecimal"),
    pytest.param(UUID_A.replace("-", " "), "not a valid UUID", id="spaces"),
    pytest.param("9774d56d682e549c", "Android ID", id="android-id"),
    pytest.param(NIL, "iOS returns it when ad tracking is limited", id="nil"),
    pytest.param("{" + NIL + "}", "ad tracking is limited", id="nil-braces"),
    pytest.param("0" * 32, "ad tracking is limited", id="nil-no-hyphens"),
    pytest.param("9.91214E+15", "scientific notation", id="scientific"),
    pytest.param("", "empty", id="empty"),
    pytest.param(" \u00a0 ", "empty", id="only-white-space"),
    pytest.param("a" * 256, "255", id="too-long"),
]
SCIENTIFIC_VALUES = [
    pytest.param("9.91214E+15", id="excel-english"),
    pytest.param("1,23E+15", id="decimal-comma"),
    pytest.param("4.5e10", id="lower-case"),
    pytest.param("1E+15", id="no-decimals"),
    pytest.param("-2.5E-03", id="negative"),
    pytest.param(" 9.91214E+15 ", id="padded"),
    pytest.param('="9.91214E+15"', id="formula"),
]
CUSTOM_IDS_KEPT = [
    pytest.param("00042", "00042", id="leading-zeros"),
    pytest.param("AbC-xyz", "AbC-xyz", id="mixed-case"),
    pytest.param("  MixedCase  ", "MixedCase", id="trimmed"),
    pytest.param("\tab c\r\n", "ab c", id="inner-space-kept"),
    pytest.param("\u00a0abc\u200b", "abc", id="invisible-characters"),
    pytest.param("\ufeffabc\u2060", "abc", id="byte-order-mark"),
    pytest.param('="00042"', "00042", id="excel-text-formula"),
    pytest.param("Ünïcödé", "Ünïcödé", id="unicode"),
    pytest.param("12e45", "12e45", id="bare-exponent"),
    pytest.param("1234e5678", "1234e5678", id="hex-like"),
    pytest.param("a" * MAX_ID_LENGTH, "a" * MAX_ID_LENGTH, id="longest"),
    pytest.param(UUID_A.upper(), UUID_A.upper(), id="uuid-kept-as-written"),
]
CONTROL_CHARACTERS = [
    pytest.param("a\tb", id="tab"),
    pytest.param("a\nb", id="line-feed"),
    pytest.param("a\rb", id="carriage-return"),
    pytest.param("a\x00b", id="nul"),
    pytest.param("a\x1fb", id="unit-separator"),
    pytest.param("a\x7fb", id="delete"),
    pytest.param("a\x85b", id="next-line"),
    pytest.param("a\x81b", id="c1-control"),
]
HEADER_ALIASES = [
    pytest.param("device_id", "device_id", id="device_id"),
    pytest.param("Device ID", "device_id", id="device-id-words"),
    pytest.param("device-id", "device_id", id="device-id-hyphen"),
    pytest.param("deviceIds", "device_id", id="device-ids-camel"),
    pytest.param("IDFV", "device_id", id="idfv"),
    pytest.param("Vendor ID", "device_id", id="vendor-id"),
    pytest.param("identifierForVendor", "device_id", id="identifier-for-vendor"),
    pytest.param("Android ID", "device_id", id="android-id"),
    pytest.param("SSAID", "device_id", id="ssaid"),
    pytest.param("Device ID (IDFV)", "device_id", id="bracketed-note"),
    pytest.param("advertising_id", "advertising_id", id="advertising_id"),
    pytest.param("Advertising ID", "advertising_id", id="advertising-id-words"),
    pytest.param("advertisingId", "advertising_id", id="advertising-id-camel"),
    pytest.param("ADVERTISING_IDS", "advertising_id", id="advertising-ids-upper"),
    pytest.param("ad.id", "advertising_id", id="ad-id-dot"),
    pytest.param("IDFA", "advertising_id", id="idfa"),
    pytest.param("gaid", "advertising_id", id="gaid"),
    pytest.param("AAID", "advertising_id", id="aaid"),
    pytest.param("MAIDs", "advertising_id", id="maids"),
    pytest.param("Google Advertising ID", "advertising_id", id="google-ad-id"),
    pytest.param("Advertiser ID", "advertising_id", id="advertiser-id"),
    pytest.param("Mobile Advertising ID", "advertising_id", id="mobile-ad-id"),
    pytest.param("custom_id", "custom_id", id="custom_id"),
    pytest.param("Custom", "custom_id", id="custom"),
    pytest.param("User ID", "custom_id", id="user-id"),
    pytest.param("external_id", "custom_id", id="external-id"),
    pytest.param("Customer IDs", "custom_id", id="customer-ids"),
    pytest.param("CRM-ID", "custom_id", id="crm-id"),
    pytest.param("\ufeff idfa ", "advertising_id", id="invisible-padding"),
]
ID_TYPE_VALUES = [
    pytest.param("device_id", "device_id", id="device_id"),
    pytest.param("IDFV", "device_id", id="idfv"),
    pytest.param(" Device ID ", "device_id", id="device-id-padded"),
    pytest.param("advertising_id", "advertising_id", id="advertising_id"),
    pytest.param("ADVERTISING_IDS", "advertising_id", id="advertising-ids"),
    pytest.param("idfa", "advertising_id", id="idfa"),
    pytest.param("GAID", "advertising_id", id="gaid"),
    pytest.param("custom_id", "custom_id", id="custom_id"),
    pytest.param("Custom", "custom_id", id="custom"),
    pytest.param("user-id", "custom_id", id="user-id"),
]
LONG_WITH_EXTRA_COLUMNS = [
    pytest.param(
        ",",
        ["email", "Type", "Identifier", "notes"],
        ["a@example.com", "idfv", UUID_A, "x"],
        id="reordered",
    ),
    pytest.param(";", ["Kind", "ID value", "extra"], ["IDFV", UUID_A, ""], id="kind"),
    pytest.param(
        "\t", ["Identifier Type", "Value"], ["device", UUID_A], id="identifier-type"
    ),
]
GENERIC_HEADERS = [
    pytest.param("id", id="id"),
    pytest.param("IDs", id="ids"),
    pytest.param("Identifier", id="identifier"),
    pytest.param("identifiers", id="identifiers"),
    pytest.param("Value", id="value"),
    pytest.param("values", id="values"),
    pytest.param("Member", id="member"),
    pytest.param("Members", id="members"),
    pytest.param("UUID", id="uuid"),
    pytest.param("uuids", id="uuids"),
]
DESCRIPTIVE_CUSTOM_HEADERS = [
    pytest.param("Customer Number", id="words"),
    pytest.param("customer_id", id="alias"),
    pytest.param("Member IDs", id="plural"),
    pytest.param("CustomerNo", id="camel-case"),
    pytest.param("CRMReference", id="acronym-camel-case"),
    pytest.param("client-code", id="hyphen"),
    pytest.param("Account nr.", id="abbreviation"),
]
CUSTOM_FIRST_ROWS_KEPT = [
    pytest.param("user42", id="word-with-digits"),
    pytest.param("ID-0001", id="header-word-with-digits"),
    pytest.param("CN-1", id="code"),
    pytest.param("Customer", id="single-header-word"),
    pytest.param("email", id="unlisted-word"),
    pytest.param("Jane Doe", id="words-without-header-word"),
]
UUID_COLUMN_TITLES = [
    pytest.param("Mobile IDs", id="words"),
    pytest.param("not-a-uuid", id="hyphenated-words"),
    pytest.param("Apple IDFA (iOS)", id="bracketed-note"),
    pytest.param("Liste des appareils", id="other-language"),
]
UUID_FIRST_ROWS_KEPT = [
    pytest.param(UUID_A[:-1], id="digit-missing"),
    pytest.param("12345", id="digits"),
    pytest.param("deadbeefcafe", id="hexadecimal-letters"),
    pytest.param("Device 2", id="words-with-digit"),
]
QUOTED_FORMULA_CELLS = [
    pytest.param("'=SUM(A1)", "=SUM(A1)", id="equals"),
    pytest.param("'+33 6 12", "+33 6 12", id="plus"),
    pytest.param("'-42", "-42", id="minus"),
    pytest.param("'@home", "@home", id="at-sign"),
    pytest.param(" '=x ", "=x", id="padded"),
]
LEADING_QUOTES_KEPT = [
    pytest.param("'abc", id="letter"),
    pytest.param("'", id="quote-only"),
    pytest.param("''=x", id="two-quotes"),
    pytest.param("a'=b", id="inner-quote"),
]
EMPTY_FILES = [
    pytest.param(b"", id="zero-bytes"),
    pytest.param(b"   ", id="spaces"),
    pytest.param(b"\n\n\n", id="blank-lines"),
    pytest.param(b"\r\n \r\n\t\r\n", id="white-space-lines"),
    pytest.param(codecs.BOM_UTF8, id="utf-8-bom-only"),
    pytest.param(codecs.BOM_UTF16_LE, id="utf-16-bom-only"),
    pytest.param(codecs.BOM_UTF16_LE + "\r\n\r\n".encode("utf-16-le"), id="utf-16"),
    pytest.param(b",,\n,,\r\n", id="empty-cells"),
    pytest.param(b"\t\t\n\t\t\n", id="empty-tab-cells"),
    pytest.param(b'"";""\n"";""\n', id="empty-quoted-cells"),
    pytest.param(gzip.compress(b""), id="gzip-empty"),
]
HEADER_ONLY_FILES = [
    pytest.param(b"id_type,id\n", id="long"),
    pytest.param(b"device_id,advertising_id\r\n\r\n\r\n", id="wide"),
    pytest.param(b"IDFA\n", id="single"),
    pytest.param(b"IDFA,,\n,,\n", id="single-trailing-columns"),
    pytest.param(codecs.BOM_UTF8 + b'"id_type";"id"\r\n', id="quoted-bom"),
]
WORKBOOKS = [
    pytest.param(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, id="xlsx"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, id="xls"),
    pytest.param(gzip.compress(b"PK\x03\x04" + b"\x00" * 100), id="gzip-xlsx"),
]
DOCUMENTS = [
    pytest.param(b"<!DOCTYPE html><html><table>", "web page", id="html"),
    pytest.param(b"<table><tr><td>IDFA</td></tr></table>", "web page", id="table"),
    pytest.param(b'<?xml version="1.0"?><Workbook>', "XML", id="xml-spreadsheet"),
    pytest.param(b"{\\rtf1\\ansi IDFA\\par}", "RTF", id="rtf"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF", id="pdf"),
]
BINARY_FILES = [
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", id="png"),
    pytest.param(bytes(range(256)) * 4, id="all-bytes"),
    pytest.param(b"IDFA\n" + UUID_A.encode() + b"\x00\x00\xff\n", id="stray-nul"),
]


def read(
    data: bytes, default_type: str | None = None
) -> tuple[list[tuple[str, str]], list[InvalidRow], IdReader]:
    """Read data completely and return the IDs, the invalid rows and the reader."""
    invalid: list[InvalidRow] = []
    reader = IdReader(
        io.BytesIO(data), default_type=default_type, on_invalid=invalid.append
    )
    return list(reader), invalid, reader


def build(rows: list[list[str]], delimiter: str = ",", line_end: str = "\n") -> str:
    """Join rows of cells into CSV text without quoting."""
    return "".join(delimiter.join(row) + line_end for row in rows)


def normalise_reason(id_type: str, raw: str) -> str:
    """Return the reason normalise_id gives for raw."""
    with pytest.raises(ValueError) as caught:
        normalise_id(id_type, raw)
    return str(caught.value)


@pytest.mark.parametrize("codec, bom, expected_encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
@pytest.mark.parametrize("line_end", LINE_ENDS)
@pytest.mark.parametrize("layout, rows, expected", MULTI_COLUMN_LAYOUTS)
def test_multi_column_file_yields_ids(
    codec, bom, expected_encoding, delimiter, line_end, layout, rows, expected
):
    data = bom + build(rows, delimiter, line_end).encode(codec)
    ids, invalid, reader = read(data)
    assert ids == expected
    assert invalid == []
    assert reader.rows == len(rows) - 1
    assert (reader.layout, reader.delimiter) == (layout, delimiter)
    assert reader.encoding == expected_encoding


@pytest.mark.parametrize("codec, bom, expected_encoding", ENCODINGS)
@pytest.mark.parametrize("line_end", LINE_ENDS)
@pytest.mark.parametrize("lines, default_type", SINGLE_COLUMN_LAYOUTS)
def test_single_column_file_yields_ids(
    codec, bom, expected_encoding, line_end, lines, default_type
):
    data = bom + build([[line] for line in lines], line_end=line_end).encode(codec)
    ids, invalid, reader = read(data, default_type)
    assert ids == [("custom_id", CUSTOM_ACCENTED), ("custom_id", "00042")]
    assert invalid == []
    assert reader.rows == 2
    assert (reader.layout, reader.delimiter) == ("single", None)
    assert reader.encoding == expected_encoding


@pytest.mark.parametrize("id_type", ["device_id", "advertising_id"])
@pytest.mark.parametrize("raw", UUID_SPELLINGS)
def test_normalise_id_uuid_spelling_becomes_canonical(id_type, raw):
    assert normalise_id(id_type, raw) == UUID_A


@pytest.mark.parametrize("id_type", ["device_id", "advertising_id"])
@pytest.mark.parametrize("raw, reason", INVALID_UUIDS)
def test_normalise_id_invalid_uuid_raises_reason(id_type, raw, reason):
    with pytest.raises(ValueError, match=reason):
        normalise_id(id_type, raw)


@pytest.mark.parametrize("id_type", ["device_id", "advertising_id", "custom_id"])
@pytest.mark.parametrize("raw", SCIENTIFIC_VALUES)
def test_normalise_id_scientific_notation_raises_spreadsheet_reason(id_type, raw):
    with pytest.raises(ValueError) as caught:
        normalise_id(id_type, raw)
    assert "spreadsheet converted" in str(caught.value)
    assert "format the column as text" in str(caught.value)


@pytest.mark.parametrize("raw, expected", CUSTOM_IDS_KEPT)
def test_normalise_id_custom_id_is_kept_as_written(raw, expected):
    assert normalise_id("custom_id", raw) == expected


@pytest.mark.parametrize("raw, expected", QUOTED_FORMULA_CELLS)
def test_normalise_id_quoted_formula_loses_its_quote(raw, expected):
    assert normalise_id("custom_id", raw) == expected


@pytest.mark.parametrize("raw", LEADING_QUOTES_KEPT)
def test_normalise_id_other_single_quotes_are_kept(raw):
    assert normalise_id("custom_id", raw) == raw


def test_reader_exported_formula_cells_import_unchanged():
    data = b"custom_id\n'=1+1\n'-7\n'@team\n'+-x\n"

    ids, invalid, _ = read(data)

    assert [value for _, value in ids] == ["=1+1", "-7", "@team", "+-x"]
    assert invalid == []


def test_reader_quoted_formula_is_checked_after_unquoting():
    # The longest ID that starts with "=" is exported one character longer.
    longest = "=" + "a" * (MAX_ID_LENGTH - 1)
    data = f"custom_id\n'-9.91214E+15\n'{longest}\n".encode()

    ids, invalid, _ = read(data)

    assert ids == [("custom_id", longest)]
    assert [row.line for row in invalid] == [2]
    assert "scientific notation" in invalid[0].reason


@pytest.mark.parametrize("raw", CONTROL_CHARACTERS)
def test_normalise_id_control_character_raises(raw):
    with pytest.raises(ValueError, match="control character"):
        normalise_id("custom_id", raw)


@pytest.mark.parametrize("id_type", ["device_id", "advertising_id", "custom_id"])
def test_normalise_id_over_length_limit_raises_limit(id_type):
    with pytest.raises(ValueError, match="255"):
        normalise_id(id_type, "a" * (MAX_ID_LENGTH + 1))


@pytest.mark.parametrize("raw", ["", "   ", '=""', "\u200b"])
def test_normalise_id_empty_custom_id_raises(raw):
    with pytest.raises(ValueError, match="empty"):
        normalise_id("custom_id", raw)


def test_normalise_id_replacement_character_raises():
    with pytest.raises(ValueError, match="could not be decoded"):
        normalise_id("custom_id", "caf\ufffd")


@pytest.mark.parametrize("raw", [12345, 9.91214e15, None])
def test_normalise_id_non_text_raises(raw):
    with pytest.raises(ValueError, match="text"):
        normalise_id("custom_id", raw)


@pytest.mark.parametrize("id_type", ["", "idfa", "Device_ID", "xyz"])
def test_normalise_id_unknown_type_raises(id_type):
    with pytest.raises(ValueError, match="unknown ID type"):
        normalise_id(id_type, UUID_A)


def test_reader_nil_uuid_is_reported_with_tracking_reason():
    ids, invalid, reader = read(f"IDFA\n{UUID_A}\n{NIL}\n".encode())
    assert ids == [("advertising_id", UUID_A)]
    assert len(invalid) == 1
    assert invalid[0].line == 3
    assert invalid[0].value == NIL
    assert "iOS returns it when ad tracking is limited" in invalid[0].reason
    assert reader.rows == 2


def test_reader_invalid_row_has_line_column_and_raw_value():
    data = f"IDFA\n{UUID_A}\n9.91214E+15 \n".encode()
    _, invalid, _ = read(data)
    assert invalid == [
        InvalidRow(
            line=3,
            column="IDFA",
            value="9.91214E+15 ",
            reason=normalise_reason("advertising_id", "9.91214E+15"),
        )
    ]


def test_reader_headerless_invalid_row_has_empty_column():
    _, invalid, _ = read(f"{UUID_A[:-1]}\n".encode(), "device_id")
    assert [(row.line, row.column) for row in invalid] == [(1, "")]


def test_reader_invalid_value_is_truncated():
    _, invalid, _ = read(("user_id\n" + "x" * 1000 + "\n").encode())
    assert invalid[0].value == "x" * 300
    assert "255" in invalid[0].reason


@pytest.mark.parametrize("line_end", LINE_ENDS)
def test_reader_decimal_comma_numbers_stay_single_column(line_end):
    data = line_end.join(["9,91214E+15", "1,23E+15", ""]).encode()
    ids, invalid, reader = read(data, "advertising_id")
    assert (reader.layout, reader.delimiter) == ("single", None)
    assert ids == []
    assert [row.line for row in invalid] == [1, 2]
    assert all("spreadsheet converted" in row.reason for row in invalid)


def test_reader_semicolon_file_with_decimal_commas_uses_semicolon():
    data = f"device_id;custom_id\n{UUID_A};1,23E+15\n{UUID_B};9,91214E+15\n"
    ids, invalid, reader = read(data.encode("cp1252"))
    assert reader.delimiter == ";"
    assert ids == [("device_id", UUID_A), ("device_id", UUID_B)]
    assert [(row.line, row.column) for row in invalid] == [
        (2, "custom_id"),
        (3, "custom_id"),
    ]


@pytest.mark.parametrize("header", ["", "IDFA\n", "uuid\n"])
def test_reader_uuid_column_is_single_layout(header):
    # csv.Sniffer picks "-" as the delimiter of such a column.
    lines = [UUID_A, UUID_B, UUID_C, UUID_D] * 30
    data = (header + "\n".join(lines) + "\n").encode()
    ids, invalid, reader = read(data, "advertising_id")
    assert (reader.layout, reader.delimiter) == ("single", None)
    assert [value for _, value in ids] == lines
    assert invalid == []


def test_reader_trailing_empty_columns_stay_single_layout():
    ids, _, reader = read(f"IDFA,,\n{UUID_A},,\n{UUID_B},,\n".encode())
    assert (reader.layout, reader.delimiter) == ("single", ",")
    assert ids == [("advertising_id", UUID_A), ("advertising_id", UUID_B)]


def test_reader_header_with_fewer_columns_keeps_delimiter():
    data = f"id_type,id\nidfa,{UUID_A},,\nidfv,{UUID_B},,\nidfa,{UUID_C},,\n"
    ids, _, reader = read(data.encode())
    assert (reader.layout, reader.delimiter) == ("long", ",")
    assert len(ids) == 3


@pytest.mark.parametrize("line_end", LINE_ENDS)
def test_reader_quoted_line_breaks_keep_physical_line_numbers(line_end):
    lines = [
        "idfa,note",
        f'{UUID_A},"first',
        'second"',
        "bad-1,x",
        f'{UUID_B},"a',
        "",
        'c"',
        '"bad-2",y',
    ]
    ids, invalid, reader = read(line_end.join(lines).encode())
    assert ids == [("advertising_id", UUID_A), ("advertising_id", UUID_B)]
    assert [(row.line, row.value) for row in invalid] == [(4, "bad-1"), (8, "bad-2")]
    assert reader.rows == 4


def test_reader_quoted_custom_id_with_line_break_is_invalid():
    ids, invalid, _ = read(b'user_id\r\n"abc\r\ndef"\r\nxyz\r\n')
    assert ids == [("custom_id", "xyz")]
    assert [(row.line, row.value) for row in invalid] == [(2, "abc\r\ndef")]
    assert invalid[0].reason == REASON_LINE_BREAK


def test_reader_unclosed_quote_reports_line_break_reason():
    data = b'custom_id\nA-1\n"A-2\nA-3\n'

    ids, invalid, reader = read(data)

    assert ids == [("custom_id", "A-1")]
    assert invalid == [InvalidRow(3, "custom_id", "A-2\nA-3\n", REASON_LINE_BREAK)]
    assert reader.rows == 2


def test_reader_unclosed_quote_in_uuid_column_reports_line_break():
    data = f'IDFA\n{UUID_A}\n"{UUID_B}\n{UUID_C}\n'.encode()

    ids, invalid, _ = read(data)

    assert ids == [("advertising_id", UUID_A)]
    assert [(row.line, row.reason) for row in invalid] == [(3, REASON_LINE_BREAK)]


def test_reader_quoted_tab_keeps_control_character_reason():
    data = b'custom_id\n"a\tb"\n"c\x7f\r\n"\n'

    _, invalid, _ = read(data)

    assert [(row.line, row.reason) for row in invalid] == [
        (2, REASON_CONTROL),
        (3, REASON_CONTROL),
    ]


@pytest.mark.parametrize("line_end", LINE_ENDS)
def test_reader_blank_lines_are_skipped_and_not_counted(line_end):
    lines = ["", "", "IDFA", "", UUID_A, "   ", "\t", "", "bad", "", UUID_B, "", ""]
    ids, invalid, reader = read(line_end.join(lines).encode())
    assert ids == [("advertising_id", UUID_A), ("advertising_id", UUID_B)]
    assert [row.line for row in invalid] == [9]
    assert reader.rows == 3


def test_reader_rows_of_empty_cells_are_skipped_and_not_counted():
    data = f"idfa,user_id,note\n,,\n , ,\n{UUID_A},,\n,,\n".encode()
    ids, _, reader = read(data)
    assert ids == [("advertising_id", UUID_A)]
    assert reader.rows == 1


def test_reader_row_with_only_ignored_columns_is_counted():
    data = f"id_type,id,note\nidfa,{UUID_A},\n,,hello\n".encode()
    ids, invalid, reader = read(data)
    assert ids == [("advertising_id", UUID_A)]
    assert invalid == []
    assert reader.rows == 2


def test_reader_wide_row_yields_valid_cells_and_reports_each_invalid():
    data = f'idfa,idfv,user_id\nbad,{UUID_B},"a\tb"\n'.encode()
    ids, invalid, reader = read(data)
    assert ids == [("device_id", UUID_B)]
    assert [(row.line, row.column, row.value) for row in invalid] == [
        (2, "idfa", "bad"),
        (2, "user_id", "a\tb"),
    ]
    assert reader.rows == 1
    assert reader.invalid_count == 2


def test_reader_wide_short_row_skips_missing_cells():
    ids, invalid, _ = read(f"idfa,idfv,custom_id\n{UUID_A}\n".encode())
    assert ids == [("advertising_id", UUID_A)]
    assert invalid == []


@pytest.mark.parametrize("header, expected_type", HEADER_ALIASES)
def test_reader_header_alias_selects_type(header, expected_type):
    value = "00042" if expected_type == "custom_id" else UUID_A
    ids, invalid, reader = read(f"{header},note\n{value},x\n".encode())
    assert reader.layout == "wide"
    assert ids == [(expected_type, value)]
    assert invalid == []


@pytest.mark.parametrize("header, expected_type", HEADER_ALIASES)
def test_reader_single_column_header_alias_selects_type(header, expected_type):
    value = "00042" if expected_type == "custom_id" else UUID_A
    ids, _, reader = read(f"{header}\n{value}\n".encode())
    assert reader.layout == "single"
    assert ids == [(expected_type, value)]


@pytest.mark.parametrize("type_value, expected_type", ID_TYPE_VALUES)
def test_reader_long_type_alias_selects_type(type_value, expected_type):
    value = "00042" if expected_type == "custom_id" else UUID_A
    ids, invalid, _ = read(f"id_type,id\n{type_value},{value}\n".encode())
    assert ids == [(expected_type, value)]
    assert invalid == []


def test_reader_long_unknown_type_is_invalid():
    data = f"id_type,id\nidfa,{UUID_A}\nxyz ,{UUID_B}\n".encode()
    ids, invalid, reader = read(data)
    assert ids == [("advertising_id", UUID_A)]
    assert invalid == [InvalidRow(3, "id_type", "xyz ", UNKNOWN_TYPE_REASON)]
    assert reader.rows == 2


def test_reader_long_missing_type_and_missing_id_are_invalid():
    data = f"id_type,id\n,{UUID_A}\nidfa,\nidfa,{UUID_B}\n".encode()
    ids, invalid, reader = read(data)
    assert ids == [("advertising_id", UUID_B)]
    assert [(row.line, row.column) for row in invalid] == [(2, "id_type"), (3, "id")]
    assert "ID type is missing" in invalid[0].reason
    assert "empty" in invalid[1].reason
    assert reader.rows == 3


@pytest.mark.parametrize("delimiter, header, row", LONG_WITH_EXTRA_COLUMNS)
def test_reader_long_extra_columns_are_ignored(delimiter, header, row):
    ids, invalid, reader = read(build([header, row], delimiter).encode())
    assert reader.layout == "long"
    assert ids == [("device_id", UUID_A)]
    assert invalid == []


@pytest.mark.parametrize("header", GENERIC_HEADERS)
def test_reader_generic_single_header_is_skipped(header):
    ids, invalid, reader = read(f"{header}\n{UUID_A}\n".encode(), "device_id")
    assert ids == [("device_id", UUID_A)]
    assert invalid == []
    assert reader.rows == 1


@pytest.mark.parametrize("header", GENERIC_HEADERS)
def test_reader_generic_single_header_without_choice_is_rejected(header):
    with pytest.raises(FileRejected, match="Choose the ID type"):
        read(f"{header}\n{UUID_A}\n".encode())


def test_reader_headerless_single_column_without_choice_is_rejected():
    with pytest.raises(FileRejected, match="Choose the ID type"):
        read(f"{UUID_A}\n{UUID_B}\n".encode())


@pytest.mark.parametrize("default_type", [None, ""])
def test_reader_empty_choice_without_header_is_rejected(default_type):
    with pytest.raises(FileRejected, match="Choose the ID type"):
        read(f"{UUID_A}\n".encode(), default_type)


def test_reader_choose_type_message_names_no_form():
    data = f"{UUID_A}\n".encode()

    with pytest.raises(FileRejected) as caught:
        read(data)

    message = str(caught.value)
    assert "form" not in message
    assert "Choose the ID type (device_id, advertising_id or custom_id)" in message


def test_reader_type_conflict_message_names_no_form():
    data = f"IDFA\n{UUID_A}\n".encode()

    with pytest.raises(FileRejected) as caught:
        read(data, "device_id")

    assert "form" not in str(caught.value)
    assert "was chosen for the import" in str(caught.value)


def test_reader_header_type_conflicting_with_choice_is_rejected():
    with pytest.raises(FileRejected) as caught:
        read(f"IDFA\n{UUID_A}\n".encode(), "device_id")
    message = str(caught.value)
    assert "advertising_id" in message
    assert "device_id" in message


def test_reader_header_type_matching_choice_is_accepted():
    ids, _, _ = read(f"IDFA\n{UUID_A}\n".encode(), "advertising_id")
    assert ids == [("advertising_id", UUID_A)]


def test_reader_unlisted_first_row_is_data():
    ids, _, reader = read(b"email\n00042\n", "custom_id")
    assert ids == [("custom_id", "email"), ("custom_id", "00042")]
    assert reader.rows == 2


@pytest.mark.parametrize("header", DESCRIPTIVE_CUSTOM_HEADERS)
def test_reader_descriptive_custom_header_is_skipped(header):
    data = f"{header}\nCN-1\nCN-2\n".encode()

    ids, invalid, reader = read(data, "custom_id")

    assert ids == [("custom_id", "CN-1"), ("custom_id", "CN-2")]
    assert invalid == []
    assert reader.rows == 2


@pytest.mark.parametrize("first", CUSTOM_FIRST_ROWS_KEPT)
def test_reader_custom_id_like_first_row_is_data(first):
    data = f"{first}\nCN-2\n".encode()

    ids, _, reader = read(data, "custom_id")

    assert ids == [("custom_id", first), ("custom_id", "CN-2")]
    assert reader.rows == 2


@pytest.mark.parametrize("id_type", ["device_id", "advertising_id"])
@pytest.mark.parametrize("title", UUID_COLUMN_TITLES)
def test_reader_uuid_column_title_is_skipped(id_type, title):
    data = f"{title}\n{UUID_A}\nbad\n".encode()

    ids, invalid, reader = read(data, id_type)

    assert ids == [(id_type, UUID_A)]
    assert [(row.line, row.column) for row in invalid] == [(3, title)]
    assert reader.rows == 2


@pytest.mark.parametrize("first", UUID_FIRST_ROWS_KEPT)
def test_reader_uuid_like_first_row_is_invalid_data(first):
    data = f"{first}\n{UUID_A}\n".encode()

    ids, invalid, reader = read(data, "device_id")

    assert ids == [("device_id", UUID_A)]
    assert [(row.line, row.column, row.value) for row in invalid] == [(1, "", first)]
    assert reader.rows == 2


def test_reader_wide_layout_ignores_default_type():
    ids, _, _ = read(f"idfa,note\n{UUID_A},x\n".encode(), "custom_id")
    assert ids == [("advertising_id", UUID_A)]


def test_reader_unrecognised_multi_column_header_is_rejected():
    with pytest.raises(FileRejected, match="id_type and id") as caught:
        read(b"email,phone\na@example.com,555\n")
    assert "email, phone" in str(caught.value)


def test_reader_multi_column_file_without_header_is_rejected():
    with pytest.raises(FileRejected, match="device_id, advertising_id"):
        read(f"{UUID_A},{UUID_B}\n{UUID_C},{UUID_D}\n".encode(), "device_id")


def test_reader_generic_id_column_among_others_uses_chosen_type():
    data = f"id,email\n{UUID_A},a@x\n{UUID_B},b@x\n".encode()

    ids, invalid, reader = read(data, "advertising_id")

    assert ids == [("advertising_id", UUID_A), ("advertising_id", UUID_B)]
    assert invalid == []
    assert (reader.layout, reader.delimiter, reader.rows) == ("single", ",", 2)


def test_reader_generic_id_column_reports_its_name_and_line():
    data = f"email;UUIDs\na@x;{UUID_A}\nb@x;bad\nc@x\n".encode()

    ids, invalid, reader = read(data, "device_id")

    assert ids == [("device_id", UUID_A)]
    assert [(row.line, row.column, row.value) for row in invalid] == [
        (3, "UUIDs", "bad")
    ]
    assert reader.rows == 3


def test_reader_generic_id_column_without_choice_is_rejected():
    data = f"id,name\n{UUID_A},Jane\n".encode()

    with pytest.raises(FileRejected) as caught:
        read(data)

    assert str(caught.value) == MESSAGE_CHOOSE_TYPE


def test_reader_two_generic_id_columns_are_rejected():
    data = f"id,uuid\n{UUID_A},{UUID_B}\n".encode()

    with pytest.raises(FileRejected, match="No ID column"):
        read(data, "device_id")


def test_reader_excel_separator_line_sets_delimiter():
    data = f"sep=;\r\nid_type;id\r\nidfa;{UUID_A}\r\nidfa;bad\r\n".encode()
    ids, invalid, reader = read(data)
    assert (reader.layout, reader.delimiter) == ("long", ";")
    assert ids == [("advertising_id", UUID_A)]
    assert [row.line for row in invalid] == [4]


def test_reader_quoted_header_after_bom_is_recognised():
    data = codecs.BOM_UTF8 + f'"id_type","id"\r\n"IDFA","{UUID_A}"\r\n'.encode()
    ids, _, reader = read(data)
    assert reader.layout == "long"
    assert ids == [("advertising_id", UUID_A)]


def test_reader_spaces_after_delimiter_are_ignored():
    ids, _, _ = read(f'id_type, id\nidfa, "{UUID_A}"\n'.encode())
    assert ids == [("advertising_id", UUID_A)]


def test_reader_excel_text_formula_cells_are_unwrapped():
    ids, _, _ = read(b'user_id\n="00042"\n"=""00043"""\n')
    assert ids == [("custom_id", "00042"), ("custom_id", "00043")]


def test_reader_custom_ids_keep_case_and_leading_zeros():
    data = b"custom_id\n00042\nAbC\nabc\n  0007  \n"
    ids, _, _ = read(data)
    assert [value for _, value in ids] == ["00042", "AbC", "abc", "0007"]


def test_reader_custom_id_length_limit_is_255():
    data = ("custom_id\n" + "a" * 255 + "\n" + "b" * 256 + "\n").encode()
    ids, invalid, _ = read(data)
    assert ids == [("custom_id", "a" * 255)]
    assert [row.line for row in invalid] == [3]
    assert "255" in invalid[0].reason


@pytest.mark.parametrize("data", WORKBOOKS)
def test_reader_workbook_is_rejected_with_save_as_csv(data):
    with pytest.raises(FileRejected, match="save it as CSV"):
        IdReader(io.BytesIO(data), "device_id")


@pytest.mark.parametrize("data, kind", DOCUMENTS)
def test_reader_document_is_rejected(data, kind):
    with pytest.raises(FileRejected, match=kind):
        IdReader(io.BytesIO(data), "device_id")


@pytest.mark.parametrize("data", BINARY_FILES)
def test_reader_binary_file_is_rejected(data):
    with pytest.raises(FileRejected, match="binary"):
        IdReader(io.BytesIO(data), "device_id")


def test_reader_nul_after_sample_is_rejected():
    data = ("IDFA\n" + f"{UUID_A}\n" * (SAMPLE_BYTES // 30)).encode() + b"\x00\n"
    with pytest.raises(FileRejected, match="binary"):
        IdReader(io.BytesIO(data))


@pytest.mark.parametrize("data", EMPTY_FILES)
def test_reader_empty_file_is_rejected(data):
    with pytest.raises(FileRejected, match="contains no rows"):
        IdReader(io.BytesIO(data), "device_id")


@pytest.mark.parametrize("data", HEADER_ONLY_FILES)
def test_reader_header_only_file_is_rejected(data):
    with pytest.raises(FileRejected, match="contains no rows"):
        IdReader(io.BytesIO(data))


def test_reader_gzip_file_is_decompressed():
    plain = f"idfa,user_id\n{UUID_A},00042\n".encode()
    compressed = gzip.compress(plain)
    ids, _, reader = read(compressed)
    assert ids == [("advertising_id", UUID_A), ("custom_id", "00042")]
    assert reader.bytes_read == reader.total_bytes == len(compressed)


def test_reader_gzip_utf16_file_is_decompressed():
    text = f"IDFA\r\n{UUID_A}\r\n"
    ids, _, reader = read(gzip.compress(codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    assert ids == [("advertising_id", UUID_A)]
    assert reader.encoding == "utf-16"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(gzip.compress(b"IDFA\n" * 50000)[:-200], id="truncated"),
        pytest.param(b"\x1f\x8bnot really gzip data at all", id="bad-header"),
        pytest.param(
            gzip.compress(codecs.BOM_UTF8 + b"user_id\n" + NUMBERED_LINES)[:-200],
            id="truncated-after-sample",
        ),
    ],
)
def test_reader_damaged_gzip_is_rejected(data):
    with pytest.raises(FileRejected, match="damaged"):
        read(data, "custom_id")


def test_reader_cp1252_undefined_bytes_make_rows_invalid():
    ids, invalid, reader = read(b"user_id\ncaf\xe9\nab\x81c\n")
    assert reader.encoding == "cp1252"
    assert ids == [("custom_id", "café")]
    assert [(row.line, row.value) for row in invalid] == [(3, "ab\x81c")]
    assert "control character" in invalid[0].reason


def test_reader_invalid_utf8_after_sample_falls_back_to_cp1252():
    padding = "custom_id\n" + "abcdefghij\n" * (SAMPLE_BYTES // 10)
    ids, _, reader = read(padding.encode() + b"Gen\xe8ve\n")
    assert reader.encoding == "cp1252"
    assert ids[-1] == ("custom_id", "Genève")


def test_reader_mostly_utf8_file_decodes_stray_cp1252_bytes():
    data = b"custom_id\nJos\xc3\xa9\nCaf\xe9\n"

    ids, invalid, reader = read(data)

    assert ids == [("custom_id", "José"), ("custom_id", "Café")]
    assert invalid == []
    assert reader.encoding == UTF8_WITH_CP1252


def test_reader_stray_cp1252_bytes_after_sample_are_decoded():
    padding = "custom_id\n" + "Zürich-01\n" * (SAMPLE_BYTES // 10)
    data = padding.encode() + b"Gen\xe8ve \x93A\x94\n"

    ids, _, reader = read(data)

    assert reader.encoding == UTF8_WITH_CP1252
    assert ids[0] == ("custom_id", "Zürich-01")
    assert ids[-1] == ("custom_id", "Genève “A”")


def test_reader_mixed_file_undefined_cp1252_byte_is_invalid():
    data = b"custom_id\nJos\xc3\xa9\nab\x81c\n"

    ids, invalid, reader = read(data)

    assert reader.encoding == UTF8_WITH_CP1252
    assert ids == [("custom_id", "José")]
    assert [(row.line, row.reason) for row in invalid] == [(3, REASON_CONTROL)]


def test_reader_cp1252_file_with_accidental_utf8_stays_cp1252():
    # "Ã©" in cp1252 is also the UTF-8 spelling of "é".
    data = "custom_id\nÃ©tude\nCafé\nNoël\n".encode("cp1252")

    ids, _, reader = read(data)

    assert reader.encoding == "cp1252"
    assert [value for _, value in ids] == ["Ã©tude", "Café", "Noël"]


def test_reader_utf8_character_across_sample_end_is_utf8():
    # 10 header bytes, 6552 lines of 10 bytes and 5 more put "é" across the end.
    data = ("custom_id\n" + "abcdefghi\n" * 6552 + "abcdeé\nzürich\n").encode()
    assert data[SAMPLE_BYTES - 1 : SAMPLE_BYTES + 1] == "é".encode()
    ids, _, reader = read(data)
    assert reader.encoding == "utf-8"
    assert ids[-2:] == [("custom_id", "abcdeé"), ("custom_id", "zürich")]


def test_reader_utf8_bom_with_invalid_bytes_marks_values_invalid():
    ids, invalid, reader = read(codecs.BOM_UTF8 + b"user_id\ncaf\xe9\nok\n")
    assert reader.encoding == "utf-8-sig"
    assert ids == [("custom_id", "ok")]
    assert "could not be decoded" in invalid[0].reason


def test_reader_utf32_with_bom_is_decoded():
    text = f"IDFA\r\n{UUID_A}\r\n"
    ids, _, reader = read(codecs.BOM_UTF32_LE + text.encode("utf-32-le"))
    assert reader.encoding == "utf-32"
    assert ids == [("advertising_id", UUID_A)]


@pytest.fixture
def small_field_limit():
    """Lower the process-wide csv field limit, still above the sample size."""
    previous = csv.field_size_limit(2 * SAMPLE_BYTES)
    yield
    csv.field_size_limit(previous)


def test_reader_value_over_csv_default_limit_is_invalid_row():
    data = b"custom_id\n" + b"z" * 3_000_000 + b"\nok-1\n"

    ids, invalid, reader = read(data)

    assert ids == [("custom_id", "ok-1")]
    assert [(row.line, row.reason) for row in invalid] == [(2, REASON_TOO_LONG)]
    assert reader.rows == 2


def test_reader_long_unclosed_quote_is_one_invalid_row():
    data = b'user_id\nabc\n"' + b"x" * 200_000 + b"\ndef\n"

    ids, invalid, reader = read(data)

    assert ids == [("custom_id", "abc")]
    assert [(row.line, row.reason) for row in invalid] == [(3, REASON_LINE_BREAK)]
    assert reader.rows == 2


def test_reader_field_over_limit_is_rejected_with_line(small_field_limit):
    data = b'user_id\nabc\n"' + b"x" * (3 * SAMPLE_BYTES) + b"\ndef\n"
    reader = IdReader(io.BytesIO(data))

    with pytest.raises(FileRejected) as caught:
        list(reader)

    assert str(caught.value).startswith("Line 3 could not be read")
    assert "never closed" in str(caught.value)


def test_reader_unclosed_quote_at_end_keeps_the_rest_as_one_value():
    ids, invalid, _ = read(b'user_id\nabc\n"def\nghi\n')
    assert ids == [("custom_id", "abc")]
    assert [row.line for row in invalid] == [3]


def test_reader_progress_reaches_total_bytes():
    data = ("IDFA\n" + f"{UUID_A}\n" * 20000).encode()
    reader = IdReader(io.BytesIO(data))
    assert reader.total_bytes == len(data)
    assert sum(1 for _ in reader) == 20000
    assert reader.bytes_read == len(data)


def test_reader_rows_and_invalid_count_without_callback():
    reader = IdReader(io.BytesIO(f"IDFA\n{UUID_A}\nbad\n\n".encode()))
    assert list(reader) == [("advertising_id", UUID_A)]
    assert (reader.rows, reader.invalid_count) == (2, 1)


def test_reader_on_invalid_can_be_set_after_construction():
    invalid = []
    reader = IdReader(io.BytesIO(b"IDFA\nbad\n"))
    reader.on_invalid = invalid.append
    list(reader)
    assert [row.value for row in invalid] == ["bad"]


def test_reader_second_iteration_raises():
    reader = IdReader(io.BytesIO(f"IDFA\n{UUID_A}\n".encode()))
    list(reader)
    with pytest.raises(RuntimeError):
        iter(reader)


def test_reader_unknown_default_type_raises():
    with pytest.raises(ValueError, match="default_type"):
        IdReader(io.BytesIO(b"x\n"), "idfa")


def test_reader_file_position_is_ignored():
    stream = io.BytesIO(f"IDFA\n{UUID_A}\n".encode())
    stream.seek(0, io.SEEK_END)
    assert list(IdReader(stream)) == [("advertising_id", UUID_A)]


def test_reader_layout_is_known_before_iteration():
    reader = IdReader(io.BytesIO(f"id_type;id\nidfa;{UUID_A}\n".encode("utf-16")))
    assert (reader.layout, reader.delimiter, reader.encoding) == (
        "long",
        ";",
        "utf-16",
    )
    assert reader.rows == 0


def imported_modules(path: pathlib.Path) -> set[str]:
    """Return the absolute module names a source file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    return names | {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }


def test_parsing_package_imports_only_standard_library():
    package = pathlib.Path(parsing.__file__).parent
    imported = set().union(*map(imported_modules, package.glob("*.py")))

    top_levels = {name.split(".")[0] for name in imported}

    assert len(list(package.glob("*.py"))) > 1
    assert top_levels <= set(sys.stdlib_module_names) | {"__future__"}


def test_reader_memory_stays_bounded_for_large_file():
    data = ("IDFA\n" + f"{UUID_A}\n" * 100_000).encode()
    stream = io.BytesIO(data)
    tracemalloc.start()
    try:
        count = sum(1 for _ in IdReader(stream))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 100_000
    # The file is 3.7 MB; reading it must not hold more than a few buffers.
    assert peak < len(data) // 3
