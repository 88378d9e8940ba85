# test-admin-users.sh: the admin Users section — the list (every filter and
# sort against what SQL says, keyset pages through ties, the CSV) over a
# seeded crowd of 10 000 users and 200 000 photos, one user's page, and the
# actions: disable (every credential dies, the JWT too) and enable, promote
# and demote (never the last active admin), one-time password reset links,
# deletion (files another user shares stay); an audit entry for each;
# admins only; CSRF, bad input, escaping. API answers are validated against
# static/openapi.json.

AU_CJ='Content-Type: application/json'

# au_v METHOD PATH STATUS [curl args...]: call, expect STATUS, validate the
# answer against the document
au_v() {
	_vm=$1 _vp=$2 _vs=$3; shift 3
	rm -f b h
	req "$_vm" "$_vp" "$@"
	[ -f b ] || : >b
	[ "$STATUS" = "$_vs" ] || fail "$_vm $_vp: expected $_vs, got $STATUS" || return 1
	node "$ROOT/tests/api/validate.js" --headers h "$_vm" "$_vp" "$STATUS" b ||
		fail "$_vm $_vp: the answer does not match static/openapi.json"
}

# au_s METHOD PATH STATUS [curl args...]: call and expect STATUS (validation
# takes a second a call: once per kind of answer is enough)
au_s() {
	_sm=$1 _sp=$2 _ss=$3; shift 3
	req "$_sm" "$_sp" "$@"
	[ "$STATUS" = "$_ss" ] || fail "$_sm $_sp: expected $_ss, got $STATUS"
}

