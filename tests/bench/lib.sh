# shellcheck shell=sh disable=SC2034 # BIN, FIX, … are for the scripts
# lib.sh: what the benchmark scripts (tests/bench/*) share. Sourced; sets
# ROOT and sources deploy/stack.sh (PostgreSQL, workers, tagd, web servers).
#
# The stack: tests/bench/run starts one (bench_start) and exports where it
# is, so every script measures the same stack; a script run on its own calls
# bench_stack, which starts one for it and stops it on exit. The stack is the
# production shape: nginx, BENCH_WORKERS (4) FastCGI workers from spawn-fcgi,
# one tagd, PostgreSQL on a unix socket, all under a temporary directory.
#
# Figures: `row GROUP FIGURE VALUE RATIO TARGET` adds one line to the table
# tests/bench/run prints at the end ($BENCH_TABLE, tab-separated), or prints
# it at once when a script runs alone. Progress goes to stderr (say).
#
# BENCH_QUICK=1 shortens every measurement (a smoke run of the scripts; the
# figures are then rough).

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/deploy/stack.sh"
BIN=$ROOT/build/hashtagger
FIX=$ROOT/build/fixtures
BENCH_WORKERS=${BENCH_WORKERS:-4}
QUICK=${BENCH_QUICK:-0}
PASSWORD='correct horse battery staple'

say() { echo "bench: $*" >&2; }

# quick FULL QUICK: FULL, or QUICK under BENCH_QUICK=1
quick() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }

row() {
	if [ -n "${BENCH_TABLE:-}" ]; then
		printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$BENCH_TABLE"
	else
		printf '%-3s %-52s %-28s %-8s %s\n' "$@"
	fi
}

# ms_now: a monotonic-enough wall clock in milliseconds
ms_now() { date +%s%3N; }

# calc EXPR: awk arithmetic, printed with the format in $FMT (default %.2f)
calc() { awk "BEGIN { printf \"${FMT:-%.2f}\", $1 }"; }

# percentiles: "p50 p95" of the numbers on stdin (nearest rank)
percentiles() {
	sort -n | awk '{v[NR] = $1} END {
		if (NR == 0) { print "0 0"; exit }
		i = int(NR * 0.5 + 0.5); if (i < 1) i = 1
		j = int(NR * 0.95 + 0.5); if (j > NR) j = NR; if (j < 1) j = 1
		printf "%.0f %.0f\n", v[i], v[j] }'
}

# mean: the mean of the numbers on stdin
mean() { awk '{s += $1} END { printf "%.1f\n", NR ? s / NR : 0 }'; }

# q ARGS...: psql on the stack's database as the superuser, unaligned, quiet
q() { psql -X -h "$VAR/pg" -p "$PGPORT" -U postgres -d hashtagger -v ON_ERROR_STOP=1 -tAq "$@"; }

# bench_start: a new stack (see the top); sets and exports T VAR PGPORT PORT
# URL CONF. The configuration lifts the quotas and rate limits (the figures
# are about the code path, not about the limiter saying no), makes argon2id
# cheap (logins are not measured) and lets an upload wait up to 30 s for its
# hashtags, so that answers under load still carry them.
bench_start() {
	T=$(mktemp -d /tmp/hashtagger-bench.XXXXXX)
	chmod 755 "$T"
	VAR=$T/var
	PGPORT=$(free_port)
	PORT=$(free_port)
	URL=http://127.0.0.1:$PORT
	CONF=$VAR/hashtagger.conf
	export T VAR PGPORT PORT URL CONF
	prepare_var "$VAR"
	pg_start "$VAR/pg" "$PGPORT" >/dev/null || return 1
	write_conf "$CONF" "$(pg_conninfo "$VAR/pg" "$PGPORT")" "media = $VAR/media" \
		"argon2_t = 1" "argon2_m = 8192" "quota_uploads_day = 0" "quota_bytes = 0" \
		"rate_api = 0" "rate_upload = 0" "rate_login = 0" "tag_wait_ms = 30000"
	export HASHTAGGER_CONF="$CONF" HASHTAGGER_SQL="$ROOT/sql"
	"$BIN" migrate >"$T/migrate.log" 2>&1 || { cat "$T/migrate.log" >&2; return 1; }
	nginx_conf "$VAR" "$PORT"
	spawn_workers "$VAR" "$BENCH_WORKERS" "$CONF"
	nginx -c "$VAR/nginx.conf" || return 1
	wait_http "$URL/readyz" || return 1
	start_tagd "$VAR" "$CONF"
}

# bench_stop: stop what bench_start started (and a lighttpd of
# lighttpd_start) and remove the temporary directory.
bench_stop() {
	[ -n "${VAR:-}" ] || return 0
	stop_pidfile "$VAR/run/lighttpd.pid"
	stop_pidfile "$VAR/run/nginx.pid"
	stop_pidfile "$VAR/run/spawn-fcgi.pid"
	stop_pidfile "$VAR/run/tagd.pid"
	pg_stop "$VAR/pg" 2>/dev/null
	rm -rf "$T"
	VAR=""
}

