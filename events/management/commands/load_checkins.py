from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.checkins import CheckinFileError, load_checkins
from herow_segments.accounts.models import Company


class Command(BaseCommand):
    help = (
        "Load a check-in file (user_id, venue_id, utc_timestamp, lat, lng, "
        "brand, category) as places, devices and entry events; safe to repeat."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--company", required=True, help="The company's slug.")
        parser.add_argument("checkins", type=Path, help="The checkins.csv file.")
        parser.add_argument("--places", type=Path, help="The places.csv file.")
        parser.add_argument(
            "--shift-to-now",
            action="store_true",
            help="Move all times so that the last check-in is in the current hour.",
        )

    def handle(self, *args, **options) -> None:
        try:
            company = Company.objects.get(slug=options["company"])
        except Company.DoesNotExist:
            message = f"No company has the slug {options['company']!r}."
            raise CommandError(message) from None
        try:
            load = load_checkins(
                company,
                options["checkins"],
                options["places"],
                shift=options["shift_to_now"],
            )
        except (OSError, CheckinFileError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Loaded {load.rows:,} check-ins in {load.seconds:.1f} s: "
            f"{load.places_created:,} places created, {load.places_updated:,} "
            f"updated, {load.devices:,} devices, {load.accepted:,} new events, "
            f"{load.duplicates:,} duplicates, {load.skipped:,} skipped."
        )
