"""Stream mobile device identifiers out of uploaded CSV files to build segments."""

from __future__ import annotations

import codecs
import collections
import contextlib
import csv
import gzip
import io
import itertools
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

ID_TYPES = ("device_id", "advertising_id", "custom_id")

MAX_ID_LENGTH = 255
REPORTED_VALUE_LENGTH = 300
SAMPLE_BYTES = 64 * 1024
SAMPLE_RECORDS = 50
READ_CHUNK_BYTES = 256 * 1024
NIL_UUID = "00000000-0000-0000-0000-000000000000"

GZIP_MAGIC = b"\x1f\x8b"
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
# Single-column files are still read with the csv module so that quoted values are
# unquoted; this control character stands in for "no delimiter" and, should a value
# ever contain it, makes that value invalid instead of splitting it.
NO_DELIMITER = "\x1f"
CP1252_ERRORS = "segments.parsing.c1-control"
TYPE_CACHE_SIZE = 64

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
_DECIMAL_COMMA_NUMBER = re.compile(r"(\d),(\d+[eE][+-]?\d+)")
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]").search
_EXCEL_TEXT_FORMULA = re.compile(r'="(.*)"', re.DOTALL).fullmatch
_HEADER_PUNCTUATION = re.compile(r"[\s_.\-]+")
_HEADER_NOTE = re.compile(r"\(.*?\)|\[.*?\]")
_SEPARATOR_DIRECTIVE = re.compile(r"sep=([,;\t|])(?:\r\n|\n|\r)", re.IGNORECASE).match

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
MESSAGE_CHOOSE_TYPE = (
    "The file does not say which type of ID it contains. Choose the ID type "
    "(device ID, advertising ID or custom ID) in the form, or add a header row "
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


def _normalise_header(text: str) -> str:
    """Reduce a header or type name to the spelling used in the alias tables."""
    # Notes in brackets are dropped, so that "Device ID (IDFV)" reads as device ID.
    word = _HEADER_NOTE.sub("", _clean(text).lower())
    word = _HEADER_PUNCTUATION.sub("", word)
    return word.removesuffix("s")


def _is_blank(cells: Iterable[str]) -> bool:
    """Tell whether every cell is empty or white space."""
    return all(not cell or not _clean(cell) for cell in cells)


def _without_trailing_blanks(row: list[str]) -> list[str]:
    """Drop the empty cells that spreadsheets add after the last used column."""
    end = len(row)
    while end and _is_blank((row[end - 1],)):
        end -= 1
    return row[:end]


def _decode_undefined_as_control(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that cp1252 leaves undefined as the C1 controls of that value."""
    # Browsers decode windows-1252 the same way; the control characters then make
    # the affected values invalid instead of silently altering them.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    undefined = error.object[error.start : error.end]
    return "".join(map(chr, undefined)), error.end


codecs.register_error(CP1252_ERRORS, _decode_undefined_as_control)


def _decoding_errors(encoding: str) -> str:
    """Return the error handler used when decoding with encoding."""
    return CP1252_ERRORS if encoding == "cp1252" else "replace"


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


def _is_utf8(stream: BinaryIO, head: bytes) -> bool:
    """Read the rest of stream and tell whether all of it is valid UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = head
    while chunk:
        if b"\x00" in chunk:
            raise FileRejected(MESSAGE_BINARY)
        # ASCII chunks need no decoding unless a sequence started in the last one.
        if not chunk.isascii() or decoder.getstate()[0]:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
        chunk = stream.read(READ_CHUNK_BYTES)
    return not decoder.getstate()[0]


def _decode_sample(head: bytes, encoding: str) -> str:
    """Decode head, leaving out a character cut off at its end."""
    decoder = codecs.getincrementaldecoder(encoding)(_decoding_errors(encoding))
    return decoder.decode(head)


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
    """Explain that the header and the ID type chosen in the form disagree."""
    return (
        f"The file's header '{header}' means {header_type}, but {chosen_type} "
        f"was chosen in the form. Choose {header_type}, or correct the header."
    )


def _check_default_type(default_type: str | None) -> str | None:
    """Return default_type as given, None for an empty choice."""
    if not default_type:
        return None
    if default_type not in ID_TYPES:
        raise ValueError(
            f"default_type must be one of {ID_TYPES}, not {default_type!r}"
        )
    return default_type


def _file_size(binary_file: BinaryIO) -> int:
    """Return the size of binary_file in bytes, or 0 when it cannot be measured."""
    try:
        binary_file.seek(0, io.SEEK_END)
        size = binary_file.tell()
        binary_file.seek(0)
    except (AttributeError, OSError, ValueError):
        return 0
    return size or 0


def _starts_with(binary_file: BinaryIO, magic: bytes) -> bool:
    """Tell whether binary_file starts with magic, leaving it at position 0."""
    binary_file.seek(0)
    start = binary_file.read(len(magic))
    binary_file.seek(0)
    return start == magic


@contextlib.contextmanager
def _gzip_errors_rejected() -> Iterator[None]:
    """Turn decompression failures into a user-facing FileRejected."""
    try:
        yield
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise FileRejected(MESSAGE_DAMAGED_GZIP) from error


class _CountingReader(io.RawIOBase):
    """Raw stream over a binary file that counts the bytes read from it."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self.count = 0

    def readable(self) -> bool:
        """Report the stream as readable, as io.BufferedReader requires."""
        return True

    def readinto(self, buffer: memoryview) -> int:
        """Fill buffer from the source and count the bytes."""
        data = self._source.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size


Record = tuple[int, list[str]]


class IdReader:
    """Iterate over the (id_type, value) pairs of an uploaded CSV file."""

    def __init__(
        self,
        binary_file: BinaryIO,
        default_type: str | None = None,
        on_invalid: Callable[[InvalidRow], None] | None = None,
    ) -> None:
        self.on_invalid = on_invalid
        self.default_type = _check_default_type(default_type)
        self.rows = 0
        self.invalid_count = 0
        self.encoding = ""
        self.delimiter: str | None = None
        self.layout = ""
        self._binary_file = binary_file
        self._iterated = False
        self._type_cache: dict[str, str] = {}
        self.total_bytes = _file_size(binary_file)
        self._compressed = _starts_with(binary_file, GZIP_MAGIC)
        self._inspect()
        self._open_records()
        self._read_header()

    @property
    def bytes_read(self) -> int:
        """Bytes taken from the uploaded file so far (compressed bytes for gzip)."""
        return self._counter.count

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Yield (id_type, normalised_value) for each valid ID."""
        if self._iterated:
            raise RuntimeError("an IdReader can only be iterated once")
        self._iterated = True
        records = itertools.chain((self._pending,), self._records)
        layouts = {
            "single": self._iterate_single,
            "wide": self._iterate_wide,
            "long": self._iterate_long,
        }
        return layouts[self.layout](records)

    def _open_binary(self) -> BinaryIO:
        """Open the uploaded file from its start, decompressing gzip."""
        self._binary_file.seek(0)
        self._counter = _CountingReader(self._binary_file)
        if self._compressed:
            return gzip.GzipFile(fileobj=self._counter, mode="rb")
        return io.BufferedReader(self._counter, READ_CHUNK_BYTES)

    def _inspect(self) -> None:
        """Refuse non-CSV files, then set the encoding and the delimiter."""
        with self._open_binary() as stream, _gzip_errors_rejected():
            head = stream.read(SAMPLE_BYTES)
            _refuse_by_signature(head)
            self.encoding = _encoding_from_head(head) or (
                "utf-8" if _is_utf8(stream, head) else "cp1252"
            )
        text = _decode_sample(head, self.encoding)
        _refuse_documents(text)
        self._choose_delimiter(text, complete=len(head) < SAMPLE_BYTES)

    def _choose_delimiter(self, text: str, complete: bool) -> None:
        """Set the delimiter from Excel's "sep=" line or from the sample."""
        directive = _SEPARATOR_DIRECTIVE(text)
        self._skip_first_line = directive is not None
        if directive:
            self.delimiter = directive[1]
        else:
            self.delimiter = _detect_delimiter(text, complete)

    def _open_records(self) -> None:
        """Start the csv reader over the whole decoded file."""
        text = io.TextIOWrapper(
            self._open_binary(),
            self.encoding,
            errors=_decoding_errors(self.encoding),
            newline="",
        )
        reader = csv.reader(
            text, delimiter=self.delimiter or NO_DELIMITER, skipinitialspace=True
        )
        self._records = self._iterate_records(reader)
        if self._skip_first_line:
            next(self._records, None)

    def _iterate_records(self, reader: Iterator[list[str]]) -> Iterator[Record]:
        """Yield (first physical line, cells) for each record, blank ones included."""
        end = 0
        with _gzip_errors_rejected():
            try:
                for row in reader:
                    start, end = end + 1, reader.line_num
                    yield start, row
            except csv.Error as error:
                raise FileRejected(
                    f"Line {end + 1} could not be read ({error}); check for a double "
                    'quote (") that is never closed.'
                ) from error

    def _next_content_record(self) -> Record | None:
        """Return the next record with a non-blank cell, or None at the end."""
        for record in self._records:
            if not _is_blank(record[1]):
                return record
        return None

    def _read_header(self) -> None:
        """Decide the layout from the first record and find the first data record."""
        first = self._next_content_record()
        if first is None:
            raise FileRejected(MESSAGE_NO_ROWS)
        cells = _without_trailing_blanks(first[1])
        if len(cells) == 1:
            self._prepare_single(first, cells[0])
        else:
            self._prepare_columns(first[1])
        if self._pending is None:
            self._pending = self._next_content_record()
        if self._pending is None:
            raise FileRejected(MESSAGE_NO_ROWS)

    def _prepare_single(self, first: Record, cell: str) -> None:
        """Set up the single-column layout, with or without a header."""
        word = _normalise_header(cell)
        header_type = _TYPE_ALIASES.get(word)
        is_header = header_type is not None or word in _GENERIC_HEADERS
        self.layout = "single"
        self._column = cell.strip(_STRIPPED_CHARACTERS) if is_header else ""
        self._pending = None if is_header else first
        self._single_type = self._choose_single_type(header_type)

    def _choose_single_type(self, header_type: str | None) -> str:
        """Combine the type named by the header with the one chosen in the form."""
        chosen = self.default_type
        if header_type and chosen and header_type != chosen:
            raise FileRejected(
                _type_conflict_message(self._column, header_type, chosen)
            )
        if not (header_type or chosen):
            raise FileRejected(MESSAGE_CHOOSE_TYPE)
        return header_type or chosen

    def _prepare_columns(self, header: list[str]) -> None:
        """Set up the long or wide layout from a header row."""
        words = [_normalise_header(cell) for cell in header]
        names = [cell.strip(_STRIPPED_CHARACTERS) for cell in header]
        self._pending = None
        if self._find_long_columns(words, names):
            self.layout = "long"
        elif self._find_wide_columns(words, names):
            self.layout = "wide"
        else:
            raise FileRejected(_unrecognised_columns_message(header))

    def _find_long_columns(self, words: list[str], names: list[str]) -> bool:
        """Find the id_type and id columns of the long layout."""
        type_indexes = [
            i for i, word in enumerate(words) if word in _TYPE_COLUMN_HEADERS
        ]
        value_indexes = [
            i for i, word in enumerate(words) if word in _VALUE_COLUMN_HEADERS
        ]
        if not (type_indexes and value_indexes):
            return False
        self._type_index, self._value_index = type_indexes[0], value_indexes[0]
        self._type_column = names[self._type_index]
        self._value_column = names[self._value_index]
        return True

    def _find_wide_columns(self, words: list[str], names: list[str]) -> bool:
        """Find the one-column-per-type columns of the wide layout."""
        self._columns = [
            (
                index,
                _TYPE_ALIASES[word],
                names[index],
                _NORMALISERS[_TYPE_ALIASES[word]],
            )
            for index, word in enumerate(words)
            if word in _TYPE_ALIASES
        ]
        return bool(self._columns)

    def _report(self, line: int, column: str, raw: str, reason: str) -> None:
        """Count an invalid cell and pass it to on_invalid."""
        self.invalid_count += 1
        if self.on_invalid is not None:
            self.on_invalid(
                InvalidRow(line, column, raw[:REPORTED_VALUE_LENGTH], reason)
            )

    def _iterate_single(self, records: Iterable[Record]) -> Iterator[tuple[str, str]]:
        """Yield the IDs of a single-column file."""
        id_type, column = self._single_type, self._column
        normalise = _NORMALISERS[id_type]
        rejoin = self.delimiter is None
        for line, row in records:
            if not row:
                continue
            raw = NO_DELIMITER.join(row) if rejoin else row[0]
            try:
                value = normalise(raw)
            except _BlankValue:
                self.rows += not _is_blank(row)
                continue
            except ValueError as error:
                self.rows += 1
                self._report(line, column, raw, str(error))
                continue
            self.rows += 1
            yield id_type, value

    def _iterate_wide(self, records: Iterable[Record]) -> Iterator[tuple[str, str]]:
        """Yield the IDs of a file with one column per ID type."""
        for line, row in records:
            found = self._read_wide_row(line, row)
            if found is not None:
                self.rows += 1
                yield from found

    def _read_wide_row(self, line: int, row: list[str]) -> list[tuple[str, str]] | None:
        """Return the valid IDs of row, or None when the row is blank."""
        found = []
        reported = False
        size = len(row)
        for index, id_type, column, normalise in self._columns:
            raw = row[index] if index < size else ""
            if not raw:
                continue
            try:
                found.append((id_type, normalise(raw)))
            except _BlankValue:
                continue
            except ValueError as error:
                self._report(line, column, raw, str(error))
                reported = True
        if found or reported or not _is_blank(row):
            return found
        return None

    def _iterate_long(self, records: Iterable[Record]) -> Iterator[tuple[str, str]]:
        """Yield the IDs of a file with id_type and id columns."""
        type_index, value_index = self._type_index, self._value_index
        for line, row in records:
            size = len(row)
            type_raw = row[type_index] if type_index < size else ""
            value_raw = row[value_index] if value_index < size else ""
            id_type = self._type_cache.get(type_raw)
            if id_type is None:
                if _is_blank((type_raw, value_raw)):
                    # Content only in ignored columns still makes the row count.
                    self.rows += not _is_blank(row)
                    continue
                id_type = self._long_type(line, type_raw)
            self.rows += 1
            value = id_type and self._long_value(line, id_type, value_raw)
            if value:
                yield id_type, value

    def _long_value(self, line: int, id_type: str, raw: str) -> str | None:
        """Return the normalised ID of a long-layout row, or None when invalid."""
        try:
            return _NORMALISERS[id_type](raw)
        except ValueError as error:
            self._report(line, self._value_column, raw, str(error))
            return None

    def _long_type(self, line: int, raw: str) -> str | None:
        """Resolve an id_type cell through the aliases, reporting unknown ones."""
        id_type = _TYPE_ALIASES.get(_normalise_header(raw))
        if id_type is None:
            self._report(line, self._type_column, raw, self._type_problem(raw))
        elif len(self._type_cache) < TYPE_CACHE_SIZE:
            self._type_cache[raw] = id_type
        return id_type

    @staticmethod
    def _type_problem(raw: str) -> str:
        """Describe why an id_type cell is not usable."""
        value = _clean(raw)
        if not value:
            return REASON_TYPE_MISSING
        return f"unknown ID type '{value[:50]}'; {_EXPECTED_TYPES}"