# au_write METHOD PATH STATUS [JSON]: an API write with the session's CSRF
# header, validated (AU_CHECK=au_s: status only)
au_write() {
	_wm=$1 _wp=$2 _ws=$3
	req GET /api/v1/me && _wt=$(json 'd["csrf"]')
	if [ $# -ge 4 ]; then
		${AU_CHECK:-au_v} "$_wm" "$_wp" "$_ws" -H "X-CSRF-Token: $_wt" -H "$AU_CJ" --data-binary "$4"
	else
		${AU_CHECK:-au_v} "$_wm" "$_wp" "$_ws" -H "X-CSRF-Token: $_wt" --data-binary ''
	fi
}

# au_admin [JAR]: a new admin (CLI) logged in in JAR (default adm.jar); sets ADMIN
au_admin() {
	ADMIN=$(new_email)
	rm -f "${1:-adm.jar}"
	printf '%s\n' "$PASSWORD" | "$HT_BIN" user add --admin "$ADMIN" >out 2>&1 ||
		{ cat out; return 1; }
	JAR=${1:-adm.jar} login "$ADMIN" && [ "$STATUS" = 303 ] || fail "admin login"
}

# au_user JAR: a new user registered in JAR; prints the email, sets nothing else
au_user() {
	_ue=$(new_email)
	JAR=$1 register "$_ue" >/dev/null && [ "$STATUS" = 303 ] || { echo "register failed" >&2; return 1; }
	echo "$_ue"
}

# au_id EMAIL: the user's public id
au_id() { sql "SELECT public_id FROM users WHERE email = '$1'"; }

# au_page_post PATH [name=value...]: a page form POST as adm.jar, CSRF from the user's page
au_page_post() {
	_pp=$1; shift
	JAR=adm.jar req GET /admin/users && JAR=adm.jar form "$_pp" "$@"
}

# au_seed: 10 000 users and 200 000 photos, once per database; the
# runner's teardown removes them after this file's tests (they have no
# files, and later tests check every row against the media folder)
au_seed() {
	[ "$(sql "SELECT count(*) FROM users WHERE email LIKE 'seed-%'")" -gt 0 ] && return 0
	psql -X -q -h "$VAR/pg" -p "$PGPORT" -U postgres -d hashtagger -v ON_ERROR_STOP=1 \
		-v users=10000 -v images=200000 -f "$ROOT/tests/data/seed-users.sql" >/dev/null
}

teardown() {
	sql "DELETE FROM images WHERE owner_id IN (SELECT id FROM users WHERE email LIKE 'seed-%');
	     DELETE FROM users WHERE email LIKE 'seed-%'" >/dev/null
}

test_admin_users_lists_match_sql() {
	au_seed || return 1
	au_admin adm.jar && au_admin adm2.jar && au_admin adm3.jar || return 1
	# a formula in an email: the CSV guards it, the JSON never changes it
	sql "INSERT INTO users (public_id, email, password_hash, created_at)
		VALUES ('formulaformula01', '=1+2@example.org', 'x', '2001-02-03')" >/dev/null
	python3 - adm.jar adm2.jar adm3.jar <<'PY' || return 1
import csv, io, json, os, subprocess, sys, time, urllib.error, urllib.parse, urllib.request

base = os.environ["BASE"]
def cookie_of(jar):  # curl's jar: domain flag path secure expiry name value
    rows = [l.rstrip("\n").split("\t") for l in open(jar) if l.count("\t") >= 6]
    return "; ".join(f"{r[5]}={r[6]}" for r in rows)
cookies = [cookie_of(j) for j in sys.argv[1:]]  # API budgets are per user: take turns
turn = 0

def get(path):
    global turn
    for _ in range(30):
        turn += 1
        req = urllib.request.Request(base + path, headers={"Cookie": cookies[turn % len(cookies)]})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            if e.code != 429:
                return e.code, e.read().decode()
            time.sleep(1)
    sys.exit(f"GET {path}: still 429")

# one psql for every query: each answer's lines end at a marker
psql = subprocess.Popen(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-h", os.environ["VAR"] + "/pg",
                         "-p", os.environ["PGPORT"], "-U", "postgres", "-d", "hashtagger"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def sql(q):
    psql.stdin.write(q + ";\n\\echo __end__\n")
    psql.stdin.flush()
    out = []
    for line in psql.stdout:
        if line == "__end__\n":
            return out
        out.append(line.rstrip("\n"))
    sys.exit(f"psql ended at: {q}")

KEYS = {"joined": "created_at", "email": "email", "login": "coalesce(last_login_at, '-infinity')",
        "images": "image_count", "storage": "storage_bytes", "role": "role", "state": "disabled"}
DESC = {"joined", "login", "images", "storage"}

def where_of(f):
    c = ["true"]
    day = lambda d: f"timestamptz '{d} 00:00:00+00'"
    if "q" in f: c.append(f"email LIKE '%{f['q'].lower()}%'")
    if "role" in f: c.append(f"role = '{f['role']}'")
    if "state" in f: c.append("disabled" if f["state"] == "disabled" else "NOT disabled")
    if "joined_from" in f: c.append(f"created_at >= {day(f['joined_from'])}")
    if "joined_to" in f: c.append(f"created_at < {day(f['joined_to'])} + interval '1 day'")
    if "login_from" in f: c.append(f"last_login_at >= {day(f['login_from'])}")
    if "login_to" in f: c.append(f"last_login_at < {day(f['login_to'])} + interval '1 day'")
    if "images_min" in f: c.append(f"image_count >= {f['images_min']}")
    if "images_max" in f: c.append(f"image_count <= {f['images_max']}")
    return " AND ".join(c)

def want(f, limit=None):
    sort = f.get("sort", "joined")
    d = "DESC" if f.get("dir", "desc" if sort in DESC else "asc") == "desc" else "ASC"
    lim = f" LIMIT {limit}" if limit else ""
    return sql(f"SELECT public_id FROM users WHERE {where_of(f)} ORDER BY {KEYS[sort]} {d}, public_id {d}{lim}")

def pages(f, limit, most=1000):
    ids, cursor, n = [], None, 0
    while n < most:
        q = dict(f, limit=limit, **({"cursor": cursor} if cursor else {}))
        st, body = get("/api/v1/admin/users?" + urllib.parse.urlencode(q))
        if st != 200: sys.exit(f"{q}: {st} {body[:300]}")
        d = json.loads(body)
        ids += [u["id"] for u in d["users"]]
        n += 1
        cursor = d["next_cursor"]
        if not cursor: break
    return ids, n

bad = []
def check(name, got, exp):
    if got != exp:
        first = next((i for i, (a, b) in enumerate(zip(got, exp)) if a != b), min(len(got), len(exp)))
        bad.append(f"{name}: {len(got)} rows vs SQL {len(exp)}, first difference at {first}: "
                   f"{got[first:first + 3]} vs {exp[first:first + 3]}")

# every sort, both directions: the first two pages
for s in KEYS:
    for d in ("asc", "desc"):
        got, _ = pages({"sort": s, "dir": d}, 100, most=2)
        check(f"sort {s} {d}", got, want({"sort": s, "dir": d}, 200))
got, _ = pages({}, 100, most=1)
check("default sort (joined desc)", got, want({}, 100))
# every filter alone, then together, every page
day = lambda ago: sql(f"SELECT to_char(now() - interval '{ago} days', 'YYYY-MM-DD')")[0]
joined, login = (day(400), day(340)), (day(60), day(40))
filters = [{"q": "-0001"}, {"q": "SEED-00012"}, {"role": "admin"}, {"role": "user", "q": "-0002"},
           {"state": "disabled"}, {"state": "active", "q": "-0003"},
           {"joined_from": joined[0], "joined_to": joined[1]}, {"login_from": login[0], "login_to": login[1]},
           {"images_min": "20", "images_max": "25"}, {"images_min": "500"}, {"images_max": "0"},
           {"role": "user", "state": "active", "images_min": "3", "joined_from": joined[0], "login_to": login[1]}]
for f in filters:
    got, n = pages(f, 200)
    check(f"filter {f}", got, want(f))
# long walks through ties: small pages, every sort, both ways; no row twice, none missing
for f in [{"state": "disabled", "sort": "storage", "dir": "asc"}, {"q": "-000", "sort": "role"},
          {"q": "-001", "sort": "state", "dir": "desc"}, {"state": "disabled", "sort": "images"},
          {"role": "admin", "sort": "joined", "dir": "asc"},
          {"images_max": "8", "q": "-00", "sort": "login"}]:
    got, n = pages(f, 37)
    if n < 3: bad.append(f"walk {f}: only {n} pages")
    if len(set(got)) != len(got): bad.append(f"walk {f}: a row came twice")
    check(f"walk {f}", got, want(f))
# the CSV is the filtered list, in its order; the whole one crosses batches and ties
for f in [{"state": "disabled", "sort": "email", "dir": "desc"}, {}]:
    st, body = get("/api/v1/admin/users.csv?" + urllib.parse.urlencode(f))
    if st != 200: sys.exit(f"csv {f}: {st}")
    if not body.startswith("id,email,role,state,created_at,last_login_at,image_count,storage_bytes\r\n"):
        bad.append("csv header")
    if body.replace("\r\n", "").count("\n"): bad.append("csv: a line not ended by CRLF")
    rows = list(csv.reader(io.StringIO(body, newline="")))[1:]
    # the formula guard prefixes ' to a cell starting with = + - @ (ids may start with -)
    unguard = lambda v: v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@") else v
    check(f"csv {f}", [unguard(r[0]) for r in rows], want(f))
    if f == {}:
        formula = [r for r in rows if r[0] == "formulaformula01"]
        if not formula or formula[0][1] != "'=1+2@example.org":
            bad.append(f"csv formula guard: {formula}")
        n = sql("SELECT count(*) FROM users")[0]
        if str(len(rows)) != n: bad.append(f"csv has {len(rows)} users, SQL {n}")
        seeded = [r for r in rows if r[1].startswith("seed-")][:50]
        counts = dict(l.split("|") for l in sql(
            "SELECT public_id || '|' || image_count || '/' || storage_bytes FROM users WHERE email LIKE 'seed-%'"))
        if any(counts[unguard(r[0])] != f"{r[6]}/{r[7]}" for r in seeded): bad.append("csv counts")
st, body = get("/api/v1/admin/users?q=%3D1%2B2")
if json.loads(body)["users"][0]["email"] != "=1+2@example.org": bad.append("JSON changed the email")
# the trigger-kept counts agree with the photos
if sql("SELECT count(*) FROM users u WHERE image_count <> (SELECT count(*) FROM images WHERE owner_id = u.id) OR storage_bytes <> (SELECT coalesce(sum(bytes), 0) FROM images WHERE owner_id = u.id)") != ["0"]:
    bad.append("image_count/storage_bytes disagree with images")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
	# the answers' shapes, and the page
	export JAR=adm.jar
	au_v GET '/api/v1/admin/users?limit=2' 200 || return 1
	au_v GET "/api/v1/admin/users?limit=2&sort=login&dir=asc&cursor=$(json 'd["next_cursor"]')" 422 ||
		return 1
	au_v GET '/api/v1/admin/users?state=disabled&sort=storage&limit=3' 200 || return 1
	au_v GET "/api/v1/admin/users?state=disabled&sort=storage&limit=3&cursor=$(json 'd["next_cursor"]')" 200 ||
		return 1
	au_v GET '/api/v1/admin/users.csv?role=admin' 200 || return 1
	expect_header 'Content-Type: text/csv' && expect_header 'Content-Disposition: attachment' || return 1
	req GET '/admin/users?q=-00012&sort=email&dir=asc'
	expect_status 200 && expect_body 'seed-000120-' && expect_body '<table class="audit users">' || return 1
	expect_body 'aria-sort="ascending"><a href="/admin/users?q=-00012&amp;sort=email&amp;dir=desc"' ||
		return 1
	expect_body 'href="/admin/users.csv?q=-00012&amp;sort=email&amp;dir=asc"' || return 1
	expect_body 'href="/admin/users"' && expect_body '>Users</a>' || return 1
	req GET '/admin/users.csv?q=-00012&sort=email&dir=asc'
	expect_status 200 && [ "$(grep -c seed-00012 b)" = 10 ] || fail "page CSV" || return 1
	# a next page link walks on with the same filters and sort
	req GET '/admin/users?state=disabled&sort=images'
	next=$(sed -n 's/.*href="\([^"]*cursor=[^"]*\)" rel="next".*/\1/p' b | sed 's/&amp;/\&/g')
	[ -n "$next" ] || fail "no next link" || return 1
	req GET "$next"
	expect_status 200 && expect_body 'First page' && expect_body 'state-disabled' || return 1
}

test_admin_users_admin_only() {
	victim=$(au_user victim.jar) || return 1
	vid=$(au_id "$victim")
	au_user jar >/dev/null || return 1 # a plain user in ./jar
	for p in /admin/users /admin/users.csv "/admin/users/$vid" '/admin/users?role=admin'; do
		req GET "$p"
		case $STATUS in 403 | 404) ;; *) fail "GET $p: $STATUS" || return 1 ;; esac
		expect_no_body "$victim" || return 1
	done
	req GET /account
	for a in disable enable promote demote reset-password delete; do
		form "/admin/users/$vid/$a" confirm=yes "confirm_email=$victim"
		case $STATUS in 403 | 404) ;; *) fail "POST $a: $STATUS" || return 1 ;; esac
	done
	au_v GET /api/v1/admin/users 403 || return 1
	for p in /api/v1/admin/users.csv "/api/v1/admin/users/$vid" "/api/v1/admin/users/$vid/images"; do
		req GET "$p" && expect_status 403 || return 1
	done
	au_write POST "/api/v1/admin/users/$vid/disable" 403 || return 1
	for a in enable promote demote reset-password; do
		req POST "/api/v1/admin/users/$vid/$a" -H "X-CSRF-Token: $_wt" --data-binary '' &&
			expect_status 403 || return 1
	done
	au_write DELETE "/api/v1/admin/users/$vid" 403 "{\"confirm_email\":\"$victim\"}" || return 1
	# logged out: the login page, or 401
	JAR=anon.jar req GET /admin/users
	expect_status 303 && expect_header 'Location: /login\?next=/admin/users' || return 1
	JAR=anon.jar req GET "/admin/users/$vid"
	expect_status 303 || return 1
	JAR=anon.jar au_v GET /api/v1/admin/users 401 || return 1
	JAR=anon.jar au_v GET "/api/v1/admin/users/$vid" 401 || return 1
	JAR=anon.jar req POST "/api/v1/admin/users/$vid/disable" -H "$AU_CJ" --data '{}'
	expect_status 401 || return 1
	# a personal token needs the admin scope
	au_admin || return 1
	JAR=adm.jar req GET /api/v1/me && tok=$(json 'd["csrf"]')
	JAR=adm.jar req POST /api/v1/me/tokens -H "X-CSRF-Token: $tok" -H "$AU_CJ" \
		--data '{"name":"ro","scopes":["read"]}'
	ro=$(json 'd["token"]')
	JAR=adm.jar req POST /api/v1/me/tokens -H "X-CSRF-Token: $tok" -H "$AU_CJ" \
		--data '{"name":"adm","scopes":["read","admin"]}'
	adm=$(json 'd["token"]')
	JAR=/dev/null req GET "/api/v1/admin/users/$vid" -H "Authorization: Bearer $ro"
	expect_status 403 || return 1
	JAR=/dev/null req GET "/api/v1/admin/users/$vid" -H "Authorization: Bearer $adm"
	expect_status 200 && [ "$(json 'd["user"]["email"]')" = "$victim" ] || fail "admin token" || return 1
	# nothing changed
	[ "$(sql "SELECT role, disabled FROM users WHERE public_id = '$vid'")" = "user|f" ] ||
		fail "a non-admin changed the user" || return 1
	[ "$(sql "SELECT count(*) FROM audit_log WHERE target_id = '$vid'")" = 0 ] ||
		fail "audit entry for a refused action"
}

