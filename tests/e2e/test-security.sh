# test-security.sh: systematic security probes, generated from the app itself
# wherever possible so that a new page, form, route or parameter is covered
# without touching this file: the route table (fcgi/routes.c) and the API
# document (static/openapi.json) name the routes and their parameters, and a
# crawler collects every page reachable from the navigation and from seeded
# photo, collection, share and user pages, with every form on them.
#   CSRF on every POST form (missing, wrong, another session's token: 403 and
#   the database unchanged); stored and reflected XSS on every page and JSON
#   answer; injection strings in every GET parameter (never 5xx); another
#   user's ids on every route that takes one (always 404, nothing changed);
#   session rotation and cookie flags; path traversal at the web servers;
#   oversized requests (the workers live on).

SEC_CJ='Content-Type: application/json'
# a well-formed token that no session has
SEC_WRONG=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA

# Python starts slowly on a busy machine: the helpers here read answers
# with sed instead of lib.sh's json.

# sec_str KEY: the first string value of KEY in the JSON answer in ./b (ids
# and tokens: base64url)
sec_str() { grep -o "\"$1\":\"[A-Za-z0-9_-]*\"" b | head -n 1 | sed 's/.*:"//; s/"$//'; }

# sec_tok: the API CSRF token of the jar's session
sec_tok() { req GET /api/v1/me && sec_str csrf; }

# sec_json KEY VALUE...: a JSON object of strings (values without control
# characters)
sec_json() {
	_jo=""
	while [ $# -ge 2 ]; do
		_jv=$(printf '%s' "$2" | sed 's/\\/\\\\/g; s/"/\\"/g')
		_jo="$_jo${_jo:+,}\"$1\":\"$_jv\""
		shift 2
	done
	printf '{%s}' "$_jo"
}

# sec_req METHOD PATH [curl args...]: req, once more after a 429 (the API's
# per-user rate limit; this file makes many calls)
sec_req() {
	req "$@"
	if [ "$STATUS" = 429 ]; then
		sleep "$(sed -n 's/^Retry-After: //Ip' h | head -n 1 | tr -cd 0-9 | grep . || echo 1)"
		req "$@"
	fi
}

# sec_api METHOD PATH [JSON]: an API call with the session's CSRF header
sec_api() {
	_at=$(sec_tok)
	if [ $# -ge 3 ]; then
		sec_req "$1" "$2" -H "X-CSRF-Token: $_at" -H "$SEC_CJ" --data-binary "$3"
	else
		sec_req "$1" "$2" -H "X-CSRF-Token: $_at" --data-binary ''
	fi
}

# sec_admin JAR: a new admin (CLI) logged in in JAR; prints the email
sec_admin() {
	_ae=$(new_email)
	printf '%s\n' "$PASSWORD" | "$HT_BIN" user add --admin "$_ae" >out 2>&1 ||
		{ cat out >&2; return 1; }
	rm -f "$1"
	JAR=$1 login "$_ae" && [ "$STATUS" = 303 ] || { fail "admin login $_ae" >&2; return 1; }
	echo "$_ae"
}

# sec_user JAR [EMAIL]: a new user registered in JAR; prints the email
sec_user() {
	_ue=${2:-$(new_email)}
	rm -f "$1"
	JAR=$1 register "$_ue" && [ "$STATUS" = 303 ] || { fail "register $_ue" >&2; return 1; }
	echo "$_ue"
}

# sec_upload JAR FILE [FILENAME [CAPTION]]: a unique copy of FILE uploaded
# as JAR's user under FILENAME (sent as typed); prints the photo's id
sec_upload() {
	_uj=$1 _uf=$2 _un=${3:-$(basename "$2")} _uc=${4:-}
	cp "$_uf" up.bin && printf 'sec %s' "$(date +%s%N)" >>up.bin
	_ut=$(JAR=$_uj sec_tok)
	{
		printf -- '--SECB\r\nContent-Disposition: form-data; name="caption"\r\n\r\n%s\r\n' "$_uc"
		printf -- '--SECB\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n' "$_un"
		printf 'Content-Type: application/octet-stream\r\n\r\n'
		cat up.bin
		printf -- '\r\n--SECB--\r\n'
	} >up.body
	JAR=$_uj sec_req POST /api/v1/images -H "X-CSRF-Token: $_ut" \
		-H 'Content-Type: multipart/form-data; boundary=SECB' --data-binary @up.body
	[ "$STATUS" = 201 ] || { fail "upload of $_un as $_uj" >&2; return 1; }
	sec_str id
}

# sec_collection JAR NAME PHOTO...: a collection of JAR's user holding the
# photos; prints its id
sec_collection() {
	_cj=$1 _cn=$2; shift 2
	JAR=$_cj sec_api POST /api/v1/collections "$(sec_json name "$_cn")"
	[ "$STATUS" = 201 ] || { fail "collection $_cn as $_cj" >&2; return 1; }
	_cid=$(sec_str id)
	for _p in "$@"; do
		JAR=$_cj sec_api POST "/api/v1/collections/$_cid/images" "$(sec_json image_id "$_p")"
		[ "$STATUS" = 201 ] || { fail "add $_p to $_cid" >&2; return 1; }
	done
	echo "$_cid"
}

# sec_quiet: wait until tagd has no job queued or running (it writes to the
# tables the digest covers)
sec_quiet() {
	_qn=0
	while [ "$(sql "SELECT count(*) FROM tag_jobs WHERE state IN ('queued', 'running')")" != 0 ]; do
		_qn=$((_qn + 1))
		[ "$_qn" -lt 600 ] || { echo "  tagd still has jobs after 120 s"; return 1; }
		sleep 0.2
	done
}

# sec_digest: one line per application table (every table of the schema,
# so new ones count too): rows and the newest row version (xmin), which any
# INSERT, UPDATE or DELETE changes. Left out: rate_hits (throttle counters),
# stat_counts and stat_deltas (derived totals tagd folds on its own clock).
# Tables with read bookkeeping (last_seen_at, last_used_at) are hashed
# without those columns instead.
sec_digest() {
	if [ ! -s digest.sql ]; then
		sql "SELECT c.relname, string_agg(a.attname, ',' ORDER BY a.attnum)
		     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		     WHERE n.nspname = 'public' AND c.relkind = 'r'
		       AND c.relname NOT IN ('rate_hits', 'stat_counts', 'stat_deltas')
		     GROUP BY c.relname ORDER BY 1" | while IFS='|' read -r _dt _dc; do
			case ",$_dc," in
			*,last_seen_at,* | *,last_used_at,*)
				_dk=$(echo "$_dc" | tr ',' '\n' | grep -vxE 'last_seen_at|last_used_at' | paste -sd,)
				echo "SELECT '$_dt ' || count(*) || ' ' || coalesce(md5(string_agg(row($_dk)::text, '|' ORDER BY row($_dk)::text)), '') FROM $_dt"
				;;
			*) echo "SELECT '$_dt ' || count(*) || ' ' || coalesce(max(xmin::text::bigint), 0) FROM $_dt" ;;
			esac
		done | paste -sd'\n' | sed '2,$s/^/UNION ALL /' >digest.sql
	fi
	sql "$(cat digest.sql)" | sort
}

