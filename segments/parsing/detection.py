"""Refuse non-CSV uploads and detect their encoding and delimiter."""

from __future__ import annotations

import codecs
import collections
import csv
import io
import itertools
import re
from typing import BinaryIO

from .values import _STRIPPED_CHARACTERS

SAMPLE_BYTES = 64 * 1024
SAMPLE_RECORDS = 50
READ_CHUNK_BYTES = 256 * 1024

GZIP_MAGIC = b"\x1f\x8b"
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
CP1252_ERRORS = "segments.parsing.c1-control"
UTF8_WITH_CP1252 = "utf-8 (some cp1252)"
_CP1252_FALLBACK_ERRORS = "segments.parsing.cp1252-fallback"

_DECIMAL_COMMA_NUMBER = re.compile(r"(\d),(\d+[eE][+-]?\d+)")
_SEPARATOR_DIRECTIVE = re.compile(r"sep=([,;\t|])(?:\r\n|\n|\r)", re.IGNORECASE).match

_SAVE_AS_CSV = (
    "Open it in your spreadsheet application, save it as CSV "
    "(File > Save As > CSV UTF-8) and upload the CSV file."
)
MESSAGE_NO_ROWS = "The file is empty: it contains no rows of IDs."
MESSAGE_ZIP = (
    "This file is an Excel workbook (.xlsx) or another ZIP archive, not a CSV file. "
    + _SAVE_AS_CSV
)
MESSAGE_XLS = "This file is an Excel 97-2003 workbook (.xls), not a CSV file. " + (
    _SAVE_AS_CSV
)
MESSAGE_PDF = "This file is a PDF document, not a CSV file. " + _SAVE_AS_CSV
MESSAGE_WEB_PAGE = (
    "This file is a web page or XML document, not a CSV file. " + _SAVE_AS_CSV
)
MESSAGE_RICH_TEXT = (
    "This file is a rich text (RTF) document, not a CSV file. Save it as plain "
    "text, or export the IDs as CSV from your spreadsheet application."
)
MESSAGE_BINARY = (
    "This file contains binary data and is not a text CSV file. " + _SAVE_AS_CSV
)
MESSAGE_DAMAGED_GZIP = "The compressed (gzip) file is damaged or incomplete."
# The same text serves the form, the command line and the API, so it names no
# particular way of choosing.
MESSAGE_CHOOSE_TYPE = (
    "The file does not say which type of ID it contains. Choose the ID type "
    "(device_id, advertising_id or custom_id) for the import, or add a header row "
    "such as device_id, advertising_id or custom_id."
)
MESSAGE_EXPECTED_HEADERS = (
    "Use a header row with either the two columns id_type and id (one ID per "
    "row), or one column per ID type named device_id, advertising_id and/or "
    "custom_id (names such as IDFV, IDFA, GAID or user_id also work)."
)

_BYTE_ORDER_MARKS = (
    # The UTF-32 little-endian mark starts with the UTF-16 one, so it comes first.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_SIGNATURES = (
    (b"PK\x03\x04", MESSAGE_ZIP),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", MESSAGE_XLS),
    (b"%PDF-", MESSAGE_PDF),
)
_TEXT_SIGNATURES = (
    ("<?xml", MESSAGE_WEB_PAGE),
    ("<html", MESSAGE_WEB_PAGE),
    ("<!doctype", MESSAGE_WEB_PAGE),
    ("<table", MESSAGE_WEB_PAGE),
    ("{\\rtf", MESSAGE_RICH_TEXT),
)


class FileRejected(Exception):
    """The file as a whole cannot be imported; str(exc) is a user-facing message."""


