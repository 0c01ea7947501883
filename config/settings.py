"""Settings for the CSA consultation clinics service.

Everything that differs between a laptop and production comes from the environment (see
README "Configuration"). With nothing set, the service runs on embedded defaults: an SQLite file
and a filesystem Celery broker under ./var, console email. ``DJANGO_ENV=production`` switches on
the production guarantees (HTTPS only, HSTS, secure cookies, required secret key).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_choice("DJANGO_ENV", "development", {"development", "production", "test"})
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DJANGO_DEBUG", ENVIRONMENT == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false when DJANGO_ENV=production")

SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=PRODUCTION)
if not SECRET_KEY:
    # Development and tests only: production refuses to start without a real key (above).
    SECRET_KEY = "insecure-development-key-not-for-production-use-0123456789abcdef"  # noqa: S105
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters in production")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SERVICE_NAME = env_str("SERVICE_NAME", "CSA consultation clinics")
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Example Safeguarding Partnership")

INSTALLED_APPS = [
    "accounts.apps.TwoFactorAdminConfig",  # django.contrib.admin behind two-factor sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "accounts",
    "anonymity",
    "clinics",
    "notifications",
]

# Change history (clinics/history.py): the reason names the action and why, so allow more than
# the default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

MIDDLEWARE = [
    # One log line per refusal (config/request_log.py): outermost, so it sees every response.
    "config.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that can answer early (bad bytes, errors in the session middleware), so
    # every response, error pages included, carries X-Frame-Options.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    # Before the session is read: a NUL in a path or cookie must not reach PostgreSQL.
    "config.bad_bytes.RejectBadBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Changes saved while handling a request name the signed-in person in the change history
    # even where an operation has no ``by`` of its own (clinics/history.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.service",
            ],
            "builtins": ["config.templatetags.govuk"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; wait for the lock instead of failing, and use IMMEDIATE
    # transactions so select_for_update-style sections really are exclusive.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # A booking waits at most this long for the clinic lock; past it, a friendly "try again".
    DATABASES["default"]["OPTIONS"].setdefault("options", f"-c lock_timeout={env_int('DB_LOCK_TIMEOUT_MS', 5000, minimum=100)}")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
FORM_RENDERER = "config.forms.GovukFormRenderer"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and accounts ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "start"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SERVICE_NAME}] "
# allauth's rate limits are on by default; stated here so nobody turns them off by accident.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Security keys and passkeys (WebAuthn) are an extra second factor next to the authenticator app;
# role_required still demands the app (it brings recovery codes). Passkey-only sign-in and passkey
# signup stay off (allauth's default; stated so nobody turns them on): privileged roles need a
# password and a second factor.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# Browsers only offer WebAuthn in a secure context, and the server checks the origin against the
# host: https, or http://localhost (open the dev server at http://localhost:8000, not 127.0.0.1,
# which browsers refuse as a key's site). This switch turns the server's origin check off
# entirely, so it is for development only: a developer who reaches their machine by another name
# over http (with Chromium's --unsafely-treat-insecure-origin-as-secure) can still try a key.
# Production never has DEBUG (refused above), so there the origin is always checked.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {
    "add_webauthn": "accounts.forms.SafeAddWebAuthnForm",
    "authenticate_webauthn": "accounts.forms.SafeAuthenticateWebAuthnForm",
    "reauthenticate_webauthn": "accounts.forms.SafeReauthenticateWebAuthnForm",
}
# Signup is open only to these email domains ("*." matches any subdomain); anyone else needs
# a coordinator's invitation.
SIGNUP_ALLOWED_DOMAINS = env_list(
    "SIGNUP_ALLOWED_DOMAINS", ["*.gov.uk", "nhs.net", "*.nhs.uk", "*.police.uk", "*.sch.uk"]
)
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14, minimum=1)

# Idle timeout: the session expires after this many minutes without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # HSTS preload commits the whole parent domain (often the council's) to HTTPS for good:
    # that is the domain owner's decision, not this service's. SECURE_HSTS_PRELOAD opts in.
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "bench": "config.bench.CountingEmailBackend",  # bench/run.py: counts and discards
}[env_choice("EMAIL_BACKEND", "smtp" if PRODUCTION else "console", {"console", "smtp", "locmem", "bench"})]
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CSA consultation clinics <clinics@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # acks_late + a visibility timeout longer than any task: a task whose worker died is
    # redelivered, and our tasks are idempotent, so redelivery cannot double-send.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # Embedded broker for `make run`: kombu's filesystem transport needs no server.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing happens after a booking commits; if the broker is down we must not keep the
# practitioner waiting. The outbox row is already saved and the sweep will dispatch it.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The periodic sweeps. Each is short, idempotent and safe to run twice; run exactly ONE beat.
# A number is seconds between runs; "HH:MM" is once a day at that time (TIME_ZONE), which
# config/celery.py turns into a crontab: importing celery.schedules here would load all of Celery
# into every process that reads the settings, `manage.py scan_identifiers` included.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, str | float]] = {
    "notifications.sweep_outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 30.0},
    "notifications.send_due_reminders": {"task": "notifications.tasks.send_due_reminders", "schedule": 30.0},
    "notifications.send_due_bulletins": {"task": "notifications.tasks.send_due_bulletins", "schedule": 300.0},
    "clinics.expire_offers": {"task": "clinics.tasks.expire_offers", "schedule": 60.0},
    "clinics.generate_occurrences": {"task": "clinics.tasks.generate_occurrences", "schedule": "02:15"},
    "clinics.generate_reflective_sessions": {"task": "clinics.tasks.generate_reflective_sessions", "schedule": "02:25"},
    "clinics.apply_retention": {"task": "clinics.tasks.apply_retention", "schedule": "03:05"},
    "clinics.refresh_theme_rollups": {"task": "clinics.tasks.refresh_theme_rollups", "schedule": 600.0},
    "clinics.rebuild_theme_rollups": {"task": "clinics.tasks.rebuild_theme_rollups", "schedule": "03:35"},
}

# --- Cache -----------------------------------------------------------------------------------
# allauth keeps rate-limit counters and used TOTP codes (replay protection) in the cache, so
# with several web processes it must be shared: Redis when configured, and the database cache
# (table made by migration accounts/0003_database_cache_table) while Redis does not answer, so
# a Redis outage cannot stop people signing in (config/cache.py, docs/operations.md).
CACHE_TABLE = "cache_fallback"
CACHES = {"database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE, "KEY_PREFIX": "csa"}}
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "config.cache.RedisWithDatabaseFallback",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "csa",
        # A dead Redis must cost a moment, not a hung request.
        "OPTIONS": {"FALLBACK": "database", "socket_connect_timeout": 1, "socket_timeout": 1},
    }
else:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

# --- Service policy -------------------------------------------------------------------------
DISCLOSURE_THRESHOLD = env_int("DISCLOSURE_THRESHOLD", 5, minimum=1)
REMINDER_OFFSETS_HOURS = env_int_list("REMINDER_OFFSETS_HOURS", [7 * 24, 24], minimum=1)
WAITLIST_OFFER_HOURS = env_int("WAITLIST_OFFER_HOURS", 48, minimum=1)
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 12, minimum=1)
OCCURRENCE_MONTHS_AHEAD = env_int("OCCURRENCE_MONTHS_AHEAD", 6, minimum=1, maximum=36)
# Outbox timings (docs/operations.md): how long a request waits for the broker after commit,
# how old a pending message must be before the sweep sends it, and when a claim is stale.
NOTIFICATIONS_PUBLISH_WAIT_SECONDS = env_int("NOTIFICATIONS_PUBLISH_WAIT_MS", 500, minimum=50, maximum=5000) / 1000
NOTIFICATIONS_SWEEP_GRACE_SECONDS = env_int("NOTIFICATIONS_SWEEP_GRACE_SECONDS", 20, minimum=0)
NOTIFICATIONS_STALE_CLAIM_SECONDS = env_int("NOTIFICATIONS_STALE_CLAIM_SECONDS", 600, minimum=60)
BULLETIN_DEFAULT_SUBSCRIBED = env_bool("BULLETIN_DEFAULT_SUBSCRIBED", True)
# Benchmark mode (bench/run.py): adds the bare "floor" view (config/bench.py) that the booking
# figures are compared with. Off everywhere else, so its URL does not exist.
BENCH = env_bool("BENCH", False)

# --- Logging --------------------------------------------------------------------------------
# Case text never goes to logs: we log ids and event names only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Django's own 4xx records (403 with a traceback each) are replaced by one line from
    # config.request_log; 5xx keep their traceback.
    "filters": {
        "drop_django_refusals": {"()": "config.request_log.DropDjangoRefusals"},
        "redact_secrets": {"()": "config.request_log.RedactSecrets"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler", "formatter": "plain", "filters": ["drop_django_refusals", "redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