# sec_same_digest WHAT: fail unless the database matches digest.0
sec_same_digest() {
	sec_digest >digest.now
	cmp -s digest.0 digest.now && return 0
	echo "  $1 changed the database:"
	diff digest.0 digest.now | sed 's/^/    /'
	return 1
}

# sec_routes: the route table as "METHOD PATH FLAGS PARAMS" lines, PARAMS as
# name:KIND,... ("-" for none), parsed from fcgi/routes.c
sec_routes() {
	python3 - "$ROOT/fcgi/routes.c" <<'PY'
import re, sys
src = re.sub(r'"(?:\\.|[^"\\])*"|/\*.*?\*/', lambda m: m.group(0) if m.group(0)[0] == '"' else "",
             open(sys.argv[1]).read(), flags=re.S)
macros = {}
for m in re.finditer(r"^#define\s+(\w+)\s+((?:.*\\\n)*.*)$", src, re.M):
    macros[m.group(1)] = m.group(2).replace("\\\n", " ")
src = re.sub(r"^#define.*(?:\\\n.*)*$", "", src, flags=re.M)
for k in sorted(macros, key=len, reverse=True):
    src = re.sub(r"\b%s\b" % k, macros[k], src)
def params(body):
    return re.findall(r'\{"(\w+)",\s*(V_\w+),\s*\d+,\s*[01]\}', body)
named = {m.group(1): params(m.group(2)) for m in
         re.finditer(r"static const struct param (\w+)\[\]\s*=\s*\{(.*?)\};", src, re.S)}
table = src[src.index("static const struct route routes[]"):]
table = table[:table.index("\n};")]
entry = re.compile(r'\{\s*"([A-Z]+)",\s*"([^"]+)",\s*\w+,\s*([^,]+),\s*'
                   r'(\w+|\(const struct param\[\]\)\s*\{.*?\{NULL,\s*0,\s*0,\s*0\}\s*\})\s*\}', re.S)
n = 0
for m in entry.finditer(table):
    n += 1
    ps = named[m.group(4)] if m.group(4) in named else params(m.group(4))
    flags = re.sub(r"[\s()]", "", m.group(3))
    print(m.group(1), m.group(2), flags, ",".join("%s:%s" % p for p in ps) or "-")
if n != len(re.findall(r'\{\s*"[A-Z]+",\s*"/', table)):
    sys.exit("routes.c: parsed %d routes of %d" % (n, len(re.findall(r'\{\s*"[A-Z]+",\s*"/', table))))
PY
}

# sec_kind PATH-PATTERN N: the kind of id the Nth '*' of a route stands
# for, from the segment before it (photo, collection, token, user, share,
# reset); "?" for a route this file does not know yet
sec_kind() {
	echo "$1" | tr '/' '\n' | awk -v n="$2" '
		$0 == "*" { if (++i == n) { print k[prev] ? k[prev] : "?"; exit } }
		{ prev = $0 }
		BEGIN { k["p"] = k["media"] = k["images"] = k["moderation"] = k["jobs"] = k["t"] = "photo"
		        k["c"] = k["collections"] = "collection"; k["tokens"] = "token"
		        k["users"] = "user"; k["s"] = "share"; k["reset"] = "reset" }'
}

# sec_fill PATTERN: the route with each '*' replaced by the id variable of
# its kind (ID_photo, ID_collection, ...; set by the caller); fails on an
# unknown kind
sec_fill() {
	_fp=$1 _fo="" _fn=0
	while :; do
		case $_fp in
		*'*'*)
			_fn=$((_fn + 1))
			_fk=$(sec_kind "$1" "$_fn")
			[ "$_fk" != "?" ] || { echo "  route $1: no id kind for its '*' number $_fn (teach sec_kind)"; return 1; }
			eval "_fv=\${ID_$_fk:-}"
			[ -n "$_fv" ] || { echo "  route $1: no $_fk id seeded"; return 1; }
			_fo="$_fo${_fp%%\**}$_fv"
			_fp=${_fp#*\*}
			;;
		*) echo "$_fo$_fp"; return 0 ;;
		esac
	done
}

