#!/usr/bin/env bash
# Install everything treatywatch's test suite needs and run it.
# Used verbatim by the README's test command and by CI (.ci/run).
#  - Debian packages (when run as root with apt): Chromium for the browser tests, PostgreSQL for the
#    second knowledge-base backend.
#  - the package with its dev extras.
#  - a throw-away PostgreSQL cluster on 127.0.0.1 for the run (removed on exit).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

$PY -m pip install -q -e ".[dev,batch]"

# A throw-away PostgreSQL cluster, when the server binaries are there.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] && [ -z "${TREATYWATCH_TEST_PG:-}" ]; then
  PGDIR=$(mktemp -d /tmp/tw-pg.XXXXXX)
  chown postgres "$PGDIR" 2>/dev/null || true
  PGPORT=${TREATYWATCH_PG_PORT:-55432}
  as_pg() { if [ "$(id -u)" = "0" ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
  as_pg "$PGBIN/initdb -D $PGDIR/data -A trust -U postgres >/dev/null"
  # Settings in the config file, so that the fault tests' restarts keep them.
  printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nfsync = off\n" \
    "$PGPORT" "$PGDIR" >> "$PGDIR/data/postgresql.conf"
  as_pg "$PGBIN/pg_ctl -D $PGDIR/data -l $PGDIR/log -w start >/dev/null" </dev/null
  trap 'as_pg "$PGBIN/pg_ctl -D $PGDIR/data -m immediate stop >/dev/null" </dev/null || true; rm -rf "$PGDIR"' EXIT
  export TREATYWATCH_TEST_PG="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
  export TREATYWATCH_PG_BIN="$PGBIN" TREATYWATCH_PG_DATA="$PGDIR/data"
  echo "PostgreSQL for the tests: $TREATYWATCH_TEST_PG"
fi

$PY -m ruff check treatywatch tests bench scripts fuzz
$PY -m mypy treatywatch
$PY -m pytest -q "$@"