# au_only_admin EMAIL: make EMAIL the only active admin (the others
# become users, listed in others.txt for au_restore_admins)
au_only_admin() {
	sql "SELECT id FROM users WHERE role = 'admin' AND NOT disabled AND email <> '$1'" >others.txt
	sql "UPDATE users SET role = 'user' WHERE role = 'admin' AND NOT disabled AND email <> '$1'" \
		>/dev/null
}
au_restore_admins() {
	[ -s others.txt ] || return 0
	sql "UPDATE users SET role = 'admin' WHERE id IN ($(paste -sd, others.txt))" >/dev/null
}

test_admin_users_last_admin_stays() {
	au_admin || return 1
	me=$(au_id "$ADMIN")
	au_only_admin "$ADMIN"
	au_last_admin_checks "$me"
	rc=$?
	au_restore_admins
	return $rc
}

au_last_admin_checks() {
	me=$1
	export JAR=adm.jar
	au_write POST "/api/v1/admin/users/$me/demote" 409 || return 1
	expect_body 'last active admin' || return 1
	au_write POST "/api/v1/admin/users/$me/disable" 409 || return 1
	au_write DELETE "/api/v1/admin/users/$me" 409 "{\"confirm_email\":\"$ADMIN\"}" || return 1
	au_page_post "/admin/users/$me/demote"
	expect_status 409 && expect_body 'last active admin' || return 1
	au_page_post "/admin/users/$me/disable" confirm=yes
	expect_status 409 || return 1
	au_page_post "/admin/users/$me/delete" "confirm_email=$ADMIN"
	expect_status 409 || return 1
	# a disabled admin is no admin to count on
	other=$(au_user other.jar) && oid=$(au_id "$other")
	AU_CHECK=au_s au_write POST "/api/v1/admin/users/$oid/promote" 200 || return 1
	[ "$(json 'd["role"], d["state"]')" = "admin active" ] || fail "promoted" || return 1
	AU_CHECK=au_s au_write POST "/api/v1/admin/users/$oid/disable" 200 || return 1
	AU_CHECK=au_s au_write POST "/api/v1/admin/users/$me/demote" 409 || return 1
	AU_CHECK=au_s au_write POST "/api/v1/admin/users/$oid/enable" 200 || return 1
	# with another active admin, I may step down; then the other is the last
	AU_CHECK=au_s au_write POST "/api/v1/admin/users/$me/demote" 200 || return 1
	[ "$(sql "SELECT role FROM users WHERE public_id = '$me'")" = user ] || fail "demoted" || return 1
	JAR=other.jar login "$other" # disabling ended their session
	JAR=other.jar req GET "/api/v1/admin/users/$me"
	expect_status 200 || return 1
	JAR=other.jar AU_CHECK=au_s au_write POST "/api/v1/admin/users/$oid/demote" 409 || return 1
	JAR=other.jar AU_CHECK=au_s au_write POST "/api/v1/admin/users/$me/promote" 200 || return 1
	[ "$(sql "SELECT action FROM audit_log WHERE target_id IN ('$me', '$oid') ORDER BY id")" = \
		"$(printf 'user.promote\nuser.disable\nuser.enable\nuser.demote\nuser.promote')" ] ||
		fail "audit: only the actions that happened" || return 1
	[ "$(sql "SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled AND public_id IN ('$me', '$oid')")" = 2 ]
}