# sec_crawl ROLE START...: as $JAR, visit the START pages and every page
# linked from them, breadth first, one per path pattern (ids as '*'), at
# most 60. The HTML pages visited go to pages.ROLE (their bodies to
# ROLE.N.html), their POST forms to forms.ROLE, one per action pattern, as
# "action TAB enctype TAB urlencoded-fields TAB page"; fields keep their
# values, empty ones get one that would pass (a password, x, on).
sec_crawl() {
	python3 - "$BASE" "${JAR:-jar}" "$PASSWORD" "$@" <<'PY'
import re, subprocess, sys, urllib.parse
from html.parser import HTMLParser
base, jar, password, role, starts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
defaults = {"password": password, "email": "x@example.org", "number": "1", "date": "",
            "hidden": "", "submit": "", "file": "@"}
skip = re.compile(r"^/(static|media|api|export)/|\.csv$|\.json$|/xmp$|^/s/[^/]+/t/")
pattern = lambda path: re.sub(r"/[A-Za-z0-9_-]{16,}", "/*", path.split("?")[0])
class P(HTMLParser):
    def __init__(s, page):
        super().__init__()
        s.page, s.links, s.forms, s.f, s.sel = page, [], [], None, None
    def add(s, name, value):
        if all(n != name for n, _ in s.f["fields"]):
            s.f["fields"].append((name, value))
    def handle_starttag(s, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            s.links.append(a["href"])
        elif tag == "form":
            s.f = {"method": (a.get("method") or "get").lower(), "enctype": a.get("enctype", ""),
                   "action": urllib.parse.urljoin(s.page, a.get("action") or s.page), "fields": []}
        elif s.f is None:
            return
        elif tag == "option" and s.sel:
            s.add(s.sel, a.get("value", ""))
            s.sel = None
        elif not a.get("name"):
            return
        elif tag == "input":
            t = (a.get("type") or "text").lower()
            v = a.get("value") or ("on" if t in ("checkbox", "radio") else defaults.get(t, "x"))
            s.add(a["name"], "@" if t == "file" else v)
        elif tag == "textarea":
            s.add(a["name"], "x")
        elif tag == "select":
            s.sel = a["name"]
        elif tag == "button":
            s.add(a["name"], a.get("value", ""))
    def handle_endtag(s, tag):
        if tag == "form" and s.f is not None:
            s.forms.append(s.f)
            s.f = None
queue, queued, pages, forms, actions = list(starts), {pattern(u) for u in starts}, [], [], set()
for url in queue:
    if len(pages) >= 60:
        break
    st = subprocess.run(["curl", "-sS", "-o", "b", "-D", "h", "-w", "%{http_code}", "-b", jar,
                         "-c", jar, base + url], capture_output=True, text=True).stdout
    head = open("h", encoding="latin-1").read().lower()
    if st != "200" or "content-type: text/html" not in head:
        continue
    body = open("b", encoding="utf-8", errors="replace").read()
    pages.append(url)
    open("%s.%d.html" % (role, len(pages)), "w").write(body)
    p = P(url)
    p.feed(body)
    for href in p.links:
        u = urllib.parse.urlsplit(urllib.parse.urljoin(url, href))
        if u.scheme or u.netloc or not u.path.startswith("/") or skip.search(u.path) \
           or pattern(u.path) in queued:
            continue
        queued.add(pattern(u.path))
        queue.append(u.path + ("?" + u.query if u.query else ""))
    for f in p.forms:
        if f["method"] == "post" and pattern(f["action"]) not in actions:
            actions.add(pattern(f["action"]))
            forms.append("\t".join([f["action"], f["enctype"] or "-",
                                    urllib.parse.urlencode(f["fields"]) or "-", url]))
open("pages." + role, "w").write("".join(u + "\n" for u in pages))
open("forms." + role, "w").write("".join(f + "\n" for f in forms))
PY
}

# sec_seed: owner (own.jar) with two photos in a shared collection, a second
# collection and a personal token; an admin (adm.jar) with a photo and a
# collection, and a reset link for the owner; the owner's second photo waits
# in the moderation queue and the first has a failed tagging job. Made once
# per run (tagging takes a while) and kept in $T/sec; each test gets the
# jars. Sets ID_photo, ID_collection, ID_token, ID_user, ID_share, ID_reset,
# OWNER.
sec_seed() {
	if [ ! -f "$T/sec/seed" ]; then
		OWNER=$(sec_user own.jar) && sec_admin adm.jar >/dev/null || return 1
		ID_photo=$(sec_upload own.jar "$FIX/cat.jpg") &&
			_flagged=$(sec_upload own.jar "$FIX/palette.png") &&
			ID_collection=$(sec_collection own.jar Holidays "$ID_photo" "$_flagged") &&
			sec_collection own.jar Empty >/dev/null || return 1
		JAR=own.jar sec_api POST "/api/v1/collections/$ID_collection/share" &&
			ID_share=$(sec_str token)
		JAR=own.jar sec_api POST /api/v1/me/tokens '{"name":"laptop","scopes":["read"]}'
		[ "$STATUS" = 201 ] || { fail "token" >&2; return 1; }
		ID_token=$(JAR=own.jar req GET /api/v1/me/tokens && sec_str id)
		_ap=$(sec_upload adm.jar "$FIX/horse.png") &&
			sec_collection adm.jar Admin "$_ap" >/dev/null || return 1
		sec_quiet || return 1
		sql "UPDATE images SET flagged = true, nsfw = 0.9 WHERE public_id = '$_flagged'" >/dev/null
		sql "UPDATE tag_jobs SET state = 'failed', last_error = 'test'
		     WHERE image_id = (SELECT id FROM images WHERE public_id = '$ID_photo')" >/dev/null
		ID_user=$(sql "SELECT public_id FROM users WHERE email = '$OWNER'")
		JAR=adm.jar sec_api POST "/api/v1/admin/users/$ID_user/reset-password"
		[ "$STATUS" = 201 ] || { fail "reset link" >&2; return 1; }
		ID_reset=$(sec_str token)
		mkdir -p "$T/sec" && cp own.jar adm.jar "$T/sec/" &&
			for v in OWNER ID_photo ID_collection ID_token ID_user ID_share ID_reset; do
				eval "echo \"$v=\$$v\""
			done >"$T/sec/seed"
	fi
	cp "$T/sec/own.jar" "$T/sec/adm.jar" .
	# shellcheck source=/dev/null
	. "$T/sec/seed"
}

test_security_csrf_on_every_form() {
	sec_seed || return 1
	JAR=anon.jar sec_crawl anon / /login /register "/s/$ID_share" "/reset/$ID_reset" || return 1
	JAR=own.jar sec_crawl user / "/p/$ID_photo" "/c/$ID_collection" || return 1
	JAR=adm.jar sec_crawl admin / /admin "/admin/users/$ID_user" /admin/moderation || return 1
	# another session's valid token: per-session tokens, not one per site
	JAR=own.jar req GET /account && own_tok=$(csrf_of)
	JAR=adm.jar req GET /account && adm_tok=$(csrf_of)
	sec_quiet && sec_digest >digest.0 || return 1
	nforms=0 nposts=0
	for role in anon user admin; do
		case $role in anon) jar=anon.jar foreign=$own_tok ;; user) jar=own.jar foreign=$adm_tok ;;
		admin) jar=adm.jar foreign=$own_tok ;; esac
		while IFS='	' read -r action enctype fields from; do
			nforms=$((nforms + 1))
			# the form's fields, less its token (already urlencoded)
			fields=$(echo "$fields" | sed 's/^-$//; s/\(^\|&\)csrf=[^&]*//; s/^&//')
			for how in missing wrong foreign; do
				case $how in missing) tok="" ;; wrong) tok=$SEC_WRONG ;; foreign) tok=$foreign ;; esac
				if [ "$enctype" = multipart/form-data ]; then
					set --
					for kv in $(echo "$fields" | tr '&' '\n'); do
						case $kv in *=%40) set -- "$@" -F "${kv%%=*}=@$FIX/cat.png" ;;
						*) set -- "$@" -F "${kv%%=*}=x" ;; esac
					done
					[ -z "$tok" ] || set -- "$@" -F "csrf=$tok"
				else
					set -- --data "$fields${tok:+${fields:+&}csrf=$tok}"
				fi
				JAR=$jar req POST "$action" "$@"
				nposts=$((nposts + 1))
				[ "$STATUS" = 403 ] ||
					fail "$role: POST $action (form on $from) with $how csrf: expected 403, got $STATUS" ||
					return 1
			done
			sec_same_digest "$role: POST $action (form on $from) without a valid csrf" || return 1
		done <"forms.$role"
	done
	# the sessions the forms would have ended are still there
	JAR=own.jar req GET /account && expect_status 200 || return 1
	JAR=adm.jar req GET /admin && expect_status 200 || return 1
	echo "  pages: $(cat pages.anon pages.user pages.admin | wc -l) (anon $(wc -l <pages.anon), user $(wc -l <pages.user), admin $(wc -l <pages.admin)); forms: $nforms; POSTs: $nposts"
	cut -f1 forms.anon forms.user forms.admin | sed 's/^/    /'
	[ "$nforms" -ge 20 ] || fail "only $nforms forms found: the crawl is broken"
}

