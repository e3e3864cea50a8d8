"""The segment pages, used as a marketer would."""

import pytest
from django.urls import reverse

from segments.models import Segment, SegmentImport
from tests.factories import csv_upload, import_text, long_csv, make_segment, random_ids


def test_sample_csv_has_one_row_per_type(marketer_client):
    response = marketer_client.get(reverse("segments:sample-csv"))

    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0] == "id_type,id"
    assert [line.split(",")[0] for line in lines[1:]] == [
        "device_id",
        "advertising_id",
        "custom_id",
    ]


def test_uploaded_sample_becomes_a_segment(
    marketer_client, django_capture_on_commit_callbacks
):
    sample = marketer_client.get(reverse("segments:sample-csv")).content

    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(
            reverse("segments:segment-create"),
            {"name": "Sample people", "file": csv_upload(sample), "id_type": ""},
        )

    job = SegmentImport.all_companies.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    page = marketer_client.get(response["Location"]).content.decode()
    assert 'data-count="added">3<' in page
    assert Segment.all_companies.get(name="Sample people").member_count == 3


def test_progress_fragment_stops_polling_when_finished(marketer_client, company):
    job = import_text(company, long_csv([("custom_id", "a")]))

    fragment = marketer_client.get(reverse("segments:import-progress", args=[job.pk]))

    assert b"hx-trigger" not in fragment.content
    assert b'data-status="succeeded"' in fragment.content


def test_progress_fragment_polls_while_running(marketer_client, company):
    segment = make_segment(company)
    job = SegmentImport.all_companies.create(
        company=company, segment=segment, mode="add", file="x.csv", file_size=10
    )

    fragment = marketer_client.get(reverse("segments:import-progress", args=[job.pk]))

    assert b'hx-trigger="every 1s"' in fragment.content


def test_empty_upload_is_refused_with_reason(marketer_client, company):
    segment = make_segment(company)

    response = marketer_client.post(
        reverse("segments:segment-import", args=[segment.pk]),
        {"mode": "add", "file": csv_upload(b"", "empty.csv")},
    )

    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
    assert not SegmentImport.all_companies.exists()


def test_upload_over_the_limit_is_refused(marketer_client, company, settings):
    settings.IMPORT_MAX_BYTES = 10
    segment = make_segment(company)

    response = marketer_client.post(
        reverse("segments:segment-import", args=[segment.pk]),
        {"mode": "add", "file": csv_upload("id_type,id\ncustom_id,abcdef\n")},
    )

    assert "the limit is 10\xa0bytes" in response.content.decode()
    assert not SegmentImport.all_companies.exists()


def test_segment_name_is_unique_ignoring_case(marketer_client, company):
    make_segment(company, "Gym Goers")

    response = marketer_client.post(
        reverse("segments:segment-create"), {"name": "gym goers"}
    )

    assert "A segment with this name already exists." in response.content.decode()


def test_segment_name_with_a_control_character_is_refused(marketer_client):
    response = marketer_client.post(
        reverse("segments:segment-create"), {"name": "Gym\x07 goers"}
    )

    assert "A name cannot hold control characters." in response.content.decode()
    assert not Segment.all_companies.exists()


def test_pasted_name_with_a_line_break_becomes_one_line(marketer_client):
    marketer_client.post(reverse("segments:segment-create"), {"name": "Gym\r\n goers"})

    assert Segment.all_companies.get().name == "Gym goers"


def test_list_filters_by_kind_and_searches(marketer_client, company):
    make_segment(company, "Coffee lovers", category="Food")
    make_segment(company, "Runners", kind="custom")

    response = marketer_client.get(
        reverse("segments:segment-list"), {"q": "coffee", "category": "Food"}
    )

    page = response.content.decode()
    assert "Coffee lovers" in page
    assert "Runners" not in page


def test_list_page_query_count_is_constant(
    marketer_client, company, django_assert_max_num_queries
):
    for number in range(30):
        make_segment(company, f"Segment {number}")

    with django_assert_max_num_queries(8):
        response = marketer_client.get(reverse("segments:segment-list"))

    assert response.status_code == 200


