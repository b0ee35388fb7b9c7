#!/usr/bin/env bash
# Concord: ./run.sh            install, migrate, load demo data (empty database only), run web + scheduler
#          ./run.sh test       install test needs and run the whole pytest suite (SQLite unless DATABASE_URL)
#          ./run.sh bench      run every benchmark under bench/ and print one table
#          ./run.sh prod       production: gunicorn (CONCORD_WORKERS) on PostgreSQL (DATABASE_URL) + one scheduler
set -euo pipefail
cd "$(dirname "$0")"
PORT="${CONCORD_PORT:-5000}"
VENV=.venv
PY="${PYTHON:-python3}"

need_system_packages() {
  # WeasyPrint needs Pango; HarfBuzz subsetting keeps PDF rendering fast (else ~30x slower);
  # fonts-hanazono and fonts-babelstone-han draw characters outside the BMP (names like 张𠀀𪚥).
  local missing=()
  for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-hanazono fonts-babelstone-han "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing system packages: ${missing[*]}"
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "warning: missing system packages (install them as root): ${missing[*]}" >&2
    fi
  fi
}

install() {
  local extra="$1" stamp="$VENV/.installed$1"
  if [ ! -x "$VENV/bin/pip" ]; then
    rm -rf "$VENV"
    if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
      # Debian ships venv/ensurepip separately
      rm -rf "$VENV"
      need_system_packages python3-venv
      "$PY" -m venv "$VENV"
    fi
  fi
  local want; want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$VENV/bin/pip" install -q --disable-pip-version-check -e ".$extra"
    echo "$want" > "$stamp"
  fi
}

case "${1:-start}" in
  start)
    need_system_packages
    install ""
    "$VENV/bin/concord" db upgrade
    if "$VENV/bin/python" - <<'PY'
from core.app import create_app
from core.seed import is_empty
app = create_app()
with app.app_context():
    raise SystemExit(0 if is_empty() else 1)
PY
    then "$VENV/bin/concord" seed demo; fi
    "$VENV/bin/concord" scheduler &
    SCHED=$!
    stop_scheduler() { kill "$SCHED" 2>/dev/null || true; wait "$SCHED" 2>/dev/null || true; }
    trap 'stop_scheduler' EXIT
    trap 'stop_scheduler; exit 0' INT TERM
    echo "Concord on http://127.0.0.1:$PORT  (Ctrl-C stops web and scheduler)"
    "$VENV/bin/concord" run --host 127.0.0.1 --port "$PORT" --with-threads || true
    ;;
  test)
    shift
    need_system_packages
    install "[test]"
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  prod)
    case "${DATABASE_URL:-}" in
      postgresql*) ;;
      *) echo "./run.sh prod needs DATABASE_URL=postgresql+psycopg://user:password@host/db" >&2; exit 2 ;;
    esac
    need_system_packages
    install "[prod]"
    "$VENV/bin/concord" db upgrade
    mkdir -p instance && chmod 700 instance
    # Secure cookies, HSTS and the separation of administrators (README, production)
    export CONCORD_PRODUCTION="${CONCORD_PRODUCTION:-1}"
    "$VENV/bin/concord" scheduler &
    SCHED=$!
    stop_scheduler() { kill "$SCHED" 2>/dev/null || true; wait "$SCHED" 2>/dev/null || true; }
    trap 'stop_scheduler' EXIT
    trap 'stop_scheduler; exit 0' INT TERM
    "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py core.wsgi:app || true
    ;;
  bench)
    shift
    need_system_packages
    install "[test]"
    exec "$VENV/bin/python" -m bench "$@"
    ;;
  *)
    echo "usage: ./run.sh [start|test|bench|prod]" >&2; exit 2 ;;
esac
