"""Create the bench company, a 1,000,000-member segment and an API key.

Run by bench.api in a fresh process; prints {"segment_id", "secret"} as
JSON. The members are written by one INSERT ... SELECT, and kept between
runs.
"""

import json

MEMBERS = 1_000_000


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    from herow_segments.accounts.models import Company
    from herow_segments.accounts.services import issue_api_key
    from segments import services
    from segments.models import Segment, SegmentKind

    company, _ = Company.objects.get_or_create(slug="bench-api", name="Bench API")
    segment, _ = Segment.all_companies.get_or_create(
        company=company, name="bench api 1M", defaults={"kind": SegmentKind.API}
    )
    if segment.member_count != MEMBERS:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM segments_member WHERE segment_id = %s", [segment.pk]
            )
            cursor.execute(
                "INSERT INTO segments_member "
                "(segment_id, id_type, value, is_active, revision) "
                "SELECT %s, 2, md5(number::text)::uuid::text, TRUE, 1 "
                "FROM generate_series(1, %s) AS number",
                [segment.pk, MEMBERS],
            )
            cursor.execute("ANALYZE segments_member")
        services.refresh_member_counts(segment, revision=1)
    _, secret = issue_api_key(
        company=company, name="bench", scopes=["segments:read", "segments:write"]
    )
    print(json.dumps({"segment_id": segment.pk, "secret": secret}))


if __name__ == "__main__":
    main()
