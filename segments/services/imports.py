"""Use cases that import a file of identifiers into a segment."""

import csv
import io
import logging
import time
import uuid
from dataclasses import asdict

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from segments import storage
from segments.exports import safe_row
from segments.models import (
    IdType,
    ImportMode,
    ImportSource,
    ImportStatus,
    Segment,
    SegmentImport,
    SegmentKind,
    SegmentStatus,
)
from segments.parsing import FileRejected, IdReader, InvalidRow
from segments.services.membership import MembershipChange, change_members

logger = logging.getLogger(__name__)

STAGE_CHUNK_ROWS = 50_000
PROGRESS_EVERY_SECONDS = 0.5
TYPE_CODES = {member.label: member.value for member in IdType}


class ImportRefused(Exception):
    """The import cannot start; str(exc) tells the user why."""


def start_import(
    *,
    company,
    user,
    upload: File,
    mode: str,
    segment: Segment | None = None,
    default_id_type: str = "",
    new_segment: dict | None = None,
    source: str = ImportSource.UPLOAD,
) -> SegmentImport:
    """Store an uploaded file and queue the job that imports it."""
    job = create_import(
        company=company,
        user=user,
        upload=upload,
        mode=mode,
        segment=segment,
        default_id_type=default_id_type,
        new_segment=new_segment,
        source=source,
    )
    from segments.tasks import run_import_task

    transaction.on_commit(lambda: run_import_task.delay(job.pk))
    logger.info(
        "import queued import_id=%s company_id=%s segment_id=%s mode=%s bytes=%s",
        job.pk,
        company.pk,
        job.segment_id,
        mode,
        job.file_size,
    )
    return job


def create_import(
    *,
    company,
    user,
    upload: File,
    mode: str,
    segment: Segment | None,
    default_id_type: str,
    new_segment: dict | None,
    source: str,
) -> SegmentImport:
    """Check and store an import job without running it."""
    size = upload.size or 0
    if size == 0:
        raise ImportRefused("The file is empty.")
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            f"The file is {size:,} bytes; the limit is "
            f"{settings.IMPORT_MAX_BYTES:,} bytes."
        )
    if (mode == ImportMode.NEW) != (segment is None):
        raise ImportRefused("A new segment needs a name; other modes a segment.")
    new_segment = dict(new_segment or {})
    if mode == ImportMode.NEW:
        new_segment["name"] = checked_segment_name(new_segment.get("name", ""))

    job = SegmentImport(
        company=company,
        segment=segment,
        mode=mode,
        default_id_type=default_id_type or "",
        source=source,
        segment_name=new_segment.get("name", ""),
        segment_description=new_segment.get("description", ""),
        segment_category=new_segment.get("category", ""),
        segment_objective=new_segment.get("objective", ""),
        original_filename=(upload.name or "upload.csv").rsplit("/", 1)[-1][:255],
        file_size=size,
        created_by=user if user and user.is_authenticated else None,
    )
    job.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
    job.save()
    if segment is not None:
        Segment.all_companies.filter(pk=segment.pk).update(
            status=SegmentStatus.IMPORTING
        )
    return job


def checked_segment_name(name: str) -> str:
    """Return the name with white space collapsed, or refuse a bad one."""
    name = " ".join(name.split())
    limit = Segment._meta.get_field("name").max_length
    if not 1 <= len(name) <= limit:
        raise ImportRefused(f"A segment name needs 1 to {limit} characters.")
    return name


