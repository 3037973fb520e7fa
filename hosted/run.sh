#!/usr/bin/env bash
# Hosted workshop: one server for the whole room (see docs/hosting.md).
#   ALIGNMENT_FACILITATOR_PASSCODE=... hosted/run.sh      (at least 8 characters)
# Participants see generic error messages only (details go to this server's log), uploads are
# capped at 1 MB, XSRF protection is on, and code is never reloaded while people are working.
set -euo pipefail
cd "$(dirname "$0")/.."
# The passcode guards deleting proposals and adopting the deal. Surrounding whitespace is never
# part of it (the app strips it too), and what is left must be at least MIN_PASSCODE_LENGTH
# characters (workshop_ui/access.py checks the same): refuse anything else before starting.
MIN_PASSCODE_LENGTH=8
passcode="${ALIGNMENT_FACILITATOR_PASSCODE-}"
passcode="${passcode#"${passcode%%[![:space:]]*}"}"
passcode="${passcode%"${passcode##*[![:space:]]}"}"
if [[ -z "$passcode" ]]; then
  echo "hosted/run.sh: ALIGNMENT_FACILITATOR_PASSCODE is unset, empty or only whitespace;" \
    "set it to a facilitator passcode of at least $MIN_PASSCODE_LENGTH characters." >&2
  exit 2
fi
if (( ${#passcode} < MIN_PASSCODE_LENGTH )); then
  echo "hosted/run.sh: ALIGNMENT_FACILITATOR_PASSCODE is shorter than $MIN_PASSCODE_LENGTH" \
    "characters (not counting surrounding whitespace); choose a longer passcode." >&2
  exit 2
fi
unset passcode
export ALIGNMENT_DATA_DIR="${ALIGNMENT_DATA_DIR:-$PWD/workshop_data}"
exec "${PYTHON:-.venv/bin/python}" -m streamlit run app.py \
  --server.headless true \
  --server.address "${ADDRESS:-0.0.0.0}" \
  --server.port "${PORT:-8501}" \
  --server.enableXsrfProtection true \
  --server.enableCORS true \
  --server.maxUploadSize 1 \
  --server.fileWatcherType none \
  --server.runOnSave false \
  --client.showErrorDetails none \
  --client.toolbarMode viewer \
  --browser.gatherUsageStats false
