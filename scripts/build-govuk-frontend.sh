#!/usr/bin/env bash
# Rebuilds the vendored GOV.UK Frontend assets in static/vendor/govuk-frontend.
# Only needed when upgrading govuk-frontend; needs node + npm. `make run` and `make test`
# use the committed build, so a fresh machine needs neither.
set -euo pipefail
VERSION="${1:-5.14.0}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
cd "$WORK"
npm init -y >/dev/null
npm install --silent "govuk-frontend@${VERSION}" sass@1
cp "$HERE/scripts/govuk-frontend.scss" app.scss
npx sass --style=compressed --no-source-map --quiet-deps app.scss app.css
OUT="$HERE/static/vendor/govuk-frontend"
rm -rf "$OUT" && mkdir -p "$OUT"
cp app.css "$OUT/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$OUT/"
cp -r node_modules/govuk-frontend/dist/govuk/assets "$OUT/" && rm -rf "$OUT/assets/rebrand"
echo "govuk-frontend is MIT licensed (Crown copyright); see its package.json" > "$OUT/LICENCE"
echo "govuk-frontend ${VERSION}" > "$OUT/VERSION"
