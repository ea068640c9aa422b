#!/usr/bin/env bash
# dev-db.sh: make a PostgreSQL 15 + PostGIS 3 database available to gigakoll and
# print its URL on stdout (everything else goes to stderr).
#
# DATABASE_URL set: it is used as it is and nothing is installed.
# Otherwise, on Debian 12 as root (or with sudo): install postgresql-15 and
# postgresql-15-postgis-3 when missing, start cluster 15/main when it is down,
# create the role and database when missing. Every step is idempotent.
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ]; then
	printf '%s\n' "$DATABASE_URL"
	exit 0
fi

log() { printf 'dev-db: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

role=gigakoll
password=gigakoll
database=gigakoll
port=5432

# 1. Packages.
missing=()
for pkg in postgresql-15 postgresql-15-postgis-3; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$pkg")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	as_root apt-get update -qq >&2
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		-o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >&2
fi

# 2. The cluster: created by the package on most machines, started here (no systemd).
if ! pg_lsclusters -h | awk '$1 == "15" && $2 == "main" { found = 1 } END { exit !found }'; then
	log "creating cluster 15/main"
	as_root pg_createcluster 15 main >&2
fi
if pg_lsclusters -h | awk '$1 == "15" && $2 == "main" && $4 != "online" { down = 1 } END { exit !down }'; then
	log "starting cluster 15/main"
	as_root pg_ctlcluster 15 main start >&2
fi
port=$(pg_lsclusters -h | awk '$1 == "15" && $2 == "main" { print $3 }')
for _ in $(seq 1 60); do
	pg_isready -q -h localhost -p "$port" && break
	sleep 0.5
done
pg_isready -q -h localhost -p "$port" || { log "cluster 15/main does not answer on port $port"; exit 1; }

# 3. Role and database. The role is a superuser of this local development cluster:
# PostGIS is not a trusted extension, and the tests create and drop databases.
psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
	log "creating role $role"
	psql_admin -c "CREATE ROLE $role LOGIN SUPERUSER PASSWORD '$password'" >&2
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
	log "creating database $database"
	psql_admin -c "CREATE DATABASE $database OWNER $role" >&2
fi

printf 'postgres://%s:%s@localhost:%s/%s?sslmode=disable\n' "$role" "$password" "$port" "$database"
