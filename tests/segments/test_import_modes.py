"""Each import mode gives the counts a careful user expects."""

import pytest

from segments.models import ImportStatus, Member, Segment
from segments.services import ImportRefused
from segments.services import imports as services_imports
from tests.factories import import_text, long_csv, make_segment, random_ids


def members_of(segment) -> set[tuple[int, str]]:
    return set(
        Member.objects.filter(segment=segment, is_active=True).values_list(
            "id_type", "value"
        )
    )


@pytest.fixture
def segment(company):
    return make_segment(company, "Target")


def test_new_import_counts_rows_duplicates_and_invalid(company):
    ids = random_ids(3)
    text = long_csv(
        [("advertising_id", ids[0]), ("advertising_id", ids[0].upper())]
        + [("device_id", ids[1]), ("custom_id", "00042"), ("device_id", "nope")]
    )

    job = import_text(company, text, name="Fresh")

    assert job.status == ImportStatus.SUCCEEDED
    assert (job.rows, job.added, job.duplicates, job.invalid) == (5, 3, 1, 1)
    segment = Segment.all_companies.get(name="Fresh")
    assert (segment.member_count, segment.advertising_id_count) == (3, 1)
    assert (3, "00042") in members_of(segment)
    assert job.invalid_sample[0]["line"] == 6


def test_add_import_counts_existing_members(company, segment):
    ids = random_ids(3)
    import_text(company, long_csv([("device_id", ids[0])]), "add", segment)

    job = import_text(
        company, long_csv([("device_id", i) for i in ids]), "add", segment
    )

    assert (job.added, job.already_members, job.member_count) == (2, 1, 3)


def test_remove_import_counts_removed_and_strangers(company, segment):
    ids = random_ids(3)
    import_text(company, long_csv([("device_id", i) for i in ids[:2]]), "add", segment)

    job = import_text(
        company,
        long_csv([("device_id", ids[1]), ("device_id", ids[2])]),
        "remove",
        segment,
    )

    assert (job.removed, job.not_members, job.member_count) == (1, 1, 1)
    assert members_of(segment) == {(1, ids[0])}


def test_replace_import_keeps_only_the_new_ids(company, segment):
    old, kept, new = random_ids(3)
    import_text(
        company, long_csv([("device_id", old), ("device_id", kept)]), "add", segment
    )

    job = import_text(
        company,
        long_csv([("device_id", kept), ("device_id", new)]),
        "replace",
        segment,
    )

    assert (job.added, job.already_members, job.removed) == (1, 1, 1)
    assert members_of(segment) == {(1, kept), (1, new)}


def test_removed_member_can_join_again(company, segment):
    (member,) = random_ids(1)
    text = long_csv([("device_id", member)])
    import_text(company, text, "add", segment)
    import_text(company, text, "remove", segment)

    job = import_text(company, text, "add", segment)

    assert (job.added, job.member_count) == (1, 1)


def test_file_without_valid_id_changes_nothing(company, segment):
    (member,) = random_ids(1)
    import_text(company, long_csv([("device_id", member)]), "add", segment)

    job = import_text(
        company, "id_type,id\ndevice_id,9.91214E+15\n", "replace", segment
    )

    assert job.status == ImportStatus.FAILED
    assert "None of the 1 rows" in job.error_message
    assert members_of(segment) == {(1, member)}
    segment.refresh_from_db()
    assert (segment.member_count, segment.status) == (1, "ready")


def test_failed_new_import_creates_no_segment(company):
    job = import_text(company, "id_type,id\n\n", name="Never")

    assert job.status == ImportStatus.FAILED
    assert not Segment.all_companies.filter(name="Never").exists()


def test_new_import_refuses_a_taken_name(company, segment):
    job = import_text(company, long_csv([("custom_id", "x")]), name="TARGET")

    assert job.status == ImportStatus.FAILED
    assert "already exists" in job.error_message


def test_replace_that_fails_midway_keeps_old_members(company, segment, monkeypatch):
    old, new = random_ids(2)
    import_text(company, long_csv([("device_id", old)]), "add", segment)

    def crash(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("segments.storage.MemberStage.add_to", crash)
    with pytest.raises(RuntimeError):
        import_text(company, long_csv([("device_id", new)]), "replace", segment)

    assert members_of(segment) == {(1, old)}
    segment.refresh_from_db()
    assert segment.member_count == 1


def test_rejected_rows_file_lists_every_invalid_row(company):
    rows = [("device_id", f"bad-{number}") for number in range(150)]
    job = import_text(company, long_csv(rows + [("custom_id", "ok")]))

    lines = job.rejected_file.open("rb").read().decode().splitlines()

    assert job.invalid == 150
    assert len(job.invalid_sample) == 100
    assert lines[0] == "line,column,value,reason"
    assert len(lines) == 151


def test_refused_import_reports_rows_and_current_members(company, segment):
    import_text(company, long_csv([("custom_id", "kept")]), "add", segment)

    job = import_text(company, "idfa\nnot-a-uuid\n", "add", segment)

    assert job.status == ImportStatus.FAILED
    assert (job.rows, job.invalid, job.member_count) == (1, 1, 1)


def test_import_of_a_deleted_segment_is_dropped(company, segment, monkeypatch):
    original = services_imports.load_and_apply

    def delete_then_apply(job, reader):
        Segment.all_companies.filter(pk=segment.pk).delete()
        return original(job, reader)

    monkeypatch.setattr(services_imports, "load_and_apply", delete_then_apply)
    import_text(company, long_csv([("custom_id", "x")]), "add", segment)

    assert not Segment.all_companies.filter(pk=segment.pk).exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_new_import_refuses_a_bad_name(company, name):
    with pytest.raises(ImportRefused, match="1 to 200 characters"):
        import_text(company, long_csv([("custom_id", "x")]), name=name)


def test_new_import_collapses_white_space_in_the_name(company):
    job = import_text(company, long_csv([("custom_id", "x")]), name="  Padded   name ")

    assert job.segment.name == "Padded name"


def test_sqlite_stage_is_indexed_for_matching(company, segment):
    from django.db import connection

    from segments.storage import MemberStage

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL matches the stage with hash joins")
    with MemberStage("plan") as stage:
        stage.load([(1, "a"), (1, "b")])
        stage.prepare()
        with connection.cursor() as cursor:
            cursor.execute(
                f"EXPLAIN QUERY PLAN SELECT 1 FROM {stage.table} "
                "WHERE id_type = 1 AND value = 'a'"
            )
            plan = " ".join(str(row) for row in cursor.fetchall())

    assert "INDEX" in plan
