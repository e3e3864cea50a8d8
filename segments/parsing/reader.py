"""Read the (id_type, value) pairs of an uploaded CSV file."""

from __future__ import annotations

import csv
import gzip
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from .detection import (
    _SEPARATOR_DIRECTIVE,
    GZIP_MAGIC,
    MESSAGE_CHOOSE_TYPE,
    MESSAGE_NO_ROWS,
    READ_CHUNK_BYTES,
    SAMPLE_BYTES,
    FileRejected,
    _codec,
    _decode_sample,
    _decoding_errors,
    _detect_delimiter,
    _encoding_from_head,
    _refuse_by_signature,
    _refuse_documents,
    _single_byte_encoding,
    _type_conflict_message,
    _unrecognised_columns_message,
)
from .headers import (
    _GENERIC_HEADERS,
    _GENERIC_ID_COLUMN_HEADERS,
    _TYPE_ALIASES,
    _TYPE_COLUMN_HEADERS,
    _VALUE_COLUMN_HEADERS,
    _is_descriptive_header,
    _normalise_header,
)
from .streams import (
    _CountingReader,
    _file_size,
    _gzip_errors_rejected,
    _starts_with,
)
from .values import (
    _EXPECTED_TYPES,
    _NORMALISERS,
    _STRIPPED_CHARACTERS,
    REASON_LINE_BREAK,
    REASON_TYPE_MISSING,
    InvalidRow,
    _BlankValue,
    _check_default_type,
    _clean,
    _has_inner_line_break,
    _is_blank,
    _without_trailing_blanks,
)

REPORTED_VALUE_LENGTH = 300
# Single-column files are still read with the csv module so that quoted values are
# unquoted; this control character stands in for "no delimiter" and, should a value
# ever contain it, makes that value invalid instead of splitting it.
NO_DELIMITER = "\x1f"
TYPE_CACHE_SIZE = 64
# The csv module refuses fields over 131,072 characters, which would fail the
# whole file over one overlong value. The limit is global to the process, so it
# is only ever raised; a field beyond it, such as the rest of a large file after
# an unclosed quote, still rejects the file with its line number. The csv
# module holds a field as 4 bytes a character, so 4 Mi characters keep one
# runaway field to about 16 MB of the worker's memory.
FIELD_SIZE_LIMIT = 4 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))


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
                _single_byte_encoding(stream, head)
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
            _codec(self.encoding),
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
        is_header = (
            header_type is not None
            or word in _GENERIC_HEADERS
            or _is_descriptive_header(cell, self.default_type)
        )
        self.layout = "single"
        self._column = cell.strip(_STRIPPED_CHARACTERS) if is_header else ""
        self._index = 0
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
        elif self._find_generic_column(words, names):
            self.layout = "single"
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

    def _find_generic_column(self, words: list[str], names: list[str]) -> bool:
        """Find the one generic ID column, read as the type chosen for the import."""
        indexes = [
            i for i, word in enumerate(words) if word in _GENERIC_ID_COLUMN_HEADERS
        ]
        if len(indexes) != 1:
            return False
        if self.default_type is None:
            raise FileRejected(MESSAGE_CHOOSE_TYPE)
        self._index = indexes[0]
        self._column = names[self._index]
        self._single_type = self.default_type
        return True

    def _report(self, line: int, column: str, raw: str, reason: str) -> None:
        """Count an invalid cell and pass it to on_invalid."""
        # csv only keeps a line break inside quotes, and a quote left open takes
        # in the following lines, which is more likely than a multi-line ID.
        if _has_inner_line_break(raw):
            reason = REASON_LINE_BREAK
        self.invalid_count += 1
        if self.on_invalid is not None:
            self.on_invalid(
                InvalidRow(line, column, raw[:REPORTED_VALUE_LENGTH], reason)
            )

    def _iterate_single(self, records: Iterable[Record]) -> Iterator[tuple[str, str]]:
        """Yield the IDs of a single-column file."""
        id_type, column, index = self._single_type, self._column, self._index
        normalise = _NORMALISERS[id_type]
        rejoin = self.delimiter is None
        for line, row in records:
            if not row:
                continue
            if rejoin:
                raw = NO_DELIMITER.join(row)
            else:
                raw = row[index] if index < len(row) else ""
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
