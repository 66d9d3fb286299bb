#!/usr/bin/env bash
# Extract and compile translations. The project catalogue (locale/) holds the shared templates
# and the foundation apps; an app with its own locale/ folder keeps its strings there, so apps
# built in parallel never edit the same catalogue. (-P: an app's selectors.py must not shadow
# the standard library module when Python starts inside the app folder.)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
app_ignores=()
for dir in tawasul/*/locale; do
  app=$(dirname "$dir")
  app_ignores+=(--ignore="$app/*")
  (cd "$app" && TAWASUL_ENV=development DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=../.. \
     ../../"$PY" -P -m django makemessages -l ar -l fr --no-obsolete --ignore='tests/*')
done
TAWASUL_ENV=development "$PY" manage.py makemessages -l ar -l fr --no-obsolete \
  --ignore=.venv --ignore=var --ignore=static --ignore='tawasul/names/*' --ignore='*/tests/*' "${app_ignores[@]}"
"$PY" scripts/compile_messages.py
