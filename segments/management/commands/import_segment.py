import json
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from herow_segments.accounts.models import Company
from segments import services
from segments.models import ImportMode, ImportSource, ImportStatus, Segment
from segments.models.segment import segment_name_key
from segments.parsing import ID_TYPES


class Command(BaseCommand):
    help = "Import a CSV file of IDs into a segment and print the counts as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--company", required=True, help="company slug")
        parser.add_argument("--segment", required=True, help="segment name")
        parser.add_argument(
            "--mode", choices=[mode.value for mode in ImportMode], default="new"
        )
        parser.add_argument("--type", choices=ID_TYPES, default="", dest="id_type")
        parser.add_argument("--description", default="")

    def handle(self, *args, **options) -> None:
        company = Company.objects.filter(slug=options["company"]).first()
        if company is None:
            raise CommandError(f"No company has the slug {options['company']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")

        job = self.run(company, path, options)

        self.stdout.write(json.dumps(services.summarise_import(job)))
        if job.status != ImportStatus.SUCCEEDED:
            raise CommandError(f"{path}: {job.error_message}")

    def run(self, company: Company, path: Path, options: dict):
        mode, name = options["mode"], options["segment"]
        segment = None
        if mode != ImportMode.NEW:
            segment = Segment.all_companies.filter(
                company=company, name_key=segment_name_key(name)
            ).first()
            if segment is None:
                raise CommandError(f"Company {company.slug} has no segment {name!r}.")
        new_segment = {"name": name, "description": options["description"]}
        try:
            with path.open("rb") as handle:
                return services.import_now(
                    company=company,
                    upload=File(handle, name=path.name),
                    mode=mode,
                    segment=segment,
                    default_id_type=options["id_type"],
                    new_segment=new_segment,
                    source=ImportSource.COMMAND,
                )
        except services.ImportRefused as error:
            members = segment.member_count if segment else 0
            self.stdout.write(json.dumps(services.summarise_refusal(members)))
            raise CommandError(f"{path}: {error}") from None
