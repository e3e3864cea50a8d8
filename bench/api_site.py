"""Settings of the server bench.api measures: the product's, plus a bare view."""

from herow_segments.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
