#!/usr/bin/env bash
# Hosted workshop: one server for the whole room (see docs/hosting.md).
#   ALIGNMENT_FACILITATOR_PASSCODE=... hosted/run.sh
# Participants see generic error messages only (details go to this server's log), uploads are
# capped at 1 MB, XSRF protection is on, and code is never reloaded while people are working.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ALIGNMENT_FACILITATOR_PASSCODE:?set ALIGNMENT_FACILITATOR_PASSCODE to the facilitator passcode}"
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
