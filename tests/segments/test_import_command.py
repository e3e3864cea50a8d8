"""`manage.py import_segment` on files as spreadsheets export them."""

import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from segments.models import Member, Segment
from tests.factories import make_segment

UPPER = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
LOWER = UPPER.lower()
OTHER = "2f1e6b3c-9a4d-4e8f-b7c1-0d5a3e9f8b21"

WIDE_ROWS = [
    "Device ID;IDFA;Customer ID;Name",
    f"{UPPER};{OTHER};00042;Ann",
    f"{LOWER};;00042;Ann again",
    ";00000000-0000-0000-0000-000000000000;9.91214E+15;Bob",
    "",
    ';;"CRM-7";"Eve\non two lines"',
]


def run_import(tmp_path, data: bytes, *arguments: str) -> dict:
    path = tmp_path / "upload.csv"
    path.write_bytes(data)
    output = []

    class Capture:
        def write(self, text: str) -> None:
            output.append(text)

        def flush(self) -> None:
            pass

    call_command("import_segment", *arguments, str(path), stdout=Capture())
    return json.loads("".join(output))


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.replace("\n", "\r\n").encode("utf-16"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.replace("\n", "\r").encode("cp1252"),
        lambda text: gzip.compress(text.encode("utf-8")),
    ],
    ids=["utf16-crlf", "utf8-bom", "cp1252-cr", "gzip"],
)
def test_wide_export_gives_careful_counts(company, tmp_path, encode):
    data = encode("\n".join(WIDE_ROWS) + "\n")

    result = run_import(tmp_path, data, "--company", "acme", "--segment", "Wide")

    assert result == {
        "rows": 4,
        "added": 4,
        "duplicates": 2,
        "already_members": 0,
        "removed": 0,
        "invalid": 2,
        "members": 4,
    }
    values = set(Member.objects.values_list("value", flat=True))
    assert values == {LOWER, OTHER, "00042", "CRM-7"}


def test_single_column_without_header_takes_the_chosen_type(company, tmp_path):
    data = f"{UPPER}\n{OTHER}\n\n{OTHER}\n".encode()

    result = run_import(
        tmp_path,
        data,
        "--company",
        "acme",
        "--segment",
        "Bare",
        "--type",
        "advertising_id",
    )

    assert (result["rows"], result["added"], result["duplicates"]) == (3, 2, 1)
    assert Segment.all_companies.get(name="Bare").advertising_id_count == 2


def test_replace_mode_reports_removed(company, tmp_path):
    segment = make_segment(company, "Swap")
    run_import(
        tmp_path,
        f"idfv\n{UPPER}\n".encode(),
        "--company",
        "acme",
        "--segment",
        "Swap",
        "--mode",
        "add",
    )

    result = run_import(
        tmp_path,
        f"idfv\n{OTHER}\n".encode(),
        "--company",
        "acme",
        "--segment",
        "swap",
        "--mode",
        "replace",
    )

    assert (result["added"], result["removed"], result["members"]) == (1, 1, 1)
    segment.refresh_from_db()
    assert segment.device_id_count == 1


def test_refused_file_exits_with_reason(company, tmp_path):
    with pytest.raises(CommandError, match="Excel workbook"):
        run_import(
            tmp_path,
            b"PK\x03\x04rest-of-zip",
            "--company",
            "acme",
            "--segment",
            "Excel",
        )

    assert not Segment.all_companies.filter(name="Excel").exists()


def test_unknown_company_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="No company has the slug 'nope'"):
        run_import(tmp_path, b"idfa\n", "--company", "nope", "--segment", "x")
