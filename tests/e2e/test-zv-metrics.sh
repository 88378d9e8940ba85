# test-zv-metrics.sh: /metrics — a strictly parsed Prometheus exposition whose
# counters are summed over every worker and tagd through the shared metrics
# file: exact request counts by route pattern, tag jobs and model latency
# from tagd, database errors, monotonic across kill -9 of the workers; only
# loopback callers and admin credentials see it, anyone else gets 404.

MET_CJ='Content-Type: application/json'

# met_py: the checker — a strict parser of the text format (0.0.4)
met_py() {
	cat >expo.py <<'PY'
import math, re, sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"')


def labels_of(text, where):
    out, pos = [], 0
    while pos < len(text):
        m = LABEL.match(text, pos)
        if not m:
            sys.exit(f"{where}: bad label syntax at {text[pos:]!r}")
        out.append((m[1], m[2]))
        pos = m.end()
        if pos < len(text):
            if text[pos] != ",":
                sys.exit(f"{where}: expected ',' in labels")
            pos += 1
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        sys.exit(f"{where}: a label given twice")
    return tuple(out)


def parse(path):
    """{(name, labels): value}, {family: type}; exits on any violation."""
    text = open(path, encoding="utf-8").read()
    if not text.endswith("\n"):
        sys.exit("the exposition must end with a newline")
    types, helps, samples, done, current = {}, {}, {}, set(), None
    for n, line in enumerate(text[:-1].split("\n"), 1):
        where = f"line {n}"
        if line.startswith("# HELP "):
            m = re.fullmatch(rf"# HELP ({NAME}) ((?:[^\\\n]|\\[\\n])*)", line)
            if not m or m[1] in helps:
                sys.exit(f"{where}: bad or repeated HELP: {line}")
            helps[m[1]] = m[2]
            continue
        if line.startswith("# TYPE "):
            m = re.fullmatch(rf"# TYPE ({NAME}) (counter|gauge|histogram|summary|untyped)", line)
            if not m or m[1] in types or m[1] in done:
                sys.exit(f"{where}: bad or repeated TYPE: {line}")
            if current:
                done.add(current)
            types[m[1]], current = m[2], m[1]
            continue
        if line.startswith("#"):
            sys.exit(f"{where}: stray comment {line}")
        m = re.fullmatch(rf"({NAME})(?:\{{(.*)\}})? (\S+)", line)
        if not m:
            sys.exit(f"{where}: not a sample: {line}")
        name, labels = m[1], labels_of(m[2] or "", where)
        try:
            value = float(m[3])
        except ValueError:
            sys.exit(f"{where}: bad value {m[3]}")
        fam = name
        if name not in types:
            for suf in ("_bucket", "_sum", "_count"):
                if name.endswith(suf) and types.get(name[: -len(suf)]) == "histogram":
                    fam = name[: -len(suf)]
        if fam not in types:
            sys.exit(f"{where}: {name} has no TYPE")
        if fam != current:
            sys.exit(f"{where}: {name} is not next to its family's TYPE")
        if types[fam] == "histogram" and fam == name:
            sys.exit(f"{where}: a histogram sample needs _bucket, _sum or _count")
        if (name, labels) in samples:
            sys.exit(f"{where}: repeated sample {line}")
        samples[(name, labels)] = value
    for fam, typ in types.items():
        if fam not in helps:
            sys.exit(f"{fam}: TYPE without HELP")
        if not fam.startswith("hashtagger_"):
            sys.exit(f"{fam}: not under the hashtagger_ prefix")
        if typ == "counter" and not fam.endswith("_total"):
            sys.exit(f"{fam}: a counter's name must end in _total")
        if "duration" in fam and not fam.endswith("_seconds"):
            sys.exit(f"{fam}: durations are in _seconds")
    for (name, labels), value in samples.items():
        fam = name if name in types else name.rsplit("_", 1)[0]
        if types[fam] == "counter" and (value < 0 or math.isnan(value)):
            sys.exit(f"{name}{labels}: a counter below zero")
    # histograms: cumulative buckets in increasing le, ending in +Inf == _count
    for fam in (f for f, t in types.items() if t == "histogram"):
        series = {}
        for (name, labels), value in samples.items():
            if name == fam + "_bucket":
                le = dict(labels).get("le")
                if le is None:
                    sys.exit(f"{fam}: a bucket without le")
                rest = tuple(l for l in labels if l[0] != "le")
                series.setdefault(rest, []).append((float(le), value, le))
        for rest, buckets in series.items():
            les = [b[0] for b in buckets]
            if les != sorted(les) or len(set(les)) != len(les):
                sys.exit(f"{fam}{rest}: buckets not in increasing le")
            if buckets[-1][2] != "+Inf":
                sys.exit(f"{fam}{rest}: the last bucket is not le=\"+Inf\"")
            if any(b[1] > c[1] for b, c in zip(buckets, buckets[1:])):
                sys.exit(f"{fam}{rest}: buckets are not cumulative")
            if samples.get((fam + "_count", rest)) != buckets[-1][1]:
                sys.exit(f"{fam}{rest}: _count differs from the +Inf bucket")
            if (fam + "_sum", rest) not in samples:
                sys.exit(f"{fam}{rest}: no _sum")
        for (name, labels) in samples:
            if name in (fam + "_sum", fam + "_count") and labels not in series:
                sys.exit(f"{name}{labels}: no buckets")
    return samples, types


def key(spec):
    m = re.fullmatch(rf"({NAME})(?:\{{(.*)\}})?", spec)
    return (m[1], labels_of(m[2] or "", spec))


cmd = sys.argv[1]
if cmd == "check":
    samples, types = parse(sys.argv[2])
    print(f"{len(types)} families, {len(samples)} samples")
elif cmd == "get":  # FILE SAMPLE: its value (0 when absent)
    samples, _ = parse(sys.argv[2])
    v = samples.get(key(sys.argv[3]), 0)
    print(int(v) if v == int(v) else v)
elif cmd == "families":
    print("\n".join(f"{f} {t}" for f, t in parse(sys.argv[2])[1].items()))
elif cmd == "monotonic":  # OLD NEW: no counter or histogram sample went down or vanished
    old, types = parse(sys.argv[2])
    new, _ = parse(sys.argv[3])
    for (name, labels), v in old.items():
        fam = name if name in types else name.rsplit("_", 1)[0]
        if types[fam] in ("counter", "histogram") and new.get((name, labels), -1) < v:
            sys.exit(f"{name}{dict(labels)} went from {v} to {new.get((name, labels))}")
PY
	python3 expo.py "$@"
}