# sec_payload LABEL: markup, an attribute break, a template tag and a
# textarea end in one string of at most 100 characters; LABEL shows,
# escaped, where the text was displayed
sec_payload() {
	printf '%s' "\"><img src=x onerror=alert($1)><script>alert($1)</script>'{{csrf}}xssm5k</textarea><b id=x6>"
}

# sec_fname LABEL: the payload as a file name (no '"': it ends the name in
# the multipart header)
sec_fname() {
	printf '%s' "<img src=x onerror=alert($1)><script>alert($1)</script>'{{csrf}}xssm5k</textarea><b id=x6>.jpg"
}

# sec_clean WHAT: ./b (HTML) shows no payload unescaped: no tag or attribute
# of ours, no javascript: URL, no template tag expanded (the session's CSRF
# token right before the marker)
sec_clean() {
	_bad=$(grep -noiE "<script>alert|<img src=x|<b id=x6>|'onmouseover=|(href|src|action|formaction)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*javascript:" b | head -3)
	[ -z "$_bad" ] || fail "$1: payload unescaped: $_bad" || return 1
	! grep -qE '[A-Za-z0-9_-]{43}xssm5k' b ||
		fail "$1: a template tag in stored or sent text was expanded ({{csrf}} became the token)"
}

test_security_stored_and_reflected_xss() {
	sec_seed || return 1
	X=$(sec_user x.jar) || return 1
	stored="" refused=""
	# keep VAR STATUS: note whether the app took the text
	keep() { if [ "$2" -lt 400 ]; then stored="$stored $1"; else refused="$refused $1($2)"; fi; }
	px=$(sec_upload x.jar "$FIX/cat.jpg" "$(sec_fname fn)" "$(sec_payload cap)") || return 1
	keep filename+caption 201
	px2=$(sec_upload x.jar "$FIX/horse.png" "$(sec_fname fn2)") &&
		px3=$(sec_upload x.jar "$FIX/palette.png" "$(sec_fname fn3)") || return 1
	JAR=x.jar sec_api POST "/api/v1/images/$px/tags" "$(sec_json tag "$(sec_payload tag)")"
	keep api-hashtag "$STATUS"
	JAR=x.jar req GET "/p/$px" && JAR=x.jar form "/p/$px/tags" action=add "tag=$(sec_payload ptag)"
	keep page-hashtag "$STATUS"
	cx=$(sec_collection x.jar "$(sec_payload col)" "$px" "$px2") || return 1
	keep collection-name 201
	JAR=x.jar sec_api POST "/api/v1/collections/$cx/share" && sx=$(sec_str token)
	JAR=x.jar sec_api POST /api/v1/me/tokens "$(sec_json name "$(sec_payload tok)" scopes read)"
	keep token-name "$STATUS"
	JAR=x.jar sec_api PUT /api/v1/me/prefs "$(sec_json always "$(sec_payload alw)" banned "$(sec_payload ban)")"
	keep prefs "$STATUS"
	# an email may hold ' & { } ( ) =; not < > " (refused)
	e="x'onmouseover=alert(eml)&{{csrf}}xssm5k$(date +%N)@example.org"
	JAR=e.jar register "$e"
	keep email "$STATUS"
	eid=$(sql "SELECT public_id FROM users WHERE email = lower('$(echo "$e" | sed "s/'/''/g")')")
	[ -n "$eid" ] || eid=$ID_user
	JAR=adm.jar sec_api POST "/api/v1/admin/users/$eid/reset-password" # an audit entry naming it
	# moderation: one photo removed with a reason, one waiting
	sec_quiet || return 1
	sql "UPDATE images SET flagged = true, nsfw = 0.9 WHERE public_id IN ('$px2', '$px3')" >/dev/null
	JAR=adm.jar sec_api POST "/api/v1/admin/moderation/$px2/remove" "$(sec_json reason "$(sec_payload rsn)")"
	keep moderation-reason "$STATUS"
	echo "  stored:$stored; refused:$refused"
	# every page that shows them, and everything linked from there
	xid=$(sql "SELECT public_id FROM users WHERE email = '$X'")
	JAR=x.jar sec_crawl x / "/p/$px" "/p/$px2" "/c/$cx" "/history?q=xssm5k" /account || return 1
	JAR=anon.jar sec_crawl anon "/s/$sx" || return 1
	JAR=adm.jar sec_crawl adm / "/admin/users?q=xssm5k" "/admin/users/$xid" "/admin/users/$eid" \
		/admin/moderation /admin/audit "/admin/audit?target=$xid" || return 1
	: >all
	for who in x anon adm; do
		n=0
		while read -r p; do
			n=$((n + 1))
			cp "$who.$n.html" b && sec_clean "$who: GET $p" || return 1
			cat b >>all
		done <"pages.$who"
	done
	npages=$(cat pages.x pages.anon pages.adm | wc -l)
	for l in $stored; do
		case $l in filename+caption) l=cap ;; api-hashtag) l=tag ;; page-hashtag) l=ptag ;;
		collection-name) l=col ;; token-name) l=tok ;; prefs) l=alw ;; email) l=eml ;;
		moderation-reason) l=rsn ;; esac
		grep -q "alert($l)" all || echo "  note: stored $l is shown on none of the $npages pages"
	done
	# reflected: every parameter of every GET page (fcgi/routes.c), as the
	# user the route is for
	ID_photo=$px ID_collection=$cx ID_share=$sx ID_user=$xid nrefl=0
	sec_routes >routes || return 1
	while read -r m path flags params; do
		[ "$m" = GET ] && [ "$params" != - ] || continue
		case $flags in *R_API*) continue ;; esac
		case $flags in *R_ADMIN*) jar=adm.jar ;; *R_SESSION*) jar=x.jar ;; *) jar=anon.jar ;; esac
		url=$(sec_fill "$path") || { echo "$url"; return 1; }
		for p in $(echo "$params" | tr ',' '\n' | cut -d: -f1); do
			JAR=$jar req GET "$url" -G --data-urlencode "$p=$(sec_payload rfl)"
			nrefl=$((nrefl + 1))
			[ "${STATUS#5}" = "$STATUS" ] || fail "GET $url ?$p=payload: $STATUS" || return 1
			sec_clean "GET $url with $p=payload" || return 1
		done
	done <routes
	JAR=anon.jar req GET /login -G --data-urlencode 'next=javascript:alert(4)' && sec_clean "login next" ||
		return 1
	# JSON answers: every GET API route that shows this user's things stays JSON
	njson=0
	while read -r m path flags params; do
		[ "$m" = GET ] || continue
		case $flags in *R_API*) ;; *) continue ;; esac
		case $flags in *R_LOCAL* | *R_NODB*) continue ;; *R_ADMIN*) jar=adm.jar ;; *) jar=x.jar ;; esac
		url=$(sec_fill "$path") || { echo "$url"; return 1; }
		JAR=$jar sec_req GET "$url"
		njson=$((njson + 1))
		case $(sed -n 's/^Content-Type: //Ip' h) in
		*json*) cp b "answer.$njson.json" && echo "$url" >"answer.$njson.url" ;;
		text/html*) fail "GET $url: an API answer as HTML" || return 1 ;;
		esac
	done <routes
	python3 - <<'PY' || return 1
