#!/usr/bin/env bash
# scripts/backup.sh FILE: dump what cannot be made again from the database of
# $DATABASE_URL into FILE (pg_dump's custom format): every table whose comment
# begins with "backup:" (the README lists them), data only. The coverage
# snapshots are imported again from their files after a restore; the schema
# comes from gigakoll migrate. Restore with scripts/restore.sh.
set -euo pipefail
out=${1:?usage: scripts/backup.sh FILE}
: "${DATABASE_URL:?set DATABASE_URL to the gigakoll database}"
mapfile -t tables < <(psql "$DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 -c "
	SELECT c.relname
	FROM pg_class c
	JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
	JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
	WHERE c.relkind IN ('r', 'p') AND d.description LIKE 'backup:%'
	ORDER BY 1")
if [ ${#tables[@]} -eq 0 ]; then
	echo "backup: no table is marked for backup: is the database migrated?" >&2
	exit 1
fi
args=()
for t in "${tables[@]}"; do args+=(--table="public.$t"); done
pg_dump --format=custom --data-only --no-owner "${args[@]}" --file="$out" "$DATABASE_URL"
echo "backed up ${tables[*]} to $out"
