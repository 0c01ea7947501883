"""With PostgreSQL unreachable, /healthz says so (503, naming the database) and pages that need
it answer with our 500 page and its security headers, not the server's bare error page.

Run in a separate process whose DATABASE_URL points at a port where nothing listens: the
database is really gone, not mocked.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.test import Client
from django.conf import settings
out = {}
for url in ["/healthz", "/", "/accounts/login/", "/home/"]:
    client = Client(raise_request_exception=False)
    if url != "/healthz":  # a load balancer sends no cookie; a signed-in person's session is in the database
        client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    response = client.get(url)
    out[url] = {"status": response.status_code, "headers": dict(response.headers),
                "body": response.content.decode()[:20000]}
print(json.dumps(out))
"""


def test_with_the_database_down_healthz_is_503_and_pages_get_the_500_page_with_its_headers(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ENV="test", DJANGO_DEBUG="false",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/nowhere", VAR_DIR=str(tmp_path),
    )
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout.strip().splitlines()[-1])

    health = pages.pop("/healthz")
    assert health["status"] == 503
    assert json.loads(health["body"])["checks"]["database"] == "unavailable"
    assert pages["/"]["status"] == 500  # the start page lists upcoming clinics
    assert pages["/home/"]["status"] == 500  # the session cannot be read
    for url, page in pages.items():
        if page["status"] == 500:
            assert "Sorry, there is a problem with the service" in page["body"], url
        else:
            assert page["status"] == 200, url  # the sign-in form shows; signing in itself needs the database
        for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
            assert header in page["headers"], (url, header)