import glob, json, sys
bad = 0
for f in sorted(glob.glob("answer.*.json")):
    try:
        json.load(open(f))
    except ValueError as e:
        print("  GET %s: not valid JSON (%s)" % (open(f[:-4] + "url").read().strip(), e))
        bad = 1
sys.exit(bad)
PY
	echo "  HTML pages checked: $npages; reflected parameters: $nrefl; API answers: $njson"
}

# sec_pool N: N more admins logged in (pool1.jar ...): the API's rate limit
# is per user
sec_pool() {
	_pn=0
	while [ "$_pn" -lt "$1" ]; do
		_pn=$((_pn + 1))
		sec_admin "pool$_pn.jar" >/dev/null || return 1
	done
}

test_security_injection_strings_in_every_get_param() {
	sec_seed && sec_pool 4 || return 1
	sec_routes >routes || return 1
	# the API document's query parameters too (those of a route the table
	# has; a documented route the table lacks is test-contract's business)
	python3 - "$ROOT/static/openapi.json" >doc <<'PY' || return 1
import json, re, sys
d = json.load(open(sys.argv[1]))
refs = d.get("components", {}).get("parameters", {})
for path, ops in d["paths"].items():
    common = ops.get("parameters", [])
    for m, op in ops.items():
        if m != "get":
            continue
        for p in common + op.get("parameters", []):
            if "$ref" in p:
                p = refs[p["$ref"].split("/")[-1]]
            if p.get("in") == "query":
                print(re.sub(r"\{[^}]*\}", "*", path), p["name"])
PY
	users=$(sql "SELECT count(*) FROM users") tables=$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
	long=$(head -c 3000 /dev/zero | tr '\0' x)
	# raw query-string values: quotes, SQL, encoded quote, backslash, NUL,
	# invalid UTF-8, overflowing and negative numbers, a long value
	set -- "%27%20OR%20%271%27%3D%271" "1%3B%20DROP%20TABLE%20users--" "%27" "%2527" "%5C" \
		"a%00b" "%FF%FE" "99999999999999999999" "-1" "$long%27"
	# one curl per identity reads a list of URLs (a process per request is
	# slow); the API's per-user rate limit spreads admin calls over four
	# admins and the owner's over three personal tokens
	for k in 1 2 3; do
		JAR=own.jar sec_api POST /api/v1/me/tokens "$(sec_json name "probe $k" scopes read)"
		[ "$STATUS" = 201 ] || fail "token" || return 1
		printf 'header = "Authorization: Bearer %s"\n' "$(sec_str token)" >"urls.tok$k"
	done
	for k in 1 2 3 4; do echo "cookie = \"pool$k.jar\"" >"urls.pool$k"; done
	echo 'cookie = "own.jar"' >urls.own && echo 'cookie = "anon.jar"' >urls.anon
	nroutes=0 nparams=0 i=0
	while read -r m path flags params; do
		[ "$m" = GET ] || continue
		case $flags in *R_LOCAL*) continue ;; esac
		names=$( { echo "$params" | tr ',' '\n' | cut -d: -f1 | grep -vx -- -
			awk -v p="$path" '$1 == p { print $2 }' doc; } | sort -u)
		url=$(sec_fill "$path") || { echo "$url"; return 1; }
		nroutes=$((nroutes + 1))
		for name in $names; do
			nparams=$((nparams + 1))
			for v in "$@"; do
				i=$((i + 1))
				case $flags in
				*R_ADMIN*) who=pool$((i % 4 + 1)) ;;
				*R_API*) who=tok$((i % 3 + 1)) ;;
				*R_SESSION*) who=own ;;
				*) who=anon ;;
				esac
				printf 'url = "%s"\noutput = "/dev/null"\n' "$BASE$url?$name=$v" >>"urls.$who"
			done
		done
		# and in the id itself
		case $path in *'*'*)
			printf 'url = "%s"\noutput = "/dev/null"\n' \
				"$BASE$(echo "$path" | sed 's/\*/%27%20OR%20%271%27%3D%271/')" >>urls.own ;;
		esac
	done <routes
	: >statuses
	for f in urls.*; do
		k=0
		while [ "$k" -lt 4 ]; do
			k=$((k + 1))
			curl -sS -K "$f" -w '%{http_code} %{url_effective}\n' >out 2>curl.err
			grep -v '^429 ' out >>statuses
			grep '^429 ' out | cut -d' ' -f2- >retry
			[ -s retry ] || break
			grep -v '^url\|^output' "$f" >"$f.retry"
			sed 's/.*/url = "&"\noutput = "\/dev\/null"/' retry >>"$f.retry"
			mv "$f.retry" "$f"
			sleep 3
		done
		[ ! -s retry ] || fail "still rate limited after 4 tries: $(head -n 3 retry)" || return 1
	done
	nreq=$(grep -c . statuses)
	bad=$(grep -v '^[1234][0-9][0-9] ' statuses | cut -c1-120 | head -5)
	[ -z "$bad" ] || fail "answers that are not 1xx-4xx (status url):
