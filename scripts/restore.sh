#!/usr/bin/env bash
# scripts/restore.sh FILE: load a backup of scripts/backup.sh into the database
# of $DATABASE_URL, in one transaction: all of it or nothing. The database
# must be migrated (gigakoll migrate) and hold none of these rows yet: restore
# first, then import the coverage snapshots again.
set -euo pipefail
in=${1:?usage: scripts/restore.sh FILE}
: "${DATABASE_URL:?set DATABASE_URL to the gigakoll database}"
pg_restore --data-only --single-transaction --exit-on-error --no-owner --dbname="$DATABASE_URL" "$in"
echo "restored $(pg_restore --list "$in" | grep -c ' TABLE DATA ') tables from $in"