# bench_stack: use the stack tests/bench/run started, or start one that
# goes away when this script exits.
bench_stack() {
	if [ -n "${URL:-}" ] && [ -n "${VAR:-}" ]; then
		export HASHTAGGER_CONF="$CONF" HASHTAGGER_SQL="$ROOT/sql"
		return 0
	fi
	trap 'bench_stop' EXIT
	trap 'exit 130' INT TERM
	bench_start
}

# lighttpd_start PORT: lighttpd.conf as `make run` uses it (it spawns its
# own workers, max-procs in lighttpd.conf) on the stack's database.
lighttpd_start() {
	(lighttpd_env "$VAR" "$1" "$CONF" && lighttpd -f "$ROOT/lighttpd.conf") || return 1
	wait_http "http://127.0.0.1:$1/readyz"
}

# user_make EMAIL [--admin]: a user (with the bench password); prints its id
user_make() {
	if [ "${2:-}" = --admin ]; then
		echo "$PASSWORD" | "$BIN" user add --admin "$1" >/dev/null
	else
		echo "$PASSWORD" | "$BIN" user add "$1" >/dev/null
	fi || return 1
	q -c "SELECT id FROM users WHERE lower(email) = lower('$1')"
}

# login EMAIL JAR: log in through the API; the cookie jar JAR holds the session
login() {
	curl -sf -c "$2" -H 'Content-Type: application/json' \
		-d "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/session" >/dev/null
}

# cookie JAR: "ht_session=…" from a cookie jar, for wrk's Cookie header
cookie() { awk '$6 == "ht_session" { print $6 "=" $7 }' "$1"; }

# csrf JAR: the session's CSRF token (for uploads)
csrf() {
	curl -sf -b "$1" "$URL/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])'
}

# wrk_run URL SECONDS CONNECTIONS [wrk args]: load URL; prints
# "req/s p50_ms errors" (errors: non-2xx/3xx answers + socket errors).
wrk_run() {
	u=$1 s=$2 c=$3
	shift 3
	th=2
	[ "$c" -lt 2 ] && th=1
	wrk -t"$th" -c"$c" -d"${s}s" --latency "$@" "$u" >"$T/wrk.out" 2>&1
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v + 0 }
	/^Requests\/sec:/ { rps = $2 }
	/^ +50%/ { p50 = ms($2) }
	/Non-2xx or 3xx responses:/ { err += $NF }
	/Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
	END { printf "%.0f %.2f %d\n", rps, p50, err }' "$T/wrk.out"
}

# bare_tagger FILE...: `hashtagger tag` on these files in one process
# (models loaded once, tagger_threads as tagd has them); prints
# "FILE decode_ms inference_ms" per file. No database, no web server.
bare_tagger() {
	HASHTAGGER_CONF=/dev/null HASHTAGGER_MODELS="$ROOT/models" "$BIN" tag "$@" |
		sed -n 's/^\([^ ]*\)  (decode \([0-9]*\) ms, inference \([0-9]*\) ms.*/\1 \2 \3/p'
}

# totals FILE <LINES: decode + inference of FILE's lines of bare_tagger
totals() { awk -v f="$1" '$1 == f { print $2 + $3 }'; }

# variants FILE N DIR: N copies of the JPEG FILE in DIR (1.jpg … N.jpg) that
# differ only in a comment marker: other bytes (so no upload is a
# duplicate), the same pixels (so every one costs the same to decode).
variants() {
	mkdir -p "$3"
	for k in $(seq "$2"); do wrjpgcom -comment "bench $k" "$1" >"$3/$k.jpg"; done
}

# upload JAR CSRF FILE: POST /api/v1/images as JAR's user; prints
# "milliseconds state", state being the photo's status in the answer
# (tagged when the hashtags came with it) or the HTTP status otherwise.
upload() {
	o=$(mktemp "$T/upload.XXXXXX")
	r=$(curl -s -o "$o" -w '%{time_total} %{http_code}' -b "$1" -H "X-CSRF-Token: $2" \
		-F "file=@$3;type=image/jpeg" "$URL/api/v1/images")
	st=$(grep -o '"status": *"[a-z]*"' "$o" | head -n 1 | sed 's/.*"\([a-z]*\)"$/\1/')
	rm -f "$o"
	echo "$r" | awk -v st="$st" '{ printf "%.0f %s\n", $1 * 1000, st != "" ? st : $2 }'
}

# pss PID...: summed PSS of these processes in kB (smaps_rollup)
pss() {
	for p in "$@"; do awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null; done |
		awk '{s += $1} END { print s + 0 }'
}

