#!/usr/bin/env bash
# `make run`: web server, Celery worker and Celery beat side by side on the embedded defaults.
# Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"

trap 'echo; echo "Stopping..."; kill 0 2>/dev/null || true' INT TERM EXIT

$BIN/celery -A config worker --loglevel=INFO --concurrency=2 --hostname=worker@%h &
$BIN/celery -A config beat --loglevel=INFO &
$BIN/python manage.py runserver "127.0.0.1:${PORT}" --noreload &

sleep 2
cat <<MSG

  CSA consultation clinics is running at http://127.0.0.1:${PORT}
  (use http://localhost:${PORT} to try security keys: browsers refuse them on an IP address)
  Worker and beat are running; emails are printed below (console backend).

  Demo sign-ins were printed by seed_demo above. For a privileged demo account's
  two-factor code run: .venv/bin/python manage.py demo_totp_code lead1@demo.example

MSG
wait
