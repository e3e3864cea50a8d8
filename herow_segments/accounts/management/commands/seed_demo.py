from django.core.management.base import BaseCommand

from events.demo import seed_demo_activity
from herow_segments.accounts.services import seed_demo_company
from segments.services import seed_demo_segments


class Command(BaseCommand):
    help = "Create the demo company, its people and demo data; safe to repeat."

    def handle(self, *args, **options) -> None:
        company, people = seed_demo_company()
        created = seed_demo_segments(company)
        self.stdout.write(
            f"Demo company '{company.slug}' is ready; {created} demo segments "
            "were created now."
        )
        activity = seed_demo_activity(company)
        self.stdout.write(
            f"{activity.places} OpenStreetMap places of Helsinki; "
            f"{activity.events:,} new simulated events of {activity.devices} "
            "simulated devices."
        )
        self.stdout.write("Log in with (demo only):")
        for email, password, role in people:
            self.stdout.write(f"  {role:<9} {email} / {password}")