# cpu_ms PID...: CPU time (user + system) these processes have used, ms
cpu_ms() {
	tck=$(getconf CLK_TCK)
	for p in "$@"; do
		# fields after the ")" closing the command name: utime is the 12th
		sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 }'
	done | awk -v t="$tck" '{ s += $1 } END { printf "%.0f\n", s * 1000 / t }'
}

# children PID: the pids of PID's children
children() { ps -o pid= --ppid "$1" | tr -d ' '; }

# pg_pids: the stack's PostgreSQL processes (postmaster and backends)
pg_pids() {
	m=$(head -n 1 "$VAR/pg/data/postmaster.pid")
	echo "$m"
	children "$m"
}

# stack_pids: "ROLE PID" lines for the stack (not PostgreSQL): the nginx
# master and its workers, the FastCGI workers, tagd.
stack_pids() {
	m=$(cat "$VAR/run/nginx.pid")
	echo "nginx $m"
	children "$m" | sed 's/^/nginx /'
	awk '{ print "worker", $1 }' "$VAR/run/spawn-fcgi.pid"
	awk '{ print "tagd", $1 }' "$VAR/run/tagd.pid"
}

# seed_images OWNER N SPAN_DAYS: N real-looking photo rows for user OWNER,
# newest first over SPAN_DAYS, made in SQL: a 12 MP JPEG or PNG each, camera
# file names, a caption on every third, status tagged, three hashtags each
# (object, people, colour signals with reasons, one accepted) and a done job.
# The files themselves are not there (pages only link the thumbnails). Ids
# grow with the row number (a random-looking tail) so that the unique
# indexes fill from one end: seeding a million rows takes a minute, not
# five. Two sessions fill half each; FK triggers are off while they do
# (the rows are consistent by construction).
seed_images() {
	h=$(($2 / 2))
	seed_range "$1" "$2" "$3" 1 "$h" &
	sp=$!
	seed_range "$1" "$2" "$3" $((h + 1)) "$2" || { wait "$sp"; return 1; }
	wait "$sp"
}

# seed_range OWNER N SPAN_DAYS FROM TO: rows FROM..TO of seed_images
seed_range() {
	q <<SQL
SET session_replication_role = replica;
WITH i AS (
INSERT INTO images (public_id, owner_id, sha256, mime, width, height, bytes, original_name,
                    caption, status, nsfw, created_at, tagged_at)
SELECT lpad(to_hex($1), 4, '0') || lpad(to_hex(g), 6, '0') || substr(md5('$1:' || g), 1, 6), $1,
       lpad(to_hex($1), 8, '0') || lpad(to_hex(g), 8, '0') || md5('$1:' || g) || repeat('0', 16),
       CASE WHEN g % 10 = 0 THEN 'image/png' ELSE 'image/jpeg' END,
       CASE WHEN g % 4 = 0 THEN 3000 ELSE 4000 END, CASE WHEN g % 4 = 0 THEN 4000 ELSE 3000 END,
       2000000 + (g::bigint * 7919) % 2500000, 'IMG_' || lpad((g % 10000)::text, 4, '0') || '.jpg',
       CASE WHEN g % 3 = 0 THEN (ARRAY['Sunday coffee with Ana', 'Atardecer en la playa',
            'First snow', 'Our new kitten', 'Road trip, day 2'])[1 + g % 5] ELSE '' END,
       'tagged', 0.01, now() - $3 * interval '1 day' * g / $2,
       now() - $3 * interval '1 day' * g / $2 + interval '2 seconds'
FROM generate_series($4, $5) g
RETURNING id, created_at, tagged_at
), t AS (
INSERT INTO image_tags (image_id, tag, confidence, source, rank, state, reason)
SELECT i.id, (ARRAY['Coffee', 'Cup', 'Food', 'Drink', 'Morning', 'Cat', 'Pet', 'Animal', 'Dog',
               'Beach', 'Sunset', 'Travel', 'Friends', 'GroupPhoto', 'Portrait', 'City',
               'Street', 'Car', 'Night', 'BlackAndWhite', 'Colourful', 'Brown', 'Blue', 'Green',
               'Nature', 'Tree', 'Mountain', 'Bike', 'Pizza', 'Cake'])[1 + (i.id * 7 + k * 11) % 30],
       0.95 - k * 0.2, (ARRAY['object', 'people', 'colour'])[1 + k], k,
       CASE WHEN k = 0 AND i.id % 2 = 0 THEN 'accepted' ELSE 'suggested' END,
       (ARRAY['cup detected (93%)', '2 people', 'mostly brown'])[1 + k]
FROM i CROSS JOIN generate_series(0, 2) k
)
INSERT INTO tag_jobs (image_id, state, attempts, created_at, finished_at)
SELECT id, 'done', 1, created_at, tagged_at FROM i;
-- the triggers that keep images.tags are off (replica) like the others
UPDATE images SET tags = image_tags_list(id)
WHERE owner_id = $1 AND tags::text = '[]';
SQL
}