# au_jwt EMAIL: a JWT login of EMAIL; sets AT and RT
au_jwt() {
	JAR=/dev/null req POST /api/v1/auth/login -H "$AU_CJ" \
		--data "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" && expect_status 200 || return 1
	AT=$(json 'd["access_token"]') RT=$(json 'd["refresh_token"]')
}

test_admin_users_disable_ends_every_credential() {
	victim=$(au_user victim.jar) || return 1
	vid=$(au_id "$victim")
	JAR=victim.jar req GET /api/v1/me && tok=$(json 'd["csrf"]')
	JAR=victim.jar req POST /api/v1/me/tokens -H "X-CSRF-Token: $tok" -H "$AU_CJ" \
		--data '{"name":"script","scopes":["read"]}' && expect_status 201 || return 1
	pat=$(json 'd["token"]')
	au_jwt "$victim" || return 1
	JAR=/dev/null req GET /api/v1/me -H "Authorization: Bearer $AT" && expect_status 200 || return 1
	JAR=/dev/null req GET /api/v1/me -H "Authorization: Bearer $pat" && expect_status 200 || return 1
	au_admin || return 1
	export JAR=adm.jar
	# the page asks for a confirmation
	req GET "/admin/users/$vid"
	expect_status 200 && expect_body "action=\"/admin/users/$vid/disable\"" &&
		expect_body 'name="confirm" type="checkbox"' || return 1
	form "/admin/users/$vid/disable"
	expect_status 400 && expect_body 'Tick the box' || return 1
	[ "$(sql "SELECT disabled FROM users WHERE public_id = '$vid'")" = f ] || fail "disabled anyway" || return 1
	req GET "/admin/users/$vid"
	form "/admin/users/$vid/disable" confirm=yes
	expect_status 303 && expect_header "Location: /admin/users/$vid\\?done=disabled" || return 1
	req GET "/admin/users/$vid?done=disabled"
	expect_body 'Disabled: the account' && expect_body 'state-disabled' || return 1
	# every credential is dead at once
	JAR=victim.jar req GET /history
	expect_status 303 || return 1
	JAR=victim.jar req GET /api/v1/me
	expect_status 401 || return 1
	JAR=/dev/null req GET /api/v1/me -H "Authorization: Bearer $AT"
	expect_status 401 || fail "the JWT still works" || return 1
	JAR=/dev/null req GET /api/v1/me -H "Authorization: Bearer $pat"
	expect_status 401 || fail "the personal token still works" || return 1
	JAR=/dev/null req POST /api/v1/auth/refresh -H "$AU_CJ" --data "{\"refresh_token\":\"$RT\"}"
	expect_status 401 || fail "the refresh token still works" || return 1
	[ "$(sql "SELECT (SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.public_id = '$vid'),
		(SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.public_id = '$vid'),
		(SELECT count(*) FROM refresh_tokens r JOIN users u ON u.id = r.user_id WHERE u.public_id = '$vid' AND r.revoked_at IS NULL)")" = "0|0|0" ] ||
		fail "credentials left in the database" || return 1
	JAR=victim2.jar login "$victim"
	expect_status 403 && expect_body 'disabled' || return 1
	au_v GET "/api/v1/admin/users/$vid" 200 || return 1
	[ "$(json 'd["user"]["state"], d["sessions"], d["api_tokens"], d["refresh_tokens"]')" = "disabled 0 0 0" ] ||
		fail "detail after disable" || return 1
	au_write POST "/api/v1/admin/users/$vid/disable" 409 || return 1
	expect_body 'already disabled' || return 1
	# enabled again: the password works, the old JWT never again
	au_write POST "/api/v1/admin/users/$vid/enable" 200 || return 1
	[ "$(json 'd["state"]')" = active ] || fail "enable answer" || return 1
	au_write POST "/api/v1/admin/users/$vid/enable" 409 || return 1
	JAR=/dev/null req GET /api/v1/me -H "Authorization: Bearer $AT"
	expect_status 401 || fail "the old JWT came back" || return 1
	sleep 1 # a token issued in the second of the disabling is refused too
	old=$AT
	au_jwt "$victim" && [ "$AT" != "$old" ] || return 1
	JAR=/dev/null req GET /api/v1/me -H "Authorization: Bearer $AT"
	expect_status 200 || return 1
	[ "$(sql "SELECT action, actor_email, target_type, detail->>'email', detail->>'sessions_ended', detail->>'api_tokens_revoked'
		FROM audit_log WHERE target_id = '$vid' ORDER BY id")" = \
		"$(printf 'user.disable|%s|user|%s|1|1\nuser.enable|%s|user|%s||' "$ADMIN" "$victim" "$ADMIN" "$victim")" ] ||
		fail "audit entries"
}

