"""Rows written as array literals come back from PostgreSQL unchanged."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from events import storage

TEXTS = [
    "plain",
    "",
    'a "quoted" value',
    "back\\slash",
    "comma, {braces}",
    "unit\x1fseparator",
    "NULL",
    "  spaced  ",
    "välilyönti ümlaut 東京",
]
TIMES = [
    datetime(2026, 6, 1, 12, 0, 0, 1, tzinfo=UTC),
    datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(2010, 10, 10, 9, 30, 15, 123_456, tzinfo=timezone(timedelta(hours=-5))),
    None,
]


def round_trip(values: list[tuple], pg_types: tuple[str, ...]) -> list[tuple]:
    source, params = storage.rows_source(values, pg_types)
    with connection.cursor() as cursor:
        cursor.execute(source, params)
        return cursor.fetchall()


@pytest.mark.parametrize("with_null", [False, True])
def test_text_column_keeps_every_character(postgres, with_null):
    texts = [*TEXTS, None] if with_null else TEXTS
    rows = [(text,) for text in texts]

    assert round_trip(rows, ("text",)) == rows


def test_text_column_of_one_empty_string(postgres):
    assert round_trip([("",)], ("text",)) == [("",)]


def test_times_keep_their_microseconds(postgres):
    rows = [(number, moment) for number, moment in enumerate(TIMES)]

    assert round_trip(rows, ("bigint", "timestamptz")) == rows