# met_scrape FILE [BASE]: GET /metrics from loopback (or BASE) into FILE, checked
met_scrape() {
	STATUS=$(curl -sS -o "$1" -D h -w '%{http_code}' "${2:-$BASE}/metrics") || STATUS=000
	[ "$STATUS" = 200 ] || fail "scrape: $STATUS" || return 1
	grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' h ||
		fail "scrape: content type" || return 1
	met_py check "$1" >/dev/null
}

# met_head PATH: a HEAD request (curl -I: no body is waited for); STATUS set
met_head() { STATUS=$(curl -sS -I -o h -w '%{http_code}' "$BASE$1") || STATUS=000; }

# met FILE SAMPLE: a sample's value
met() { met_py get "$1" "$2"; }

# met_wait SAMPLE MIN: scrape into ./m until SAMPLE >= MIN (tagd counts
# after its commit, a moment after the upload has its answer)
met_wait() {
	for _ in $(seq 50); do
		met_scrape m || return 1
		[ "$(met m "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	fail "$1 stayed at $(met m "$1"), expected >= $2"
}

# met_admin EMAIL: a new admin (CLI)
met_admin() {
	printf '%s\n' "$PASSWORD" | "$HT_BIN" user add --admin "$1" >out 2>&1 || { cat out; return 1; }
}

# met_jwt EMAIL: an access token for EMAIL (no cookies)
met_jwt() {
	JAR=/dev/null req POST /api/v1/auth/login -H "$MET_CJ" \
		--data "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" && expect_status 200 >&2 &&
		json 'd["access_token"]'
}

# met_token JWT SCOPES-JSON: a personal token made with JWT
met_token() {
	JAR=/dev/null req POST /api/v1/me/tokens -H "Authorization: Bearer $1" -H "$MET_CJ" \
		--data "{\"name\":\"metrics\",\"scopes\":$2}" && expect_status 201 >&2 && json 'd["token"]'
}

HZ='hashtagger_http_requests_total{route="/healthz",method="GET",status="2xx"}'

test_metrics_exposition_parses() {
	met_scrape m || return 1
	met_py families m >fam
	for f in "hashtagger_http_requests_total counter" \
		"hashtagger_http_request_duration_seconds histogram" \
		"hashtagger_http_requests_in_flight gauge" "hashtagger_tag_jobs_total counter" \
		"hashtagger_tag_queue_jobs gauge" "hashtagger_tag_queue_oldest_age_seconds gauge" \
		"hashtagger_tagger_duration_seconds histogram" "hashtagger_db_errors_total counter" \
		"hashtagger_process_starts_total counter" "hashtagger_processes gauge" \
		"hashtagger_process_resident_memory_bytes gauge"; do
		grep -qxF "$f" fam || fail "no family: $f" || return 1
	done
	# this scrape is in flight; tagd and the workers are live
	[ "$(met m hashtagger_http_requests_in_flight)" -ge 1 ] || fail "in flight" || return 1
	[ "$(met m 'hashtagger_processes{kind="tagd"}')" -ge 1 ] || fail "no live tagd" || return 1
	[ "$(met m 'hashtagger_processes{kind="worker"}')" -ge 1 ] || fail "no worker" || return 1
	grep -qE '^hashtagger_process_resident_memory_bytes\{kind="tagd",slot="[0-9]+"\} [1-9]' m ||
		fail "no tagd RSS" || return 1
	met_head /metrics && expect_status 200 && expect_header 'Content-Length: [1-9]'
}

test_metrics_count_exactly_the_requests_made() {
	met_scrape m1 || return 1
	for _ in 1 2 3 4 5 6 7; do req GET /healthz; done
	met_head /healthz && met_head /healthz
	for i in 1 2 3; do req GET "/no/such/page-$i-$$"; done
	req DELETE /healthz && expect_status 405 || return 1
	JAR=anon.jar req GET /p/AbCdEfGhIjKlMnOp && expect_status 303 || return 1
	met_scrape m2 || return 1
	for s in "$HZ 9" \
		'hashtagger_http_request_duration_seconds_count{route="/healthz",method="GET"} 9' \
		'hashtagger_http_requests_total{route="other",method="GET",status="4xx"} 3' \
		'hashtagger_http_requests_total{route="other",method="DELETE",status="4xx"} 1' \
		'hashtagger_http_requests_total{route="/p/*",method="GET",status="3xx"} 1' \
		'hashtagger_http_requests_total{route="/metrics",method="GET",status="2xx"} 1'; do
		d=$(($(met m2 "${s% *}") - $(met m1 "${s% *}")))
		[ "$d" = "${s##* }" ] || fail "${s% *} grew by $d, not ${s##* }" || return 1
	done
	# route patterns only: no raw path becomes a label
	! grep -qE "page-[0-9]-$$|AbCdEfGhIjKlMnOp" m2 || fail "a raw path in the labels"
}

test_metrics_tagged_upload_counts_job_and_model_latency() {
	met_scrape m1 || return 1
	done0=$(met m1 'hashtagger_tag_jobs_total{result="done"}')
	dec0=$(met m1 'hashtagger_tagger_duration_seconds_count{stage="decode"}')
	inf0=$(met m1 'hashtagger_tagger_duration_seconds_count{stage="infer"}')
	register "$(new_email)" && api_upload "$FIX/cat.jpg" && expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	for _ in $(seq 100); do
		[ "$(sql "SELECT j.state FROM tag_jobs j JOIN images i ON i.id = j.image_id
		  WHERE i.public_id = '$id'")" = 'done' ] && break
		sleep 0.1
	done
	met_wait 'hashtagger_tag_jobs_total{result="done"}' $((done0 + 1)) || return 1
	[ "$(met m 'hashtagger_tagger_duration_seconds_count{stage="decode"}')" -gt "$dec0" ] &&
		[ "$(met m 'hashtagger_tagger_duration_seconds_count{stage="infer"}')" -gt "$inf0" ] ||
		fail "model latency not observed" || return 1
	python3 -c 'import sys; sys.exit(not float(sys.argv[1]) > float(sys.argv[2]))' \
		"$(met m 'hashtagger_tagger_duration_seconds_sum{stage="infer"}')" \
		"$(met m1 'hashtagger_tagger_duration_seconds_sum{stage="infer"}')" ||
		fail "inference seconds did not grow" || return 1
	met_py monotonic m1 m
}

test_metrics_count_database_errors() {
	met_scrape m1 || return 1
	e0=$(($(met m1 'hashtagger_db_errors_total{kind="connect"}') + \
		$(met m1 'hashtagger_db_errors_total{kind="query"}')))
	pg_stop "$VAR/pg" || return 1
	req GET /readyz
	code=$STATUS
	met_scrape m2
	ok=$?
	pg_start "$VAR/pg" "$PGPORT" || return 1
	wait_http "$BASE/readyz" || return 1
	[ "$code" = 503 ] && [ "$ok" = 0 ] || fail "readyz $code during the outage, scrape $ok" ||
		return 1
	e1=$(($(met m2 'hashtagger_db_errors_total{kind="connect"}') + \
		$(met m2 'hashtagger_db_errors_total{kind="query"}')))
	[ "$e1" -gt "$e0" ] || fail "db errors $e0 -> $e1" || return 1
	# the queue comes from the database: left out while it is down
	! grep -q '^hashtagger_tag_queue_jobs' m2 || fail "queue figures without a database" ||
		return 1
	met_scrape m3 && grep -q '^hashtagger_tag_queue_jobs{state="queued"}' m3 &&
		met_py monotonic m1 m3
}

test_metrics_monotonic_across_worker_kill() {
	for _ in 1 2 3; do req GET /healthz; done
	met_scrape m1 || return 1
	starts=$(met m1 'hashtagger_process_starts_total{kind="worker"}')
	hz=$(met m1 "$HZ")
	workers_kill || fail "no workers to kill" || return 1
	wait_http "$BASE/healthz" || return 1
	for _ in 1 2 3 4 5; do req GET /healthz && expect_status 200 || return 1; done
	met_scrape m2 || return 1
	met_py monotonic m1 m2 || return 1
	[ "$(met m2 "$HZ")" -ge $((hz + 6)) ] || fail "healthz $hz -> $(met m2 "$HZ")" || return 1
	[ "$(met m2 'hashtagger_process_starts_total{kind="worker"}')" -gt "$starts" ] ||
		fail "worker restarts not counted" || return 1
	[ "$(met m2 'hashtagger_processes{kind="worker"}')" -ge 1 ]
}

# met_ext_addr: an IPv4 address of this machine that is not loopback
met_ext_addr() {
	{ ip -4 -o addr show scope global 2>/dev/null | sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p'
	  hostname -I 2>/dev/null | tr ' ' '\n'; } | grep -E '^[0-9.]+$' | grep -v '^127\.' | head -n1
}

# met_ext_start ADDR PORT: a second $SERVER with the stack's config, bound
# to ADDR:PORT (same workers' socket for nginx, its own workers for
# lighttpd), so that the app sees REMOTE_ADDR = ADDR; pid file in EXT_PID
met_ext_start() {
	case $SERVER in
	nginx)
		EXT_PID=$PWD/ext-nginx.pid
		sed -e "s#listen 127.0.0.1:$PORT#listen $1:$2#" -e "s#^pid .*#pid $EXT_PID;#" \
			"$VAR/nginx.conf" >ext.conf
		nginx -c "$PWD/ext.conf" ;;
	lighttpd)
		EXT_PID=$VAR/run/lighttpd-ext.pid
		sed -e "s#^server.bind *= .*#server.bind = \"$1\"#" \
			-e 's#/run/lighttpd.pid#/run/lighttpd-ext.pid#' \
			-e 's#hashtagger-lighttpd.sock#hashtagger-ext.sock#' "$ROOT/lighttpd.conf" >ext.conf
		HT_PORT=$2 lighttpd -f "$PWD/ext.conf" ;;
	esac
}