test_admin_users_promote_and_demote() {
	u=$(au_user u.jar) || return 1
	uid=$(au_id "$u")
	au_admin || return 1
	JAR=adm.jar req GET "/admin/users/$uid"
	expect_body 'Make admin' || return 1
	JAR=adm.jar form "/admin/users/$uid/promote"
	expect_status 303 && expect_header "Location: /admin/users/$uid\\?done=promoted" || return 1
	JAR=u.jar req GET /admin/users
	expect_status 200 || fail "the new admin cannot see the list" || return 1
	JAR=adm.jar au_write POST "/api/v1/admin/users/$uid/promote" 409 || return 1
	JAR=adm.jar au_write POST "/api/v1/admin/users/$uid/demote" 200 || return 1
	[ "$(json 'd["id"], d["role"]')" = "$uid user" ] || fail "demote answer" || return 1
	JAR=u.jar req GET /admin/users
	expect_status 403 || return 1
	JAR=adm.jar au_write POST "/api/v1/admin/users/$uid/demote" 409 || return 1
	[ "$(sql "SELECT action, detail->>'email', detail->>'role' FROM audit_log WHERE target_id = '$uid' ORDER BY id")" = \
		"$(printf 'user.promote|%s|admin\nuser.demote|%s|user' "$u" "$u")" ] || fail "audit"
}

