"""The docker compose stack, checked by reading the file (no Docker engine runs here or in CI)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|API_KEY", re.IGNORECASE)
# ${NAME:?message} makes compose refuse to start until NAME is provided.
REQUIRED_VAR = re.compile(r"\$\{[A-Z_]+:\?[^}]+\}")
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def healthcheck_of(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_stack_has_every_service(services):
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= set(services)


def test_postgres_and_redis_have_health_checks(services):
    assert "pg_isready" in healthcheck_of(services["postgres"])
    assert "redis-cli ping" in healthcheck_of(services["redis"])
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_web_runs_gunicorn_with_production_settings_and_a_healthz_check(services):
    web = services["web"]
    assert command_of(web).startswith("gunicorn config.wsgi")
    assert web["environment"]["DJANGO_ENV"] == "production"
    assert "/healthz" in healthcheck_of(web)
    assert any(str(p).endswith(":8000") for p in web["ports"])


def test_web_waits_for_healthy_database_and_broker_and_for_migrations(services):
    depends = services["web"]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    # Migrations run once, in their own one-off container, before web starts.
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert "manage.py migrate" in command_of(services["migrate"])
    assert services["migrate"]["restart"] == "no"


def test_worker_and_beat_run_celery_on_the_same_image(services):
    assert command_of(services["worker"]).startswith("celery -A config worker")
    assert command_of(services["beat"]).startswith("celery -A config beat")
    images = {services[name]["image"] for name in (*APP_SERVICES, "migrate")}
    assert images == {"csa-clinics:latest"}
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_exactly_one_beat(services):
    beats = [name for name, s in services.items() if " beat" in command_of(s) or command_of(s).endswith("beat")]
    assert beats == ["beat"]
    # Neither a replica count nor a worker with an embedded beat (-B) may add a second clock.
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert " -B" not in command_of(services["worker"]) and "--beat" not in command_of(services["worker"])


def test_app_services_share_database_broker_and_mail_wiring(services):
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["EMAIL_BACKEND"] == "smtp"
        assert env["EMAIL_HOST"] == "mailpit"
        assert str(env["EMAIL_PORT"]) == "1025"


def test_mailpit_offers_smtp_and_a_web_ui(services):
    mailpit = services["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit")
    assert "1025" in [str(p) for p in mailpit.get("expose", [])]
    assert any(str(p).endswith("8025") for p in mailpit["ports"])


def test_data_lives_in_named_volumes(compose, services):
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert any(v.endswith(":/data") for v in services["redis"]["volumes"])
    for volume in ("postgres-data", "redis-data"):
        assert volume in compose["volumes"]


def _secret_values(services: dict):
    for name, service in services.items():
        env = service.get("environment", {})
        items = env.items() if isinstance(env, dict) else (e.split("=", 1) for e in env)
        for key, value in items:
            if SECRET_NAME.search(key) or ("://" in str(value) and "@" in str(value)):
                yield name, key, str(value)


def test_no_secret_value_is_hard_coded(services):
    found = list(_secret_values(services))
    assert {key for _, key, _ in found} >= {"DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "DATABASE_URL"}
    for service, key, value in found:
        assert REQUIRED_VAR.search(value), f"{service}: {key} must come from ${{VAR:?...}}, not be written in the file"
        # Nothing but the variable reference where the secret goes (e.g. the password in a URL).
        without_refs = REQUIRED_VAR.sub("", value)
        if "://" in without_refs:
            userinfo = without_refs.split("://", 1)[1].split("@", 1)[0]
            assert ":" not in userinfo or userinfo.endswith(":"), f"{service}: {key} has a password written in it"
        else:
            assert without_refs == "", f"{service}: {key} has a literal value"


def test_no_secret_shaped_string_anywhere_in_the_file():
    text = (ROOT / "docker-compose.yml").read_text()
    # Long random-looking tokens (40+ characters of base64/hex alphabet) do not belong here.
    assert not re.search(r"(?<![\w$])[A-Za-z0-9_\-+/]{40,}(?![\w}])", text)


def test_dockerfile_is_slim_non_root_locked_and_collects_static():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.MULTILINE)
    assert "pip install -r requirements/lock.txt" in text
    assert re.search(r"^USER (?!root)\w+", text, re.MULTILINE)
    assert "collectstatic --noinput" in text
    # The build-time key is a throwaway, not passed in from outside or reused at run time.
    assert "ARG DJANGO_SECRET_KEY" not in text and "ENV DJANGO_SECRET_KEY" not in text


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", ".env"} <= ignored