def claim_import(import_id: int) -> SegmentImport | None:
    """Mark a queued import as running; None when another run owns it."""
    now = timezone.now()
    claimed = SegmentImport.all_companies.filter(
        pk=import_id, status=ImportStatus.QUEUED
    ).update(
        status=ImportStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if claimed != 1:
        return None
    return SegmentImport.all_companies.select_related("segment", "company").get(
        pk=import_id
    )


def run_import(import_id: int) -> SegmentImport | None:
    """Read a queued import's file and apply it to its segment."""
    job = claim_import(import_id)
    if job is None:
        logger.warning("import skipped, not queued import_id=%s", import_id)
        return None

    started = time.monotonic()
    logger.info("import started import_id=%s mode=%s", job.pk, job.mode)
    rejects = RejectedRows(settings.IMPORT_ERROR_SAMPLE_SIZE)
    reader = None
    try:
        with job.file.open("rb") as binary_file:
            reader = IdReader(
                binary_file,
                default_type=job.default_id_type or None,
                on_invalid=rejects.add,
            )
            change = load_and_apply(job, reader)
    except (FileRejected, ImportRefused) as error:
        finish_failed(job, str(error), rejects, reader)
        logger.warning("import refused import_id=%s reason=%s", job.pk, error)
        return job
    except Exception:
        finish_failed(job, "The import failed on our side; try again.", rejects, reader)
        logger.exception("import crashed import_id=%s", job.pk)
        raise

    finish_succeeded(job, reader, change, rejects)
    logger.info(
        "import finished import_id=%s segment_id=%s rows=%s added=%s removed=%s "
        "invalid=%s members=%s seconds=%.2f",
        job.pk,
        job.segment_id,
        job.rows,
        job.added,
        job.removed,
        job.invalid,
        job.member_count,
        time.monotonic() - started,
    )
    return job


def load_and_apply(job: SegmentImport, reader: IdReader) -> MembershipChange:
    """Stage the file's identifiers, then change the segment in one go."""
    with storage.MemberStage(f"import_{job.pk}") as stage:
        stage_in_chunks(job, reader, stage)
        if stage.loaded == 0:
            raise ImportRefused(no_valid_id_message(reader))
        job.detected_format = describe_format(reader)

        with transaction.atomic():
            segment = lock_target_segment(job)
            change = change_members(segment, job.mode, stage)
        change.loaded = stage.loaded
    return change


def lock_target_segment(job: SegmentImport) -> Segment:
    """Return the job's segment locked for update, creating a new one."""
    if job.mode != ImportMode.NEW:
        try:
            return Segment.all_companies.select_for_update().get(pk=job.segment_id)
        except Segment.DoesNotExist:
            raise ImportRefused("The segment was deleted during the import.") from None
    try:
        with transaction.atomic():
            segment = Segment.all_companies.create(
                company=job.company,
                name=job.segment_name,
                description=job.segment_description,
                category=job.segment_category,
                objective=job.segment_objective,
                kind=SegmentKind.IMPORTED,
                created_by=job.created_by,
            )
    except IntegrityError:
        raise ImportRefused(
            f"A segment named {job.segment_name!r} already exists."
        ) from None
    job.segment = segment
    SegmentImport.all_companies.filter(pk=job.pk).update(segment=segment)
    return segment


def stage_in_chunks(
    job: SegmentImport, reader: IdReader, stage: storage.MemberStage
) -> None:
    """Load the reader's identifiers into the stage, saving progress.

    Progress is written between chunks: a connection that is in the middle
    of a COPY cannot run another statement.
    """
    codes = TYPE_CODES
    pairs = ((codes[id_type], value) for id_type, value in reader)
    last_saved = time.monotonic()
    for chunk in storage.batched(pairs, STAGE_CHUNK_ROWS):
        stage.load(chunk)
        if time.monotonic() - last_saved >= PROGRESS_EVERY_SECONDS:
            save_progress(job, reader)
            last_saved = time.monotonic()
    save_progress(job, reader)


def save_progress(job: SegmentImport, reader: IdReader) -> None:
    SegmentImport.all_companies.filter(pk=job.pk).update(
        progress_bytes=reader.bytes_read,
        rows=reader.rows,
        heartbeat_at=timezone.now(),
    )


def no_valid_id_message(reader: IdReader) -> str:
    if reader.rows == 0:
        return "The file contains no rows of identifiers."
    return (
        f"None of the {reader.rows:,} rows holds a valid identifier; "
        "nothing was changed. The rejected rows list says why."
    )


def describe_format(reader: IdReader) -> str:
    delimiter = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(
        reader.delimiter or "", "no delimiter"
    )
    return f"{reader.layout} layout, {reader.encoding}, {delimiter}"


def finish_succeeded(job, reader, change: MembershipChange, rejects) -> None:
    job.status = ImportStatus.SUCCEEDED
    job.rows = reader.rows
    job.progress_bytes = job.file_size
    job.added = change.added
    job.removed = change.removed
    job.already_members = change.already_members
    job.not_members = change.not_members
    job.duplicates = change.loaded - change.distinct
    job.member_count = change.member_count
    save_finished(job, rejects)
    settle_segment_status(job.segment_id)


def finish_failed(
    job: SegmentImport,
    message: str,
    rejects: "RejectedRows | None" = None,
    reader: IdReader | None = None,
) -> None:
    job.status = ImportStatus.FAILED
    job.error_message = message
    job.progress_bytes = 0
    if reader is not None:
        job.rows = reader.rows
    if job.mode != ImportMode.NEW:
        # The segment is unchanged: report the members it still has.
        job.member_count = (
            Segment.all_companies.filter(pk=job.segment_id)
            .values_list("member_count", flat=True)
            .first()
        )
    save_finished(job, rejects or RejectedRows(0))
    if job.mode != ImportMode.NEW:
        settle_segment_status(job.segment_id)


def save_finished(job: SegmentImport, rejects: "RejectedRows") -> None:
    # Deleting a segment deletes its imports, also one that is running.
    if not SegmentImport.all_companies.filter(pk=job.pk).exists():
        logger.warning("import of a deleted segment dropped import_id=%s", job.pk)
        return
    if rejects.count or not job.invalid:
        job.invalid = rejects.count
        job.invalid_sample = rejects.sample
    job.finished_at = timezone.now()
    if rejects.count:
        job.rejected_file.save(
            f"{uuid.uuid4().hex}-rejected.csv", rejects.as_file(), save=False
        )
    job.save()


def settle_segment_status(segment_id: int | None) -> None:
    """Mark a segment ready once no import of it is queued or running."""
    if segment_id is None:
        return
    busy = SegmentImport.all_companies.filter(
        segment_id=segment_id,
        status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING],
    )
    if not busy.exists():
        Segment.all_companies.filter(
            pk=segment_id, status=SegmentStatus.IMPORTING
        ).update(status=SegmentStatus.READY)


