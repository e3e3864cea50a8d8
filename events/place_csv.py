"""Read a CSV file of places, checking every row before anything is stored."""

import csv
import io
import math
import re
from dataclasses import dataclass, field

from events.models import DEFAULT_RADIUS_M, MAX_RADIUS_M, MIN_RADIUS_M

HEADER_ALIASES = {
    "name": "name",
    "external_id": "external_id",
    "externalid": "external_id",
    "id": "external_id",
    "ref": "external_id",
    "latitude": "latitude",
    "lat": "latitude",
    "longitude": "longitude",
    "lng": "longitude",
    "lon": "longitude",
    "long": "longitude",
    "radius_m": "radius_m",
    "radius": "radius_m",
    "address": "address",
    "brand": "brand",
    "category": "category",
    "tags": "tags",
}
REQUIRED_COLUMNS = ("name", "latitude", "longitude")
TEXT_LIMITS = {"name": 200, "external_id": 100, "address": 300, "brand": 100}
TEXT_LIMITS["category"] = 100
MAX_TAG_LENGTH = 50
SAMPLE_ROWS = [
    ("external_id", "name", "latitude", "longitude", "radius_m", "address")
    + ("brand", "category", "tags"),
    ("HEL-001", "Kamppi Coffee", "60.1690", "24.9320", "80", "Urho Kekkosen katu 1")
    + ("Example Coffee", "amenity=cafe", "coffee|flagship"),
    ("HEL-002", "Central Station Gym", "60.1719", "24.9414", "150", "")
    + ("", "leisure=fitness_centre", "gym"),
    ("", "Esplanadi Kiosk", "60.1675", "24.9500", "", "", "", "shop=kiosk", ""),
]


class PlaceFileRejected(Exception):
    """The file as a whole cannot be read; str(exc) tells the user why."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str


@dataclass
class PlaceRow:
    line: int
    name: str
    latitude: float
    longitude: float
    external_id: str = ""
    radius_m: int = DEFAULT_RADIUS_M
    address: str = ""
    brand: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)


def read_place_file(
    data: bytes, max_rows: int
) -> tuple[list[PlaceRow], list[RowError]]:
    """Return the valid rows and the errors of every invalid one."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    columns = read_header(next(reader, None))
    rows, errors = [], []
    seen_external_ids: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) + len(errors) >= max_rows:
            raise PlaceFileRejected(f"The file has more than {max_rows:,} places.")
        cells = {name: cell.strip() for name, cell in zip(columns, row, strict=False)}
        row_errors = check_row(line, cells, seen_external_ids)
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(build_row(line, cells))
    if not rows and not errors:
        raise PlaceFileRejected("The file has a header but no places.")
    return rows, errors


def decode(data: bytes) -> str:
    if not data.strip():
        raise PlaceFileRejected("The file is empty.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def read_header(header: list[str] | None) -> list[str]:
    if not header:
        raise PlaceFileRejected("The file is empty.")
    columns = [
        HEADER_ALIASES.get(cell.strip().lower().replace(" ", "_"), "")
        for cell in header
    ]
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        raise PlaceFileRejected(
            f"The header row names the column(s) {', '.join(repeated)} more than "
            "once (counting aliases such as lat and latitude); keep one of each."
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise PlaceFileRejected(
            f"The header row lacks the column(s) {', '.join(missing)}. Expected "
            "name, latitude, longitude and optionally external_id, radius_m, "
            "address, brand, category, tags; download the sample file."
        )
    return columns


# NUL, which PostgreSQL cannot store, and control characters other than
# tabs and the line breaks of a quoted cell.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]").search


def check_row(line: int, cells: dict, seen_external_ids: dict) -> list[RowError]:
    errors = []

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(line, column, cells.get(column, "")[:200], reason))

    if not cells.get("name"):
        fail("name", "the name is required")
    for column, text in cells.items():
        if column and UNSTORABLE(text):
            fail(column, "holds a control character or a NUL byte")
    for column, limit in TEXT_LIMITS.items():
        if len(cells.get(column, "")) > limit:
            fail(column, f"longer than {limit} characters")
    for column, limit in (("latitude", 90), ("longitude", 180)):
        value = parse_float(cells.get(column, ""))
        if value is None or not -limit <= value <= limit:
            fail(column, f"expected a number from -{limit} to {limit}")
    radius = cells.get("radius_m", "")
    if radius and not (
        radius.isdigit() and MIN_RADIUS_M <= int(radius) <= MAX_RADIUS_M
    ):
        fail("radius_m", f"expected whole metres from {MIN_RADIUS_M} to {MAX_RADIUS_M}")
    if any(len(tag) > MAX_TAG_LENGTH for tag in split_tags(cells.get("tags", ""))):
        fail("tags", f"a tag is longer than {MAX_TAG_LENGTH} characters")
    external_id = cells.get("external_id", "")
    if external_id in seen_external_ids:
        fail(
            "external_id",
            f"the same external ID is on line {seen_external_ids[external_id]}",
        )
    elif external_id:
        seen_external_ids[external_id] = line
    return errors


def build_row(line: int, cells: dict) -> PlaceRow:
    return PlaceRow(
        line=line,
        name=cells["name"],
        latitude=parse_float(cells["latitude"]),
        longitude=parse_float(cells["longitude"]),
        external_id=cells.get("external_id", ""),
        radius_m=int(cells.get("radius_m") or DEFAULT_RADIUS_M),
        address=cells.get("address", ""),
        brand=cells.get("brand", ""),
        category=cells.get("category", ""),
        tags=split_tags(cells.get("tags", "")),
    )


def parse_float(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".")) if text else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def split_tags(text: str) -> list[str]:
    """Split "a|b" or "a;b" into normalised tags, in order, without repeats."""
    tags = (tag.strip().lower() for tag in text.replace(";", "|").split("|"))
    return list(dict.fromkeys(tag for tag in tags if tag))
