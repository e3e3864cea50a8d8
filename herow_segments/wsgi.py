"""WSGI entry point."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "herow_segments.settings")
application = get_wsgi_application()

# In production, page templates name static files by their hashed names;
# without the manifest every page would answer 500, so refuse to start.
if not settings.DEBUG and not settings.STATIC_MANIFEST.exists():
    raise ImproperlyConfigured(
        f"No static files manifest at {settings.STATIC_MANIFEST}: run "
        "'manage.py collectstatic --noinput' before starting the server."
    )