def _decode_undefined_as_control(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that cp1252 leaves undefined as the C1 controls of that value."""
    # Browsers decode windows-1252 the same way; the control characters then make
    # the affected values invalid instead of silently altering them.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    undefined = error.object[error.start : error.end]
    return "".join(map(chr, undefined)), error.end


def _decode_invalid_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not valid UTF-8 as cp1252, one character per byte."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    invalid = error.object[error.start : error.end]
    return invalid.decode("cp1252", CP1252_ERRORS), error.end


codecs.register_error(CP1252_ERRORS, _decode_undefined_as_control)
codecs.register_error(_CP1252_FALLBACK_ERRORS, _decode_invalid_as_cp1252)


def _codec(encoding: str) -> str:
    """Return the codec that decodes the file of the given encoding."""
    return "utf-8" if encoding == UTF8_WITH_CP1252 else encoding


def _decoding_errors(encoding: str) -> str:
    """Return the error handler used when decoding with encoding."""
    if encoding == "cp1252":
        return CP1252_ERRORS
    if encoding == UTF8_WITH_CP1252:
        return _CP1252_FALLBACK_ERRORS
    return "replace"


def _refuse_by_signature(head: bytes) -> None:
    """Raise FileRejected for an empty file or one in a known non-CSV format."""
    if not head:
        raise FileRejected(MESSAGE_NO_ROWS)
    for signature, message in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise FileRejected(message)


def _refuse_documents(text: str) -> None:
    """Raise FileRejected when the text is a web page, XML or RTF document."""
    start = text[:1024].lstrip(_STRIPPED_CHARACTERS)[:16].lower()
    for signature, message in _TEXT_SIGNATURES:
        if start.startswith(signature):
            raise FileRejected(message)


def _encoding_from_head(head: bytes) -> str | None:
    """Name the encoding given by a byte order mark or NUL bytes, if any."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    if b"\x00" in head:
        return _utf16_without_mark(head)
    return None


def _utf16_without_mark(head: bytes) -> str:
    """Tell UTF-16 without byte order mark from binary data by where NULs fall."""
    # Mostly-ASCII UTF-16 text has a NUL in every other byte and none in between.
    pairs = len(head) // 2
    even_nuls = head[0 : pairs * 2 : 2].count(0)
    odd_nuls = head[1 : pairs * 2 : 2].count(0)
    if odd_nuls * 3 >= pairs and even_nuls * 20 <= odd_nuls:
        return "utf-16-le"
    if even_nuls * 3 >= pairs and odd_nuls * 20 <= even_nuls:
        return "utf-16-be"
    raise FileRejected(MESSAGE_BINARY)


def _single_byte_encoding(stream: BinaryIO, head: bytes) -> str:
    """Read the rest of stream and choose between UTF-8 and cp1252."""
    characters, invalid_bytes = _utf8_census(stream, head)
    if not invalid_bytes:
        return "utf-8"
    # Accidental valid UTF-8 sequences are rare in cp1252 text, so a file where
    # they are at least as common as invalid bytes is UTF-8 with a few values
    # pasted in from a cp1252 source.
    if characters and invalid_bytes <= characters:
        return UTF8_WITH_CP1252
    return "cp1252"


def _utf8_census(stream: BinaryIO, head: bytes) -> tuple[int, int]:
    """Count the valid non-ASCII UTF-8 characters and the invalid bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    characters = invalid_bytes = 0
    chunk = head
    while chunk:
        if b"\x00" in chunk:
            raise FileRejected(MESSAGE_BINARY)
        # ASCII chunks need no decoding unless a sequence started in the last one.
        if not chunk.isascii() or decoder.getstate()[0]:
            escaped, non_ascii = _census_of_chunk(decoder, chunk)
            characters += non_ascii - escaped
            invalid_bytes += escaped
        chunk = stream.read(READ_CHUNK_BYTES)
    return characters, invalid_bytes + len(decoder.getstate()[0])


def _census_of_chunk(
    decoder: codecs.IncrementalDecoder, chunk: bytes
) -> tuple[int, int]:
    """Decode chunk; return its invalid bytes and its non-ASCII characters."""
    try:
        text = decoder.decode(chunk)
    except UnicodeDecodeError:
        # The decoder keeps its state on failure; from here on each invalid
        # byte decodes to one lone surrogate, which is counted.
        decoder.errors = "surrogateescape"
        text = decoder.decode(chunk)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if decoder.errors == "strict":
        return 0, non_ascii
    # Encoding drops the lone surrogates; this is faster than searching them.
    escaped = len(text) - len(text.encode("utf-8", "ignore").decode("utf-8"))
    return escaped, non_ascii


def _decode_sample(head: bytes, encoding: str) -> str:
    """Decode head, leaving out a character cut off at its end."""
    decoder_class = codecs.getincrementaldecoder(_codec(encoding))
    return decoder_class(_decoding_errors(encoding)).decode(head)


def _detect_delimiter(text: str, complete: bool) -> str | None:
    """Pick the delimiter found most often and most consistently in the sample."""
    scores = {
        delimiter: _delimiter_score(text, delimiter, complete)
        for delimiter in CANDIDATE_DELIMITERS
    }
    # max() keeps the first of equal scores, so ties go to the earlier candidate.
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > (0.0, 0.0) else None


def _delimiter_score(text: str, delimiter: str, complete: bool) -> tuple[float, float]:
    """Score a delimiter by the share of records that have it, then by consistency."""
    if delimiter == ",":
        # Semicolon locales write "9,91214E+15"; that comma separates no columns.
        text = _DECIMAL_COMMA_NUMBER.sub(r"\1.\2", text)
    counts = _delimiter_counts(text, delimiter, complete)
    if not counts or counts[0] == 0:
        return 0.0, 0.0
    presence = sum(1 for count in counts if count) / len(counts)
    if presence < 0.5:
        return 0.0, 0.0
    most_common = collections.Counter(counts).most_common(1)[0][1]
    return presence, most_common / len(counts)


def _delimiter_counts(text: str, delimiter: str, complete: bool) -> list[int]:
    """Count delimiters outside quotes in each non-blank record of the sample."""
    # Parsing with the csv module itself keeps quotes and embedded line breaks
    # consistent with how the file is read later.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True
    )
    records = list(itertools.islice(reader, SAMPLE_RECORDS + 1))
    if records and (len(records) > SAMPLE_RECORDS or not complete):
        # The last record may be cut off by the end of the sample.
        records.pop()
    return [len(record) - 1 for record in records if record]


def _unrecognised_columns_message(row: list[str]) -> str:
    """Explain that no ID column was found, quoting the start of the first row."""
    cells = [cell.strip(_STRIPPED_CHARACTERS)[:40] for cell in row[:10]]
    return (
        f"No ID column was found; the first row is: {', '.join(cells)}. "
        + MESSAGE_EXPECTED_HEADERS
    )


def _type_conflict_message(header: str, header_type: str, chosen_type: str) -> str:
    """Explain that the header and the ID type chosen for the import disagree."""
    return (
        f"The file's header '{header}' means {header_type}, but {chosen_type} "
        f"was chosen for the import. Choose {header_type}, or correct the header."
    )