class RejectedRows:
    """Collect invalid rows: a sample in memory, all of them in a file."""

    HEADER = ["line", "column", "value", "reason"]

    def __init__(self, sample_size: int):
        self.sample_size = sample_size
        self.sample: list[dict] = []
        self.count = 0
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.writer.writerow(self.HEADER)

    def add(self, row: InvalidRow) -> None:
        self.count += 1
        if len(self.sample) < self.sample_size:
            self.sample.append(asdict(row))
        self.writer.writerow(safe_row([row.line, row.column, row.value, row.reason]))

    def as_file(self) -> ContentFile:
        return ContentFile(self.buffer.getvalue().encode("utf-8"))


def reset_stuck_imports() -> int:
    """Queue again the running imports whose worker went silent."""
    cutoff = timezone.now() - timezone.timedelta(
        seconds=settings.IMPORT_STUCK_AFTER_SECONDS
    )
    stuck = SegmentImport.all_companies.filter(
        status=ImportStatus.RUNNING, heartbeat_at__lt=cutoff
    )
    from segments.tasks import run_import_task

    requeued = 0
    for job in stuck:
        if job.attempts >= 3:
            finish_failed(job, "The import stopped three times; giving up.")
            continue
        if SegmentImport.all_companies.filter(
            pk=job.pk, status=ImportStatus.RUNNING, heartbeat_at__lt=cutoff
        ).update(status=ImportStatus.QUEUED):
            run_import_task.delay(job.pk)
            requeued += 1
    logger.info("stuck imports reset requeued=%s", requeued)
    return requeued


def import_now(*, company, upload: File, mode: str, **options) -> SegmentImport:
    """Store a file and import it in this process, for commands and tests."""
    job = create_import(
        company=company,
        user=options.pop("user", None),
        upload=upload,
        mode=mode,
        segment=options.pop("segment", None),
        default_id_type=options.pop("default_id_type", ""),
        new_segment=options.pop("new_segment", None),
        source=options.pop("source", ImportSource.COMMAND),
    )
    run_import(job.pk)
    # The job is gone when its segment was deleted meanwhile.
    return SegmentImport.all_companies.filter(pk=job.pk).first() or job


def summarise_refusal(members: int) -> dict[str, int]:
    """Return the counts of an import refused before it read its file."""
    counts = dict.fromkeys(
        ["rows", "added", "duplicates", "already_members", "removed", "invalid"], 0
    )
    return {**counts, "members": members}


def summarise_import(job: SegmentImport) -> dict[str, int]:
    """Return the counts of a finished import under their public names."""
    return {
        "rows": job.rows,
        "added": job.added,
        "duplicates": job.duplicates,
        "already_members": job.already_members,
        "removed": job.removed,
        "invalid": job.invalid,
        "members": job.member_count if job.member_count is not None else 0,
    }