# au_reset_link ID: a reset link made through the page; sets LINK (its path)
au_reset_link() {
	JAR=adm.jar req GET "/admin/users/$1"
	JAR=adm.jar form "/admin/users/$1/reset-password"
	expect_status 200 && expect_body 'shown only this once' || return 1
	LINK=$(sed -n 's/.*id="reset-url" type="text" readonly value="[^"]*\(\/reset\/[A-Za-z0-9_-]*\)".*/\1/p' b)
	[ -n "$LINK" ] || fail "no link on the page"
}

test_admin_users_reset_link_works_once() {
	u=$(au_user u.jar) || return 1
	uid=$(au_id "$u")
	au_jwt "$u" || return 1
	au_admin || return 1
	au_reset_link "$uid" || return 1
	first=$LINK
	# absolute, from the Host the web server passes (nginx's has no port)
	expect_body "value=\"http://127.0.0.1" || return 1
	# a newer link (API) expires the older one
	JAR=adm.jar au_write POST "/api/v1/admin/users/$uid/reset-password" 201 || return 1
	token=$(json 'd["token"]')
	url=$(json 'd["url"]')
	[ "${url#http://127.0.0.1}" != "$url" ] && [ "${url%/reset/$token}" != "$url" ] ||
		fail "url $url" || return 1
	[ "$(sql "SELECT count(*) FROM password_resets WHERE token_hash = encode(sha256('$token'), 'hex')")" = 1 ] ||
		fail "not stored as sha256" || return 1
	[ "$(sql "SELECT count(*) FROM password_resets WHERE token_hash = '$token'")" = 0 ] || return 1
	JAR=anon.jar req GET "$first"
	expect_status 410 && expect_body 'expired' || return 1
	# the link: a form, a weak password refused (the link still works), then used
	JAR=anon.jar req GET "/reset/$token"
	expect_status 200 && expect_body "$u" && expect_body 'name="new_password"' || return 1
	JAR=anon.jar form "/reset/$token" new_password=short
	expect_status 422 && expect_body 'aria-invalid="true"' || return 1
	JAR=anon.jar form "/reset/$token" "new_password=a brand new passphrase"
	expect_status 303 && expect_header 'Location: /login' || return 1
	JAR=anon.jar req GET /login
	expect_body 'Your new password is set' || return 1
	# every other session, refresh token and access token ended
	JAR=u.jar req GET /api/v1/me
	expect_status 401 || fail "the old session lives" || return 1
	JAR=/dev/null req POST /api/v1/auth/refresh -H "$AU_CJ" --data "{\"refresh_token\":\"$RT\"}"
	expect_status 401 || return 1
	JAR=/dev/null req GET /api/v1/me -H "Authorization: Bearer $AT"
	expect_status 401 || fail "the old JWT lives" || return 1
	JAR=new.jar login "$u"
	expect_status 401 || fail "the old password still works" || return 1
	JAR=new.jar login "$u" "a brand new passphrase"
	expect_status 303 || return 1
	# used: a clear 410, page and API
	JAR=anon.jar req GET "/reset/$token"
	expect_status 410 && expect_body 'already used' || return 1
	JAR=anon.jar req GET /login && JAR=anon.jar form "/reset/$token" "new_password=another passphrase x"
	expect_status 410 || return 1
	JAR=anon.jar au_v POST /api/v1/password-reset 410 -H "$AU_CJ" \
		--data "{\"token\":\"$token\",\"new_password\":\"another passphrase x\"}" || return 1
	# expired after 24 hours; unknown; the API twin
	JAR=adm.jar au_write POST "/api/v1/admin/users/$uid/reset-password" 201 || return 1
	token=$(json 'd["token"]')
	[ "$(sql "SELECT expires_at - created_at FROM password_resets WHERE token_hash = encode(sha256('$token'), 'hex')")" = '1 day' ] ||
		fail "valid 24 hours" || return 1
	sql "UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256('$token'), 'hex')" >/dev/null
	JAR=anon.jar req GET "/reset/$token"
	expect_status 410 && expect_body 'expired' || return 1
	JAR=anon.jar req GET /reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
	expect_status 404 || return 1
	JAR=adm.jar au_write POST "/api/v1/admin/users/$uid/reset-password" 201 || return 1
	token=$(json 'd["token"]')
	JAR=anon.jar au_v POST /api/v1/password-reset 422 -H "$AU_CJ" \
		--data "{\"token\":\"$token\",\"new_password\":\"short\"}" || return 1
	[ "$(json 'list(d["errors"])')" = "['new_password']" ] || return 1
	JAR=anon.jar au_v POST /api/v1/password-reset 204 -H "$AU_CJ" \
		--data "{\"token\":\"$token\",\"new_password\":\"third passphrase here\"}" || return 1
	JAR=anon.jar au_v POST /api/v1/password-reset 404 -H "$AU_CJ" \
		--data '{"token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","new_password":"third passphrase here"}' ||
		return 1
	JAR=new2.jar login "$u" "third passphrase here"
	expect_status 303 || return 1
	# a disabled account gets no link
	JAR=adm.jar au_write POST "/api/v1/admin/users/$uid/disable" 200 || return 1
	JAR=adm.jar au_write POST "/api/v1/admin/users/$uid/reset-password" 409 || return 1
	[ "$(sql "SELECT count(*), count(DISTINCT actor_email), min(detail->>'email') FROM audit_log
		WHERE target_id = '$uid' AND action = 'user.reset_password'")" = "4|1|$u" ] || fail "audit"
}

