# stack.sh: start and stop the local stack (PostgreSQL under a directory of
# ours, the FastCGI workers, lighttpd or nginx). Sourced by deploy/run-dev
# (make run) and tests/e2e/run. POSIX sh functions; set ROOT first.
#   ROOT   the repository (binary in $ROOT/build, templates, static, sql)

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

# Run a command as the owner of the cluster: initdb refuses root.
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR PORT: create the cluster on first use, start it, make sure
# role and database "hashtagger" exist. Socket in DIR (no TCP listener).
pg_start() {
	dir=$1 port=$2
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_pg "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
			--locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log"; return 1; }
	fi
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=''" start >/dev/null ||
		{ tail -20 "$dir/postgresql.log"; return 1; }
	psql_pg "$dir" "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname='hashtagger'" | grep -q 1 ||
		psql_pg "$dir" "$port" -qc "CREATE ROLE hashtagger LOGIN" || return 1
	psql_pg "$dir" "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='hashtagger'" | grep -q 1 ||
		psql_pg "$dir" "$port" -qc "CREATE DATABASE hashtagger OWNER hashtagger" || return 1
}

psql_pg() {
	dir=$1 port=$2; shift 2
	psql -X -h "$dir" -p "$port" -U postgres -d postgres "$@"
}

pg_stop() {
	[ -f "$1/data/postmaster.pid" ] || return 0
	as_pg "$PGBIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null
}

# The libpq conninfo for a cluster started by pg_start.
pg_conninfo() {
	echo "host=$1 port=$2 dbname=hashtagger user=hashtagger"
}

# free_port: a TCP port nobody listens on (loopback).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http URL [TRIES]: poll until the URL answers 200.
wait_http() {
	n=${2:-100}
	while [ "$n" -gt 0 ]; do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	echo "no answer from $1" >&2
	return 1
}

# prepare_var DIR: run/log/media directories the web server's user can write.
prepare_var() {
	mkdir -p "$1/run" "$1/log" "$1/media"
	if [ "$(id -u)" = 0 ]; then chown www-data: "$1/run" "$1/log" "$1/media"; fi
}

# new_secret: 64 random base64url characters (the JWT signing key).
new_secret() {
	head -c 48 /dev/urandom | base64 -w0 | tr '+/' '-_'
}

# write_conf FILE CONNINFO [EXTRA LINES]: a hashtagger.conf for this stack.
write_conf() {
	f=$1 db=$2; shift 2
	{
		echo "# written by deploy/stack.sh; edit freely, it is kept"
		echo "db = $db"
		echo "jwt_secret = $(new_secret)"
		for l in "$@"; do echo "$l"; done
	} >"$f"
	chmod 640 "$f"
	if [ "$(id -u)" = 0 ]; then chgrp www-data "$f"; fi
}

# lighttpd_env VAR PORT CONF: the environment lighttpd.conf reads.
lighttpd_env() {
	export HT_ROOT="$ROOT" HT_VAR="$1" HT_PORT="$2" HASHTAGGER_CONF="$3"
	export HT_BIN="${HT_BIN:-$ROOT/build/hashtagger}"
}

# nginx_conf VAR PORT: nginx.conf with its production paths pointed here.
nginx_conf() {
	sed -e "s#/srv/hashtagger#$ROOT#g" -e "s#/run/hashtagger#$1/run#g" \
		-e "s#/var/lib/hashtagger#$1#g" \
		-e "s#/var/log/nginx/hashtagger#$1/log/nginx#g" \
		-e "s#listen 127.0.0.1:8080#listen 127.0.0.1:$2#" "$ROOT/nginx.conf" >"$1/nginx.conf"
}

# spawn_workers VAR N CONF: N FastCGI workers on VAR/run/hashtagger.sock.
spawn_workers() {
	user=""
	touch "$1/log/hashtagger.log" # the workers (www-data) append to it
	if [ "$(id -u)" = 0 ]; then
		user="-u www-data -g www-data -U www-data -G www-data"
		chown www-data: "$1/log/hashtagger.log"
	fi
	# shellcheck disable=SC2086
	HASHTAGGER_LOG="$1/log/hashtagger.log" HASHTAGGER_CONF="$3" HASHTAGGER_TEMPLATES="$ROOT/templates" HASHTAGGER_SQL="$ROOT/sql" \
		spawn-fcgi -s "$1/run/hashtagger.sock" -M 0660 $user \
		-F "$2" -P "$1/run/spawn-fcgi.pid" -- "${HT_BIN:-$ROOT/build/hashtagger}" \
		>/dev/null 2>>"$1/log/hashtagger.log"
}

# stop_pidfile FILE: TERM every pid listed, wait for them to go.
stop_pidfile() {
	[ -f "$1" ] || return 0
	pids=$(cat "$1")
	# shellcheck disable=SC2086
	kill $pids 2>/dev/null
	for _ in $(seq 50); do
		# shellcheck disable=SC2086
		kill -0 $pids 2>/dev/null || break
		sleep 0.1
	done
	rm -f "$1"
}

# TORCH_ASAN: ASAN_OPTIONS for a process that runs libtorch (tagd, `tag`)
# in `make check`: LeakSanitizer's stop-the-world at exit crashes among
# libtorch's OpenMP threads, so leak checking is off there (ASan and UBSan
# stay on).
TORCH_ASAN="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"

# start_tagd VAR CONF: one more tagd in the background (pids in
# VAR/run/tagd.pid, log VAR/log/tagd.log); returns once it says it is ready
# (models loaded and warmed up), or fails with the end of its log.
start_tagd() {
	before=$(grep -c ': ready$' "$1/log/tagd.log" 2>/dev/null || true)
	ASAN_OPTIONS=$TORCH_ASAN HASHTAGGER_CONF="$2" HASHTAGGER_MODELS="${HT_MODELS:-$ROOT/models}" \
		"${HT_BIN:-$ROOT/build/hashtagger}" tagd >>"$1/log/tagd.log" 2>&1 &
	pid=$!
	echo "$pid" >>"$1/run/tagd.pid"
	for _ in $(seq 600); do
		now=$(grep -c ': ready$' "$1/log/tagd.log" 2>/dev/null) || :
		[ "${now:-0}" -gt "${before:-0}" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "tagd did not start:" >&2
	tail -5 "$1/log/tagd.log" >&2
	return 1
}
