"""Import one stored file as a worker would and print time and peak memory.

Run by bench.imports in a fresh process so that the peak resident memory
belongs to the import alone. With an empty file name it only starts up.
"""

import json
import resource
import sys
import time


def main(filename: str) -> None:
    import django

    django.setup()
    from django.core.files.storage import default_storage

    from herow_segments.accounts.models import Company
    from segments import services
    from segments.models import ImportMode, SegmentImport

    result = {}
    if filename:
        company, _ = Company.objects.get_or_create(slug="bench", name="Bench")
        job = SegmentImport.all_companies.create(
            company=company,
            mode=ImportMode.NEW,
            segment_name=f"bench {time.time_ns()}",
            file=filename,
            original_filename=filename,
            file_size=default_storage.size(filename),
        )
        started = time.monotonic()
        job = services.run_import(job.pk)
        result = {"seconds": time.monotonic() - started, "added": job.added}
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["peak_mb"] = peak_kb / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "herow_segments.settings")
    main(sys.argv[1] if len(sys.argv) > 1 else "")