test_admin_users_delete_keeps_shared_files() {
	a=$(au_user a.jar) && b=$(au_user b.jar) || return 1
	aid=$(au_id "$a")
	# photos of this test alone (other tests upload the same fixtures)
	wrjpgcom -comment "delete test $(date +%s%N) a" "$FIX/cat.jpg" >cat.jpg &&
		wrjpgcom -comment "delete test $(date +%s%N) b" "$FIX/rocket.jpg" >rocket.jpg || return 1
	JAR=a.jar api_upload cat.jpg rocket.jpg
	expect_status 201 || return 1
	JAR=b.jar api_upload cat.jpg
	expect_status 201 || return 1
	cat=$(sha256sum cat.jpg | cut -c1-64) rocket=$(sha256sum rocket.jpg | cut -c1-64)
	c2=$(echo "$cat" | cut -c1-2) r2=$(echo "$rocket" | cut -c1-2)
	[ -f "$VAR/media/$r2/$rocket" ] && [ -f "$VAR/media/$r2/$rocket.jpg" ] || fail "no files" || return 1
	[ "$(sql "SELECT image_count, storage_bytes = (SELECT sum(bytes) FROM images i WHERE i.owner_id = u.id) FROM users u WHERE public_id = '$aid'")" = "2|t" ] ||
		fail "counts after upload" || return 1
	au_admin || return 1
	export JAR=adm.jar
	req GET "/admin/users/$aid"
	expect_body 'Type the email' && expect_body "$a" || return 1
	form "/admin/users/$aid/delete" "confirm_email=someone@else.org"
	expect_status 422 && expect_body 'Type the user' && expect_body 'aria-invalid="true"' || return 1
	au_write DELETE "/api/v1/admin/users/$aid" 422 '{}' || return 1
	[ "$(json 'list(d["errors"])')" = "['confirm_email']" ] || return 1
	[ "$(sql "SELECT count(*) FROM images i JOIN users u ON u.id = i.owner_id WHERE u.public_id = '$aid'")" = 2 ] ||
		fail "deleted without confirmation" || return 1
	req GET "/admin/users/$aid"
	form "/admin/users/$aid/delete" "confirm_email= $(echo "$a" | tr a-z A-Z) "
	expect_status 303 && expect_header 'Location: /admin/users\?done=deleted' || return 1
	req GET /admin/users?done=deleted
	expect_body 'Deleted: the account' || return 1
	[ "$(sql "SELECT count(*) FROM users WHERE public_id = '$aid'")" = 0 ] || fail "user row" || return 1
	[ "$(sql "SELECT count(*) FROM images WHERE sha256 IN ('$cat', '$rocket')")" = 1 ] || fail "rows" || return 1
	[ ! -e "$VAR/media/$r2/$rocket" ] && [ ! -e "$VAR/media/$r2/$rocket.jpg" ] ||
		fail "the unshared files stay" || return 1
	[ -f "$VAR/media/$c2/$cat" ] && [ -f "$VAR/media/$c2/$cat.jpg" ] ||
		fail "the shared file went" || return 1
	JAR=b.jar req GET "/media/$(JAR=b.jar req GET /api/v1/images && json 'd["images"][0]["id"]')/thumb"
	expect_status 200 || return 1
	JAR=a.jar req GET /api/v1/me
	expect_status 401 || return 1
	[ "$(sql "SELECT action, actor_email, detail->>'email', detail->>'images' FROM audit_log WHERE target_id = '$aid'")" = \
		"user.delete|$ADMIN|$a|2" ] || fail "audit" || return 1
	# the API twin; unknown ids
	bid=$(au_id "$b")
	au_write DELETE "/api/v1/admin/users/$bid" 204 "{\"confirm_email\":\"$b\"}" || return 1
	[ ! -e "$VAR/media/$c2/$cat" ] || fail "the last user's file stays" || return 1
	au_write DELETE "/api/v1/admin/users/$bid" 404 "{\"confirm_email\":\"$b\"}" || return 1
	au_v GET "/api/v1/admin/users/$bid" 404 || return 1
	req GET "/admin/users/$bid"
	expect_status 404
}