$bad" || return 1
	[ "$(sql "SELECT count(*) FROM users")" = "$users" ] || fail "the users count changed" || return 1
	[ "$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = "$tables" ] ||
		fail "the tables changed" || return 1
	echo "  GET routes: $nroutes; parameters: $nparams; values each: $#; requests: $nreq"
	[ "$nparams" -ge 60 ] || fail "only $nparams parameters found: the route parser is broken"
}

test_security_other_users_ids_are_404() {
	sec_seed || return 1
	# A is the seeded owner (own.jar); B has the same kinds of things
	sec_user b.jar >/dev/null && pb=$(sec_upload b.jar "$FIX/cat-gray.jpg") &&
		cb=$(sec_collection b.jar Mine "$pb") || return 1
	JAR=b.jar sec_api POST /api/v1/me/tokens "$(sec_json name b scopes 'read upload tags')"
	[ "$STATUS" = 201 ] || fail "B's token" || return 1
	bearer=$(grep -o '"token":"[^"]*"' b | sed 's/.*:"//; s/"$//')
	tb=$(JAR=b.jar req GET /api/v1/me/tokens && sec_str id)
	JAR=b.jar req GET /account && page_tok=$(csrf_of)
	api_tok=$(JAR=b.jar sec_tok)
	sec_routes >routes && sec_quiet && sec_digest >digest.0 || return 1
	# a hashtag A's photo has, so that only the owner check can refuse
	tag=$(sql "SELECT tag FROM image_tags WHERE image_id = (SELECT id FROM images WHERE public_id = '$ID_photo') LIMIT 1")
	tag=${tag:-x}
	nroutes=0 nreq=0 nadmin=0 skipped=""
	while read -r m path flags params; do
		case $flags in *R_ADMIN* | *R_LOCAL*) nadmin=$((nadmin + 1)); continue ;; esac
		case $path in /s/* | /reset/*) skipped="$skipped $m:$path"; continue ;; esac
		# the id slots: each '*', then the parameters that name a photo or collection
		slots="" n=0
		while [ "$n" -lt "$(echo "$path" | tr '/' '\n' | grep -cx '\*')" ]; do
			n=$((n + 1)) slots="$slots s$n:$(sec_kind "$path" "$n")"
		done
		for p in $(echo "$params" | tr ',' '\n'); do
			case ${p%%:*} in image | image_id) slots="$slots ${p%%:*}:photo" ;;
			collection) slots="$slots collection:collection" ;; esac
		done
		[ -n "$slots" ] || continue
		case $slots in *:\?*) fail "$m $path: no id kind for one of$slots (teach sec_kind)" || return 1 ;; esac
		nroutes=$((nroutes + 1))
		nslots=$(echo "$slots" | wc -w)
		case $nslots in 1) variants=A ;; 2) variants="AA AB BA" ;; *) variants="AAA ABB BAB BBA" ;; esac
		for variant in $variants; do
			url=$path body="" k=0
			for slot in $slots; do
				k=$((k + 1))
				who=$(echo "$variant" | cut -c"$k")
				case ${slot#*:}:$who in
				photo:A) id=$ID_photo ;; photo:B) id=$pb ;; collection:A) id=$ID_collection ;;
				collection:B) id=$cb ;; token:A) id=$ID_token ;; token:B) id=$tb ;;
				esac
				case ${slot%%:*} in
				s[0-9]*) url=$(echo "$url" | sed "s/\*/$id/") ;;
				*) body="$body ${slot%%:*}=$id" ;;
				esac
			done
			# the other parameters: values that would pass
			for p in $(echo "$params" | tr ',' '\n' | grep -v -e '^-$' -e '^image:' -e '^image_id:' -e '^collection:'); do
				case $p in order:*) continue ;; tag:*) v=$tag ;; state:*) v=accepted ;; action:*) v=add ;; confirm:* | *:V_FLAG) v=yes ;; *:V_UINT) v=1 ;;
				*:V_DATE) v=2024-01-01 ;; platform:*) v=instagram ;; format:*) v=jpeg ;; *) v=x ;; esac
				body="$body ${p%%:*}=$v"
			done
			case $m:$flags in
			GET:*) set -- ;;
			*:*R_API*)
				json=$(eval "sec_json $(for kv in $body; do printf "'%s' '%s' " "${kv%%=*}" "${kv#*=}"; done)")
				set -- -H "$SEC_CJ" --data-binary "$json" ;;
			*)
				set -- --data "csrf=$page_tok"
				for kv in $body; do set -- "$@" --data-urlencode "$kv"; done ;;
			esac
			case $flags in
			*R_API*) JAR=b.jar sec_req "$m" "$url" -H "X-CSRF-Token: $api_tok" "$@" ;;
			*) JAR=b.jar sec_req "$m" "$url" "$@" ;;
			esac
			nreq=$((nreq + 1))
			[ "$STATUS" = 404 ] || fail "B's session: $m $url ($variant:$body): expected 404, got $STATUS" ||
				return 1
			case $flags in *R_API*)
				JAR=/dev/null sec_req "$m" "$url" -H "Authorization: Bearer $bearer" "$@"
				nreq=$((nreq + 1))
				# a scope no token has is refused before any lookup
				want=404
				case $flags in *R_S_ACCOUNT*) want=403 ;; esac
				[ "$STATUS" = "$want" ] ||
					fail "B's token: $m $url ($variant:$body): expected $want, got $STATUS" || return 1 ;;
			esac
		done
	done <routes
	sec_same_digest "B's requests" || return 1
	JAR=own.jar req GET "/media/$ID_photo/thumb" && expect_status 200 || return 1
	echo "  routes with ids: $nroutes; requests: $nreq; left out: $nadmin admin-only routes and the capability links$skipped"
	[ "$nroutes" -ge 25 ] || fail "only $nroutes routes with ids: the route parser is broken"
}

