# lib.sh: helpers for end-to-end tests. Each request leaves the status in
# $STATUS, headers in ./h and body in ./b (the case's own directory).
# Cookie jars are per "user": JAR=alice.jar req ...

# req METHOD PATH [curl args...]
req() {
	_rm=$1 _rp=$2; shift 2
	: >b # curl leaves the file alone when no body comes
	STATUS=$(curl -sS -o b -D h -w '%{http_code}' -X "$_rm" -b "${JAR:-jar}" -c "${JAR:-jar}" \
		"$@" "$BASE$_rp") || STATUS=000
	tr -d '\r' <h >h.tmp && mv h.tmp h
}

# form PATH name=value... : POST an urlencoded form with the page's CSRF token
form() {
	_p=$1; shift
	tok=$(csrf_of)
	_nargs=$#
	for kv in "$@"; do set -- "$@" --data-urlencode "$kv"; done
	shift "$_nargs"
	req POST "$_p" "$@" --data-urlencode "csrf=$tok"
}

# the CSRF token the last page carried in its forms
csrf_of() {
	sed -n 's/.*name="csrf" value="\([A-Za-z0-9_-]*\)".*/\1/p' b | head -n 1
}

fail() { echo "  $*"; echo "  status $STATUS; headers:"; sed 's/^/    /' h 2>/dev/null | head -20; echo "  body:"; head -c 1500 b 2>/dev/null | sed 's/^/    /'; echo; return 1; }

expect_status() { [ "$STATUS" = "$1" ] || fail "expected status $1, got $STATUS"; }
expect_body() { grep -qF -- "$1" b || fail "body lacks: $1"; }
expect_no_body() { ! grep -qF -- "$1" b || fail "body must not contain: $1"; }
expect_header() { grep -qiE -- "^$1" h || fail "missing header matching: $1"; }
expect_no_header() { ! grep -qiE -- "^$1" h || fail "header must be absent: $1"; }

# json EXPR: evaluate a Python expression on the parsed body (as d)
json() { python3 -c "import json,sys; d=json.load(open('b')); print($1)"; }

# unique email for this test
new_email() { echo "u$(date +%s%N)$$@example.org"; }

PASSWORD='correct horse battery staple'

# register EMAIL [PASSWORD]: sign up through the page (leaves the jar logged in)
register() {
	req GET /register && form /register "email=$1" "password=${2:-$PASSWORD}"
}

# login EMAIL [PASSWORD]
login() {
	req GET /login && form /login "email=$1" "password=${2:-$PASSWORD}"
}

# sql QUERY: run a query on the test database, unaligned output
sql() {
	psql -X -h "$VAR/pg" -p "$PGPORT" -U postgres -d hashtagger -tAc "$1"
}

# _multipart PATH CSRF-STYLE FILE...: POST files as multipart/form-data
_multipart() {
	_mp=$1 _ms=$2; shift 2
	req GET /upload
	_tok=$(csrf_of)
	_n=$#
	for f in "$@"; do set -- "$@" -F "file=@$f"; done
	shift "$_n"
	if [ "$_ms" = header ]; then
		req POST "$_mp" -H "X-CSRF-Token: $_tok" -F "caption=${CAPTION:-}" "$@"
	else
		req POST "$_mp" -F "csrf=$_tok" -F "caption=${CAPTION:-}" "$@"
	fi
}

# api_upload FILE...: POST /api/v1/images as the jar's user
api_upload() { _multipart /api/v1/images header "$@"; }
# page_upload FILE...: the upload form without JavaScript
page_upload() { _multipart /upload form "$@"; }

# media_files: the number of photo files stored (originals and thumbnails)
media_files() { find "$VAR/media" -path "$VAR/media/tmp" -prune -o -type f -print | wc -l; }

# worker_pids, tagd_pids: this stack's FastCGI workers or tagd, sorted (found
# by command line and by configuration, so not those of another stack
# running beside this one)
stack_pids() {
	for _wp in $(pgrep -f "$1"); do
		tr '\0' '\n' <"/proc/$_wp/environ" 2>/dev/null | grep -qxF "HASHTAGGER_CONF=$HASHTAGGER_CONF" &&
			echo "$_wp"
	done | sort -n | tr '\n' ' '
}
worker_pids() { stack_pids "^$HT_BIN\$"; }
tagd_pids() { stack_pids "^$HT_BIN tagd\$"; }

# workers_kill: SIGKILL every worker of this stack and wait until they are
# gone (an ASan build takes seconds to die and holds the socket meanwhile,
# so spawn-fcgi would find it in use); under nginx start two new ones, as
# a supervisor would (lighttpd respawns its own). 1 when there were none.
workers_kill() {
	_pids=$(worker_pids)
	[ -n "$_pids" ] || return 1
	# shellcheck disable=SC2086 # a pid list
	kill -9 $_pids 2>/dev/null
	for _wp in $_pids; do
		# gone, or a zombie (its files, the socket among them, are closed)
		for _ in $(seq 200); do
			case $(sed 's/.*) \(.\).*/\1/' "/proc/$_wp/stat" 2>/dev/null) in
			'' | Z) break ;;
			esac
			sleep 0.05
		done
	done
	[ "$SERVER" != nginx ] || spawn_workers "$VAR" 2 "$HASHTAGGER_CONF"
}