test_metrics_refused_from_elsewhere_unless_admin() {
	addr=$(met_ext_addr)
	if [ -z "$addr" ]; then
		echo "SKIP: this machine has no non-loopback IPv4 address to bind a second $SERVER to"
		exit 77
	fi
	eport=$(python3 -c 'import socket, sys; s = socket.socket(); s.bind((sys.argv[1], 0))
print(s.getsockname()[1])' "$addr") || return 1
	met_ext_start "$addr" "$eport" || fail "second $SERVER on $addr:$eport" || return 1
	ext="http://$addr:$eport"
	r=0
	(met_ext_checks "$ext") || r=1 # a subshell: the server is stopped whatever happens
	stop_pidfile "$EXT_PID"
	return $r
}

# met_ext_code URL [curl args]: GET URL/metrics with no cookie jar; STATUS set
met_ext_code() {
	_e=$1; shift
	STATUS=$(curl -sS -o b -D h -w '%{http_code}' "$@" "$_e/metrics") || STATUS=000
}

met_ext_checks() {
	ext=$1
	wait_http "$ext/healthz" || return 1
	# nobody: the same 404 as a path that does not exist, for any method
	met_ext_code "$ext" && [ "$STATUS" = 404 ] && ! grep -q hashtagger_ b ||
		fail "anonymous" || return 1
	met_ext_code "$ext" --data '' && [ "$STATUS" = 404 ] && ! grep -qi '^Allow:' h ||
		fail "POST from elsewhere" || return 1
	met_ext_code "$ext" -H 'Authorization: Bearer not-a-token' && [ "$STATUS" = 404 ] ||
		fail "a bad token must not be told apart (401)" || return 1
	# the same server from loopback answers
	met_scrape m "$BASE" || return 1
	# a plain user: session, JWT and personal token refused
	user=$(new_email)
	JAR=user.jar register "$user" || return 1
	ujwt=$(met_jwt "$user") && utok=$(met_token "$ujwt" '["read","upload","tags"]') || return 1
	for a in "Authorization: Bearer $ujwt" "Authorization: Bearer $utok"; do
		met_ext_code "$ext" -H "$a" && [ "$STATUS" = 404 ] || fail "user credential: $a" || return 1
	done
	BASE=$ext JAR=uext.jar login "$user" && [ "$STATUS" = 303 ] || fail "login there" || return 1
	met_ext_code "$ext" -b uext.jar && [ "$STATUS" = 404 ] || fail "user session" || return 1
	# an admin: JWT, personal token with the admin scope and session work
	admin=$(new_email) && met_admin "$admin" || return 1
	ajwt=$(met_jwt "$admin") && atok=$(met_token "$ajwt" '["admin"]') &&
		aread=$(met_token "$ajwt" '["read"]') || return 1
	for a in "Authorization: Bearer $ajwt" "Authorization: Bearer $atok"; do
		met_ext_code "$ext" -H "$a" && [ "$STATUS" = 200 ] && met_py check b >/dev/null ||
			fail "admin credential: $a" || return 1
	done
	met_ext_code "$ext" -H "Authorization: Bearer $aread" && [ "$STATUS" = 404 ] ||
		fail "an admin's token without the admin scope" || return 1
	BASE=$ext JAR=aext.jar login "$admin" && [ "$STATUS" = 303 ] || fail "admin login" ||
		return 1
	met_ext_code "$ext" -b aext.jar && [ "$STATUS" = 200 ] || fail "admin session"
}

# A TLS proxy on this host reaches the web server from loopback for
# everyone: what it forwards (it says so in a header) is not local.
test_metrics_forwarded_requests_are_not_local() {
	for fwd in 'X-Forwarded-For: 203.0.113.9' 'Forwarded: for=203.0.113.9' \
		'X-Real-IP: 127.0.0.1'; do
		met_ext_code "$BASE" -H "$fwd" && [ "$STATUS" = 404 ] || fail "forwarded: $fwd" ||
			return 1
	done
	admin=$(new_email) && met_admin "$admin" || return 1
	ajwt=$(met_jwt "$admin") || return 1
	met_ext_code "$BASE" -H 'X-Forwarded-For: 203.0.113.9' -H "Authorization: Bearer $ajwt" &&
		[ "$STATUS" = 200 ] || fail "an admin through a proxy"
}