def test_export_streams_every_member(marketer_client, company):
    ids = sorted(random_ids(12))
    job = import_text(company, long_csv(("advertising_id", i) for i in ids))

    response = marketer_client.get(
        reverse("segments:segment-export", args=[job.segment_id])
    )

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "id_type,id"
    assert lines[1:] == [f"advertising_id,{i}" for i in ids]


def test_edit_segment_saves_metadata(marketer_client, company):
    segment = make_segment(company, "Old name")

    marketer_client.post(
        reverse("segments:segment-edit", args=[segment.pk]),
        {"name": "New  name ", "objective": "retention", "category": "Wine & Dine"},
    )

    segment.refresh_from_db()
    assert (segment.name, segment.objective) == ("New name", "retention")


def test_delete_segment_after_confirmation(marketer_client, company):
    segment = make_segment(company, "Doomed")
    url = reverse("segments:segment-delete", args=[segment.pk])

    confirmation = marketer_client.get(url)
    marketer_client.post(url)

    assert "cannot be undone" in confirmation.content.decode()
    assert not Segment.all_companies.filter(pk=segment.pk).exists()


@pytest.mark.parametrize("mode", ["add", "remove", "replace"])
def test_import_page_accepts_every_mode(
    marketer_client, company, mode, django_capture_on_commit_callbacks
):
    segment = make_segment(company)

    with django_capture_on_commit_callbacks(execute=True):
        marketer_client.post(
            reverse("segments:segment-import", args=[segment.pk]),
            {"mode": mode, "file": csv_upload("idfa\n" + random_ids(1)[0] + "\n")},
        )

    job = SegmentImport.all_companies.get()
    assert (job.mode, job.status) == (mode, "succeeded")


def test_huge_upload_is_refused_before_reading(marketer_client, company, settings):
    settings.IMPORT_MAX_BYTES = 1_000
    segment = make_segment(company)
    body = "id_type,id\n" + "custom_id,abcdefghij\n" * 10_000

    response = marketer_client.post(
        reverse("segments:segment-import", args=[segment.pk]),
        {"mode": "add", "file": csv_upload(body)},
    )

    assert response.status_code == 413
    assert "The file is over the limit of 1000\xa0bytes." in response.content.decode()
    assert not SegmentImport.all_companies.exists()


def test_invalid_filter_keeps_the_valid_ones(marketer_client, company):
    make_segment(company, "Coffee lovers")
    make_segment(company, "Runners")

    response = marketer_client.get(
        reverse("segments:segment-list"), {"q": "coffee", "kind": "bogus"}
    )

    page = response.content.decode()
    assert "Coffee lovers" in page
    assert "Runners" not in page


def test_name_sort_ignores_case(marketer_client, company):
    for name in ("beta", "Alpha", "Gamma"):
        make_segment(company, name)

    response = marketer_client.get(reverse("segments:segment-list"), {"sort": "name"})

    names = [segment.name for segment in response.context["page"].object_list]
    assert names == ["Alpha", "beta", "Gamma"]


def test_export_quotes_cells_that_look_like_formulas(marketer_client, company):
    job = import_text(company, "custom_id\n+SUM(1+1)\n@cmd\nplain\n")

    response = marketer_client.get(
        reverse("segments:segment-export", args=[job.segment_id])
    )

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert sorted(lines[1:]) == [
        "custom_id,'+SUM(1+1)",
        "custom_id,'@cmd",
        "custom_id,plain",
    ]


@pytest.mark.parametrize(
    "taken, attempt", [("Été", "été"), ("ÉTÉ", "Été "), ("Straße", "STRASSE")]
)
def test_segment_names_compare_without_unicode_case(
    marketer_client, company, taken, attempt
):
    make_segment(company, taken)

    response = marketer_client.post(
        reverse("segments:segment-create"), {"name": attempt}
    )

    assert "A segment with this name already exists." in response.content.decode()
    assert Segment.all_companies.count() == 1
