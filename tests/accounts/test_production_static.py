"""With DEBUG off the application server serves its own static files."""

import os
import re
import subprocess
import sys

from tests.accounts.test_health_and_settings import ROOT, run_manage

PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": "k" * 30 + "-Q8vN2mZr7LpX4sT9wYcE6hJ1bUa5dFgK3",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "off",
}
# Requests made through the WSGI application, as gunicorn would make them.
FETCH = """
import sys
from io import BytesIO
from wsgiref.util import setup_testing_defaults
from herow_segments.wsgi import application

for path in sys.argv[1:]:
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", "wsgi.input": BytesIO()}
    setup_testing_defaults(environ)
    environ["SERVER_NAME"] = "testserver"
    answer = []
    body = b"".join(application(environ, lambda status, headers: answer.append(status)))
    print(path, answer[0].split()[0], len(body))
    if path.endswith("/login/"):
        print(body.decode())
"""


def fetch(static_root, *paths):
    return run_python(FETCH, *paths, STATIC_ROOT=str(static_root))


def run_python(code, *arguments, **environment):
    env = {**os.environ, **PRODUCTION, **environment}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-c", code, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_server_refuses_to_start_without_collected_files(tmp_path):
    result = fetch(tmp_path / "static", "/accounts/login/")

    assert result.returncode != 0
    assert "run 'manage.py collectstatic --noinput'" in result.stderr


def test_collected_files_are_served_by_the_application(tmp_path):
    static_root = tmp_path / "static"
    collected = run_manage(
        "collectstatic", "--noinput", STATIC_ROOT=str(static_root), **PRODUCTION
    )
    assert collected.returncode == 0, collected.stderr

    page = fetch(static_root, "/accounts/login/")
    assert page.returncode == 0, page.stderr
    stylesheet = re.search(r'href="(/static/vendor/bootstrap/[^"]+\.css)"', page.stdout)
    served = fetch(static_root, stylesheet[1])

    assert "/accounts/login/ 200" in page.stdout
    # A hashed name, which may be cached for ever.
    assert re.fullmatch(
        r"/static/vendor/bootstrap/bootstrap\.min\.\w{12}\.css", stylesheet[1]
    )
    assert f"{stylesheet[1]} 200" in served.stdout
