# Production image for the web server, the Celery worker and Celery beat (one image, three
# commands: see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. The lock file pins every
# package, including transitive ones; psycopg and the rest come as binary wheels, so no
# compiler is needed in the image.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install -r requirements/lock.txt

# Run as an unprivileged user: a compromise of the web process must not own the container.
RUN groupadd --system app && useradd --system --gid app --home-dir /app --no-create-home app

COPY --chown=app:app . .

# Static files are collected at build time so every container serves identical, hashed assets
# through whitenoise. Production settings refuse to load without a secret key and allowed
# hosts; this throwaway key exists only for this build step and is never used at run time.
RUN DJANGO_ENV=production \
    DJANGO_SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time-0123456789abcdefghij \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/var && chown -R app:app /app/var /app/staticfiles

# PYTHONDONTWRITEBYTECODE keeps a running container from writing .pyc files, so compile our
# code once here: otherwise every process start (scan_identifiers, each worker) recompiles it.
RUN python -m compileall -q /app/accounts /app/anonymity /app/clinics /app/config /app/notifications

USER app

EXPOSE 8000

# The default command is the web server; docker-compose.yml overrides it for worker and beat.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "config.access_log.AccessLogger", "--forwarded-allow-ips", "*"]
