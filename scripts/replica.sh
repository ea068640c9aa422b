#!/usr/bin/env bash
# replica.sh: a hot standby of the local development database for the read-replica
# tests: PostgreSQL's streaming replication, made with pg_basebackup -R into a second
# cluster (15/replica) on another port of this machine.
#
#   scripts/replica.sh [up]   make sure the standby exists, runs and streams from the
#                             primary; print its URL (the primary's, with the standby's
#                             port), or "none" when the primary is not on this machine
#   scripts/replica.sh stop   stop the standby (the tests do, to see it skipped)
#   scripts/replica.sh start  start it again
#   scripts/replica.sh drop   remove it
#
# The primary is DATABASE_URL's server, or scripts/dev-db.sh's. "Local" means a host of
# localhost, 127.0.0.1, ::1 or a socket directory, and a port one of this machine's
# clusters (pg_lsclusters) listens on; any other server gets no standby ("none": the
# replica tests then say they were skipped and why). The standby listens on
# GIGAKOLL_REPLICA_PORT (default: the primary's port + 2). Idempotent: a standby that
# streams is left as it is; one that cannot catch up (the primary recycled the WAL it
# needs while it was down) or that belongs to another primary is made again. As root
# (or with sudo); everything that touches the clusters runs as postgres.
set -euo pipefail

log() { printf 'replica: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

cmd=${1:-up}
here=$(cd "$(dirname "$0")" && pwd)
primary_url=${DATABASE_URL:-$("$here/dev-db.sh")}

# host and port of the primary, from postgres://user:pass@host:port/db?…
rest=${primary_url#*://}
rest=${rest#*@}
hostport=${rest%%/*}
host=${hostport%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=5432
case "$host" in
localhost | 127.0.0.1 | "[::1]" | "" | /*) ;;
*)
	log "the primary ($host) is not on this machine: no standby"
	echo none
	exit 0
	;;
esac
read -r version primary_cluster primary_data < <(pg_lsclusters -h | awk -v p="$port" '$3 == p { print $1, $2, $6 }') || true
if [ -z "${version:-}" ]; then
	log "no cluster of this machine listens on port $port: no standby"
	echo none
	exit 0
fi
name=replica
rport=${GIGAKOLL_REPLICA_PORT:-$((port + 2))}
bin=/usr/lib/postgresql/$version/bin
data=/var/lib/postgresql/$version/$name
replica_url=$(printf '%s' "$primary_url" | sed -E "s#(@[^/:]*)(:[0-9]+)?/#\\1:$rport/#")

# Making or dropping the standby waits for whoever holds the lock: another make test, or
# a test that stops and starts the standby (it holds the lock while it runs, and calls
# stop and start, which therefore do not take it).
lock() {
	exec 9>/tmp/gigakoll-replica.lock
	flock 9
}

exists() { pg_lsclusters -h | awk -v v="$version" -v n="$name" '$1 == v && $2 == n { f = 1 } END { exit !f }'; }
online() { pg_lsclusters -h | awk -v v="$version" -v n="$name" '$1 == v && $2 == n && $4 ~ /online/ { f = 1 } END { exit !f }'; }
sysid() { as_postgres "$bin/pg_controldata" "$1" 2>/dev/null | awk -F': *' '/system identifier/ { print $2 }'; }
streaming() {
	[ "$(as_postgres psql -X -qtA -p "$rport" -d postgres -c \
		"SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'" 2>/dev/null)" = 1 ]
}
# pg_ctl waits 60 s for the server by default; a standby made from a large primary
# (several GB of benchmark databases) spends longer than that syncing its data
# directory and replaying before it takes connections.
start_standby() { as_root pg_ctlcluster "$version" "$name" start -- -t 900 >&2 9>&-; }
wait_streaming() {
	for _ in $(seq 1 "$1"); do
		streaming && return 0
		sleep 0.5
	done
	return 1
}

# The standby streams through a physical replication slot, so that the primary keeps the
# WAL it has not received while it is stopped (the tests stop it; the primary of a
# development machine writes a lot of WAL). max_slot_wal_keep_size bounds what the slot
# may keep: set to 4GB on the primary when it has no bound, so that a standby left
# stopped cannot fill its disk (it loses the slot instead, and the next run makes it
# again).
slot=gigakoll_replica
psql_primary() { as_postgres psql -X -qtA -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$port" -d postgres "$@"; }
slot_ok() {
	[ "$(psql_primary -c "SELECT count(*) FROM pg_replication_slots
		WHERE slot_name = '$slot' AND coalesce(wal_status, '') <> 'lost'" 2>/dev/null)" = 1 ]
}
drop_slot() {
	psql_primary -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot'" >/dev/null
}

build() {
	if exists; then
		log "dropping $version/$name to make it again"
		as_root pg_dropcluster --stop "$version" "$name" >&2
	fi
	drop_slot
	if [ "$(psql_primary -c "SHOW max_slot_wal_keep_size")" = "-1" ]; then
		log "bounding the WAL a replication slot may keep on $version/$primary_cluster: max_slot_wal_keep_size = 4GB"
		psql_primary -c "ALTER SYSTEM SET max_slot_wal_keep_size = '4GB'" -c "SELECT pg_reload_conf()" >/dev/null
	fi
	log "creating $version/$name on port $rport: pg_basebackup -R of $version/$primary_cluster (port $port)"
	as_root pg_createcluster "$version" "$name" -p "$rport" -- --no-sync >/dev/null
	as_root rm -rf "$data"
	# The slot first, reserving WAL from now: pg_basebackup -C would make it only after the
	# backup began, and a busy primary may have recycled the backup's first WAL by then.
	psql_primary -c "SELECT pg_create_physical_replication_slot('$slot', true)" >/dev/null
	as_postgres "$bin/pg_basebackup" -h /var/run/postgresql -p "$port" -D "$data" -R -S "$slot" -X stream -c fast >&2
	# A small standby: it serves tests, not load.
	as_root tee /etc/postgresql/"$version"/"$name"/conf.d/gigakoll-replica.conf >/dev/null <<-EOF
		shared_buffers = 32MB
		hot_standby = on
		hot_standby_feedback = on
		wal_receiver_status_interval = 1s
		recovery_init_sync_method = syncfs
	EOF
	start_standby
	wait_streaming 60 || {
		log "the new standby does not stream; see /var/log/postgresql/postgresql-$version-$name.log"
		exit 1
	}
}

case "$cmd" in
up)
	lock
	if ! exists || ! slot_ok || [ "$(sysid "$data")" != "$(sysid "$primary_data")" ] || [ ! -f "$data/standby.signal" ]; then
		build
	else
		online || start_standby
		if ! wait_streaming 20; then
			log "$version/$name does not stream (the WAL it needs may be gone)"
			build
		fi
	fi
	printf '%s\n' "$replica_url"
	;;
stop)
	if online; then as_root pg_ctlcluster "$version" "$name" stop -m fast >&2; fi
	;;
start)
	if ! online; then start_standby; fi
	wait_streaming 60
	;;
drop)
	lock
	if exists; then as_root pg_dropcluster --stop "$version" "$name" >&2; fi
	drop_slot
	;;
*)
	log "usage: $0 [up|stop|start|drop]"
	exit 2
	;;
esac