# sec_cookie NAME: the value of the cookie NAME set by the answer in ./h
sec_cookie() { sed -n "s/^Set-Cookie: $1=\\([^;]*\\).*/\\1/Ip" h | tail -n 1; }

test_security_session_rotation_and_cookie_flags() {
	email=$(sec_user v.jar) && att=$(sec_user att.jar) || return 1
	sed -n 's/.*	ht_session	//p' att.jar >att.tok
	: >cookies
	# an unknown token planted before login: cleared, never adopted
	rm -f v.jar
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tht_session\t%s\n' "$SEC_WRONG" >v.jar
	JAR=v.jar req GET /login && grep -i '^Set-Cookie' h >>cookies
	JAR=v.jar form /login "email=$email" "password=$PASSWORD" && expect_status 303 || return 1
	grep -i '^Set-Cookie' h >>cookies
	new=$(sec_cookie ht_session)
	[ -n "$new" ] && [ "$new" != "$SEC_WRONG" ] || fail "login kept the planted token" || return 1
	# a valid token of the attacker's planted: login gives a new one and ends the old
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tht_session\t%s\n' "$(cat att.tok)" >v.jar
	JAR=v.jar req GET /account && expect_body "$att" || return 1
	JAR=v.jar req GET /login && expect_status 303 || return 1 # logged in: no form
	JAR=v.jar req GET /account && tok=$(csrf_of)
	JAR=v.jar req POST /login --data-urlencode "csrf=$tok" --data-urlencode "email=$email" \
		--data-urlencode "password=$PASSWORD" && expect_status 303 || return 1
	grep -i '^Set-Cookie' h >>cookies
	new=$(sec_cookie ht_session)
	[ -n "$new" ] && [ "$new" != "$(cat att.tok)" ] || fail "login over a session kept its token" ||
		return 1
	JAR=/dev/null req GET /api/v1/me -H "Cookie: ht_session=$(cat att.tok)" && expect_status 401 ||
		fail "the session replaced at login still works" || return 1
	JAR=/dev/null req GET /api/v1/me -H "Cookie: ht_session=$new" && expect_status 200 &&
		expect_body "$email" || return 1
	# logout (page, then API) ends the session on the server: replaying the cookie is logged out
	JAR=v.jar req GET /account && JAR=v.jar form /logout && expect_status 303 || return 1
	grep -i '^Set-Cookie' h >>cookies
	JAR=/dev/null req GET /account -H "Cookie: ht_session=$new" && expect_status 303 &&
		expect_header 'Location: /login' || fail "the cookie still works after logout" || return 1
	JAR=/dev/null req GET /api/v1/me -H "Cookie: ht_session=$new" && expect_status 401 || return 1
	rm -f w.jar
	JAR=w.jar login "$email" && s2=$(sec_cookie ht_session) && t2=$(JAR=w.jar sec_tok) || return 1
	JAR=w.jar req DELETE /api/v1/session -H "X-CSRF-Token: $t2" && expect_status 204 || return 1
	JAR=/dev/null req GET /api/v1/me -H "Cookie: ht_session=$s2" && expect_status 401 || return 1
	# flags of every cookie set above; Secure comes from cookie_secure (off in
	# this stack), never from what the request claims
	JAR=z.jar req GET /login -H 'X-Forwarded-Proto: https' -H 'Forwarded: proto=https'
	grep -i '^Set-Cookie' h >>cookies
	[ "$(grep -c . cookies)" -ge 5 ] || fail "too few cookies seen: $(cat cookies)" || return 1
	while read -r line; do
		case $line in *'; HttpOnly'*) ;; *) fail "no HttpOnly: $line" || return 1 ;; esac
		case $line in *'; SameSite=Lax'* | *'; SameSite=Strict'*) ;; *) fail "no SameSite: $line" || return 1 ;; esac
		case $line in *'; Path=/;'* | *'; Path=/') ;; *) fail "not Path=/: $line" || return 1 ;; esac
		case $line in *'; Secure'*) fail "Secure without cookie_secure: $line" || return 1 ;; esac
	done <cookies
	echo "  cookies checked: $(grep -c . cookies) ($(sed 's/^Set-Cookie: \([a-z_]*\)=.*/\1/I' cookies | sort -u | paste -sd' '))"
}

# sec_fcgi SOCKET PATH: GET PATH from a FastCGI worker directly; the answer's
# headers and body on stdout
sec_fcgi() {
	python3 - "$1" "$2" <<'PY'
import socket, struct, sys
def rec(t, content=b""):
    return struct.pack(">BBHHBB", 1, t, 1, len(content), 0, 0) + content
def ln(n):
    return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
env = {"REQUEST_METHOD": "GET", "REQUEST_URI": sys.argv[2], "SCRIPT_NAME": sys.argv[2],
       "QUERY_STRING": "", "SERVER_SOFTWARE": "test", "SERVER_PROTOCOL": "HTTP/1.1",
       "GATEWAY_INTERFACE": "CGI/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1"}
params = b"".join(ln(len(k)) + ln(len(v)) + k.encode() + v.encode() for k, v in env.items())
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(rec(1, struct.pack(">HB5x", 1, 0)) + rec(4, params) + rec(4) + rec(5))
data = b""
while True:
    c = s.recv(65536)
    if not c:
        break
    data += c
out, i = b"", 0
while i + 8 <= len(data):
    _, t, _, n, pad = struct.unpack(">BBHHB", data[i:i + 7])
    if t == 6:
        out += data[i + 8:i + 8 + n]
    i += 8 + n + pad
sys.stdout.write(out.decode("utf-8", "replace"))
PY
}

