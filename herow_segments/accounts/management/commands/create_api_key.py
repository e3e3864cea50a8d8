from django.core.management.base import BaseCommand, CommandError

from herow_segments.accounts.models import ApiScope, Company
from herow_segments.accounts.services import issue_api_key


class Command(BaseCommand):
    help = "Create an API key for a company and print it, this once only."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--company", required=True, help="The company's slug.")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=ApiScope.values,
            dest="scopes",
        )
        parser.add_argument(
            "--allow-ip",
            action="append",
            default=[],
            dest="allowed_ip_ranges",
            help="A CIDR range the key may be used from; repeat for more.",
        )

    def handle(self, *args, **options) -> None:
        company = Company.objects.filter(slug=options["company"]).first()
        if company is None:
            raise CommandError(f"No company has the slug {options['company']!r}.")
        try:
            api_key, raw_key = issue_api_key(
                company=company,
                name=options["name"],
                scopes=options["scopes"],
                allowed_ip_ranges=options["allowed_ip_ranges"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None

        self.stdout.write(raw_key)
        self.stderr.write(
            f"API key '{api_key.name}' ({api_key.prefix}…) created for "
            f"{company.name}; it is not shown again."
        )