test_admin_users_detail_page() {
	u=$(au_user u.jar) || return 1
	uid=$(au_id "$u")
	JAR=u.jar api_upload "$FIX/cat.jpg" "$FIX/rocket.jpg" "$FIX/coffee.jpg"
	expect_status 201 || return 1
	pid=$(json 'd["images"][0]["id"]')
	for _ in $(seq 100); do # the tagger's hashtags first, then ours
		[ "$(sql "SELECT count(*) FROM images i JOIN users u ON u.id = i.owner_id
			WHERE u.public_id = '$uid' AND i.status = 'pending'")" = 0 ] && break
		sleep 0.1
	done
	sql "INSERT INTO image_tags (image_id, tag, source, state)
		SELECT i.id, t, 'user', 'added' FROM images i JOIN users u ON u.id = i.owner_id,
		unnest(ARRAY['Beach', 'Sunset']) t WHERE u.public_id = '$uid'
		ON CONFLICT DO NOTHING;
		UPDATE image_tags SET state = 'rejected' WHERE tag = 'Sunset' AND image_id =
		(SELECT id FROM images WHERE public_id = '$pid')" >/dev/null
	au_admin || return 1
	export JAR=adm.jar
	req GET "/admin/users/$uid"
	expect_status 200 && expect_body "<h1 class=\"photo-title\">$u</h1>" || return 1
	expect_body "/media/$pid/thumb" && expect_body '#beach</span> <span class="muted">3 photos' ||
		return 1
	expect_body '#sunset</span> <span class="muted">2 photos' || return 1
	expect_body 'Uploads today' && expect_body '3 of 12' && expect_body '<meter' || return 1
	expect_body 'aria-current="page">Users' || return 1
	expect_body "title=\"Your account\">$ADMIN</a>" || fail "the layout shows the viewed user" || return 1
	JAR=adm.jar req GET "/media/$pid/thumb"
	expect_status 200 || return 1
	au_v GET "/api/v1/admin/users/$uid" 200 || return 1
	[ "$(json 'd["user"]["image_count"], d["quota"]["uploads_today"], d["quota"]["uploads_day_limit"], d["quota"]["storage_limit"], d["quota"]["exempt"]')" = \
		"3 3 12 3000000 False" ] || fail "detail" || return 1
	# most used first: ours among them (the tagger's may tie)
	[ "$(json '(lambda t: (("#beach", 3) in t, ("#sunset", 2) in t, [c for _, c in t] == sorted((c for _, c in t), reverse=True)))([(x["hashtag"], x["count"]) for x in d["top_hashtags"]])')" = \
		"(True, True, True)" ] || fail "top hashtags" || return 1
	au_v GET "/api/v1/admin/users/$uid/images?limit=2" 200 || return 1
	[ "$(json 'len(d["images"])')" = 2 ] || return 1
	au_v GET "/api/v1/admin/users/$uid/images?limit=2&cursor=$(json 'd["next_cursor"]')" 200 || return 1
	[ "$(json 'len(d["images"]), d["next_cursor"]')" = "1 None" ] || fail "photo pages" || return 1
	au_v GET "/api/v1/admin/users/$uid/images?cursor=nope" 422 || return 1
	# an admin has no quota
	au_v GET "/api/v1/admin/users/$(au_id "$ADMIN")" 200 || return 1
	[ "$(json 'd["quota"]["exempt"], d["quota"]["storage_limit"]')" = "True None" ] || return 1
}

test_admin_users_bad_input_csrf_and_escaping() {
	u=$(au_user u.jar) || return 1
	uid=$(au_id "$u")
	hostile=hostilehostile01
	sql "INSERT INTO users (public_id, email, password_hash)
		VALUES ('$hostile', '<script>''\"&x@evil.example', 'x')" >/dev/null
	au_admin || return 1
	export JAR=adm.jar
	for q in 'sort=bogus sort' 'dir=up dir' 'joined_from=2026-02-30 joined_from' \
		'login_to=2026-13-01 login_to' 'images_min=abc images_min' \
		'images_min=5&images_max=2 images_max' 'role=root role' 'state=gone state' \
		'cursor=bm9wZQ cursor' 'cursor=not+base64 cursor'; do
		req GET "/api/v1/admin/users?${q% *}" && expect_status 422 || return 1
		[ "$(json 'list(d["errors"])')" = "['${q#* }']" ] || fail "field for ${q% *}" || return 1
	done
	au_v GET '/api/v1/admin/users?cursor=bm9wZQ' 422 || return 1
	au_v GET '/api/v1/admin/users.csv?role=root' 422 || return 1
	req GET '/admin/users?joined_to=2025-02-29'
	expect_status 400 || return 1
	req GET '/admin/users?sort=bogus'
	expect_status 400 && expect_body 'Choose a sort' || return 1
	req GET '/admin/users?cursor=bm9wZQ'
	expect_status 400 && expect_body 'start again from the first page' || return 1
	req GET '/admin/users.csv?images_max=x'
	expect_status 400 || return 1
	au_v GET /api/v1/admin/users/AAAAAAAAAAAAAAAA 404 || return 1
	au_v GET /api/v1/admin/users/short 404 || return 1
	au_write POST /api/v1/admin/users/AAAAAAAAAAAAAAAA/disable 404 || return 1
	req GET /admin/users/AAAAAAAAAAAAAAAA
	expect_status 404 || return 1
	req GET "/admin/users/$uid?cursor=x1"
	expect_status 400 || return 1
	# CSRF: none, wrong, or a cross-site origin
	au_v POST "/api/v1/admin/users/$uid/disable" 403 --data-binary '' || return 1
	au_v POST "/api/v1/admin/users/$uid/promote" 403 -H 'X-CSRF-Token: nope' --data-binary '' ||
		return 1
	req POST "/admin/users/$uid/disable" --data-urlencode confirm=yes
	expect_status 403 || return 1
	req GET "/admin/users/$uid"
	tok=$(csrf_of)
	req POST "/admin/users/$uid/delete" -H 'Origin: https://evil.example' \
		--data-urlencode "csrf=$tok" --data-urlencode "confirm_email=$u"
	expect_status 403 || return 1
	[ "$(sql "SELECT role, disabled FROM users WHERE public_id = '$uid'")" = "user|f" ] ||
		fail "a refused request changed the user" || return 1
	# a hostile email is text everywhere
	req GET '/admin/users?q=evil.example'
	expect_status 200 && expect_body '&lt;script&gt;&#39;&quot;&amp;x@evil.example' &&
		expect_no_body '<script>' || return 1
	req GET "/admin/users/$hostile"
	expect_status 200 && expect_no_body '<script>' || return 1
	au_write POST "/api/v1/admin/users/$hostile/disable" 200 || return 1
	[ "$(json 'd["email"]')" = "<script>'\"&x@evil.example" ] || return 1
	req GET "/admin/audit?target=$hostile"
	expect_status 200 && expect_no_body '<script>'
}