test_security_secure_cookies_when_configured() {
	# one more worker, on its own socket, with cookie_secure = 1 (the
	# setting a deployment behind TLS uses)
	grep -v '^metrics_file' "$HASHTAGGER_CONF" >secure.conf && echo "cookie_secure = 1" >>secure.conf
	user=""
	if [ "$(id -u)" = 0 ]; then
		chgrp www-data secure.conf && chmod 640 secure.conf && chmod 755 . &&
			user="-u www-data -g www-data"
	fi
	# shellcheck disable=SC2086
	HASHTAGGER_CONF=$PWD/secure.conf HASHTAGGER_TEMPLATES="$ROOT/templates" HASHTAGGER_SQL="$ROOT/sql" \
		spawn-fcgi -s "$PWD/secure.sock" -M 0666 $user -F 1 -P "$PWD/secure.pid" -- "$HT_BIN" \
		>spawn.log 2>&1 || { cat spawn.log; return 1; }
	pid=$(cat secure.pid)
	n=0
	while [ ! -S secure.sock ] && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	sec_fcgi "$PWD/secure.sock" /login | tr -d '\r' >answer
	kill "$pid" 2>/dev/null
	grep -q '^Status: 200' answer || { echo "  worker answer:"; head -20 answer; return 1; }
	grep -i '^Set-Cookie: ht_csrf=' answer | grep -q '; Secure' ||
		{ echo "  no Secure flag with cookie_secure = 1:"; grep -i '^Set-Cookie' answer; return 1; }
	grep -qi '^Strict-Transport-Security: max-age=' answer ||
		{ echo "  no HSTS with cookie_secure = 1"; return 1; }
}

test_security_path_traversal() {
	sec_seed || return 1
	sha=$(sql "SELECT sha256 FROM images WHERE public_id = '$ID_photo'")
	n=0
	for p in /static/../Makefile /static/%2e%2e/Makefile /static/%2e%2e%2fMakefile \
		/static/..%2fMakefile /static/%252e%252e%252fMakefile /static/..%5cMakefile \
		'/static/..\Makefile' /static/....//Makefile /static//../Makefile /static/.%2e/Makefile \
		/static/%c0%ae%c0%ae/Makefile /static/..%00/Makefile /static/..%3b/Makefile \
		/static/../../../../../etc/passwd /static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd \
		/media/../../etc/passwd "/media/$ID_photo/../../../../etc/passwd" \
		"/media/$ID_photo/..%2f..%2f..%2f..%2fetc%2fpasswd" /media/%2e%2e/%2e%2e/etc/passwd \
		"/media/$ID_photo%2f..%2f..%2fMakefile/thumb" "/s/$ID_share/t/../../../etc/passwd" \
		/api/v1/openapi.json/../../Makefile /api/v1/openapi.json/..%2f..%2fMakefile \
		"/_media/$(echo "$sha" | cut -c1-2)/$sha.jpg" "/_media/../hashtagger.conf" \
		/static/app.css%00.txt /static/../var/hashtagger.conf /hashtagger.conf /.git/config \
		/lighttpd.conf /static/../lighttpd.conf "/static/..%255c..%255cMakefile"; do
		n=$((n + 1))
		req GET "$p" --path-as-is
		case $STATUS in 4??) ;; *) fail "GET $p: expected 4xx, got $STATUS" || return 1 ;; esac
		! grep -qE '^root:.*:0:0:|^CFLAGS|^\[core\]|^db = |^server\.|jwt_secret|^BUILD' b ||
			fail "GET $p: a file's content came back" || return 1
	done
	# the same thumbnail through the app is fine for its owner
	JAR=own.jar req GET "/media/$ID_photo/thumb" && expect_status 200 || return 1
	echo "  paths probed: $n"
}

test_security_oversized_requests() {
	register "$(new_email)" || return 1
	before=$(worker_pids)
	[ -n "$before" ] || fail "no workers found" || return 1
	big=$(head -c 65536 /dev/zero | tr '\0' a)
	req GET /account -H "X-Big: $big"
	case $STATUS in 4??) ;; *) fail "64 KB header: expected 4xx, got $STATUS" || return 1 ;; esac
	req GET "/history?q=$(head -c 102400 /dev/zero | tr '\0' a)"
	case $STATUS in 4??) ;; *) fail "100 KB URL: expected 4xx, got $STATUS" || return 1 ;; esac
	JAR=/dev/null req GET /account -H "Cookie: ht_session=$(head -c 102400 /dev/zero | tr '\0' a)"
	case $STATUS in 4??) ;; *) fail "100 KB cookie: expected 4xx, got $STATUS" || return 1 ;; esac
	# 200 headers of 100 bytes: too many for one server, fine for the other
	i=0
	while [ "$i" -lt 200 ]; do
		i=$((i + 1))
		printf 'X-H%s: %s\n' "$i" "$(echo "$big" | cut -c1-90)"
	done >many
	req GET /account -H @many
	case $STATUS in 200 | 4??) ;; *) fail "200 headers: got $STATUS" || return 1 ;; esac
	# just under the servers' limits, so the app parses them: 2000 query
	# parameters, 1000 cookies, a cookie as long as the line allows
	q=$(i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); printf 'a=%s&' "$i"; done)
	req GET "/history?$q"
	case $STATUS in 200 | 4??) ;; *) fail "2000 parameters: got $STATUS" || return 1 ;; esac
	c=$(i=0; while [ $i -lt 1000 ]; do i=$((i + 1)); printf 'c%s=1; ' "$i"; done)
	req GET /account -H "Cookie: $c"
	case $STATUS in 200 | 303 | 4??) ;; *) fail "1000 cookies: got $STATUS" || return 1 ;; esac
	JAR=/dev/null req GET /api/v1/me -H "Cookie: ht_session=$(echo "$big" | cut -c1-7000)"
	case $STATUS in 401 | 4??) ;; *) fail "7000-byte cookie: got $STATUS" || return 1 ;; esac
	JAR=/dev/null req POST /api/v1/session -H "$SEC_CJ" --data-binary "{\"email\":\"$(echo "$big" | cut -c1-60000)\"}"
	case $STATUS in 4??) ;; *) fail "60 KB JSON field: got $STATUS" || return 1 ;; esac
	req GET /healthz && expect_status 200 || return 1
	[ "$(worker_pids)" = "$before" ] || fail "workers changed: $before -> $(worker_pids)"
}
