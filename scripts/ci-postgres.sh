#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite (as root on Debian) and print its URL as the last
# line of stdout, e.g.  export TEST_DATABASE_URL="$(scripts/ci-postgres.sh | tail -n1)"
# Safe to run again: it installs, creates and starts only what is missing.
set -euo pipefail

ROLE=guanjia
PASSWORD=guanjia
DATABASE=guanjia_test

# Progress goes to stderr so that stdout's last line is always the URL.
log() { echo "ci-postgres: $*" >&2; }
die() { echo "ci-postgres: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it may install and start PostgreSQL)"

installed_version() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1; }

if ! command -v pg_ctlcluster >/dev/null || [ -z "$(installed_version)" ]; then
  log "installing postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq postgresql; } >&2 || die "apt-get install postgresql failed"
fi
VERSION="$(installed_version)"
[ -n "$VERSION" ] || die "no PostgreSQL server under /usr/lib/postgresql after installing"

if [ ! -d "/etc/postgresql/$VERSION/main" ]; then
  log "creating cluster $VERSION/main"
  pg_createcluster "$VERSION" main >&2 || die "pg_createcluster $VERSION main failed"
fi
PORT="$(pg_conftool -s "$VERSION" main show port 2>/dev/null || echo 5432)"

if ! pg_ctlcluster "$VERSION" main status >/dev/null 2>&1; then
  log "starting cluster $VERSION/main on 127.0.0.1:$PORT"
  pg_ctlcluster "$VERSION" main start >&2 ||
    die "pg_ctlcluster $VERSION main start failed; see /var/log/postgresql/postgresql-$VERSION-main.log"
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || die "PostgreSQL is not accepting connections on 127.0.0.1:$PORT after 30 s"

as_postgres() { runuser -u postgres -- psql -p "$PORT" -X -q -v ON_ERROR_STOP=1 -tA "$@"; }

# ALTER as well as CREATE, so a role left behind with other settings is put right.
if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" = 1 ]; then
  as_postgres -c "ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2 || die "could not update role $ROLE"
else
  log "creating role $ROLE"
  as_postgres -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2 || die "could not create role $ROLE"
fi
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
  log "creating database $DATABASE"
  as_postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE" >&2 || die "could not create database $DATABASE"
fi

URL="postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
PGPASSWORD="$PASSWORD" psql "postgresql://$ROLE@127.0.0.1:$PORT/$DATABASE" -X -q -tA -c "SELECT 1" >/dev/null ||
  die "cannot log in as $ROLE over TCP (check pg_hba.conf allows password auth from 127.0.0.1)"
log "ready"
echo "$URL"
