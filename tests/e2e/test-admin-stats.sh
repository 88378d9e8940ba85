# test-admin-stats.sh: the statistics page /admin and its API twin —
# every number checked against SQL computed here independently over a seeded
# volume (2 000 users, 50 000 photos over 400 days, hashtags of every source
# and state, finished, failed, queued and running jobs), before and after
# changes that go through every counter trigger; the SVG charts parsed as
# XML (title/desc, one bar per day, heights ordered like the data, labels
# carrying the numbers); a real failed job retried end to end (the tagger
# tags the photo again) with its audit entry; admins only; CSRF; bad
# ranges. API answers are validated against static/openapi.json.

ST_CJ='Content-Type: application/json'
ST_SEED='@stats-seed.example'

# st_v METHOD PATH STATUS [curl args...]: call, expect STATUS, validate the
# answer against the document
st_v() {
	_vm=$1 _vp=$2 _vs=$3; shift 3
	req "$_vm" "$_vp" "$@"
	[ "$STATUS" = "$_vs" ] || fail "$_vm $_vp: expected $_vs, got $STATUS" || return 1
	node "$ROOT/tests/api/validate.js" --headers h "$_vm" "$_vp" "$STATUS" b ||
		fail "$_vm $_vp: the answer does not match static/openapi.json"
}

# st_post PATH STATUS: a validated API POST, empty body, the session's CSRF header
st_post() {
	req GET /api/v1/me
	_tok=$(json 'd["csrf"]')
	st_v POST "$1" "$2" -H "X-CSRF-Token: $_tok" --data-binary ''
}

# st_admin: a new admin (CLI), logged in in adm.jar; sets ADMIN
st_admin() {
	ADMIN=$(new_email)
	printf '%s\n' "$PASSWORD" | "$HT_BIN" user add --admin "$ADMIN" >out 2>&1 || { cat out; return 1; }
	JAR=adm.jar login "$ADMIN" && [ "$STATUS" = 303 ] || fail "admin login"
}

# st_unseed: remove the seeded volume (photos first: one statement, not one
# cascade per user)
st_unseed() {
	sql "DELETE FROM images WHERE owner_id IN (SELECT id FROM users WHERE email LIKE '%$ST_SEED');
	     DELETE FROM users WHERE email LIKE '%$ST_SEED'" >/dev/null
}

# st_seed: the volume, removed again when the test's shell exits. Photo g
# has public id si + g; uploads leave some days empty (offsets 37, 47, ...),
# sign-ups fall on quadratic residues of 45 only.
st_seed() {
	trap st_unseed EXIT
	sql "INSERT INTO users (public_id, email, password_hash, created_at)
	  SELECT 'su' || lpad(g::text, 14, '0'), 'seed' || g || '$ST_SEED', 'x',
	    now() - ((g * g) % 45) * interval '1 day' - (g % 3000) * interval '1 second'
	  FROM generate_series(1, 2000) g;
	WITH u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM users
	  WHERE email LIKE '%$ST_SEED'),
	o AS (SELECT g, CASE WHEN g % 3 = 0 THEN (g / 3) % 30 ELSE (g * 37) % 400 END AS d
	  FROM generate_series(1, 50000) g)
	INSERT INTO images (public_id, owner_id, sha256, mime, width, height, bytes, status, created_at)
	  SELECT 'si' || lpad(g::text, 14, '0'), u.id, md5('s' || g) || md5('t' || g), 'image/jpeg',
	    640, 480, 1000 + (g * 7919) % 4000000, 'tagged',
	    now() - (d + (d >= 30 AND d % 10 = 7)::int) * interval '1 day' - (g % 5000) * interval '1 second'
	  FROM o JOIN u ON u.k = o.g % 2000;
	CREATE TEMP TABLE seeded AS SELECT i.id, substr(i.public_id, 3)::int AS g, i.created_at
	  FROM images i JOIN users u ON u.id = i.owner_id WHERE u.email LIKE '%$ST_SEED';
	INSERT INTO image_tags (image_id, tag, source, state, rank)
	  SELECT s.id, 'StatTag' || ((s.g * k * 7) % 37),
	    (ARRAY['object', 'people', 'colour', 'caption', 'history'])[1 + (s.g + k) % 5],
	    (ARRAY['suggested', 'accepted', 'rejected', 'accepted', 'suggested', 'accepted',
	           'suggested'])[1 + (s.g * 3 + k) % 7], k
	  FROM seeded s, generate_series(1, 1 + s.g % 4) k ON CONFLICT DO NOTHING;
	INSERT INTO image_tags (image_id, tag, source, state, rank)
	  SELECT id, 'StatUser' || (g % 13), 'user', 'added', 9 FROM seeded WHERE g % 10 = 0
	  ON CONFLICT DO NOTHING;
	INSERT INTO tag_jobs (image_id, state, attempts, created_at, finished_at, last_error,
	    locked_until, locked_by)
	  SELECT id, st, CASE st WHEN 'failed' THEN 3 WHEN 'queued' THEN 0 ELSE 1 END, created_at,
	    CASE WHEN st IN ('done', 'failed') THEN created_at + ((g % 50) * 0.1 + 0.2) * interval '1 s' END,
	    CASE WHEN st = 'failed' THEN 'seeded failure ' || g END,
	    -- a lease or retry delay tagd leaves alone during the test
	    CASE WHEN st IN ('queued', 'running') THEN now() + interval '1 day' END,
	    CASE WHEN st = 'running' THEN 'ghost:1:seed' END
	  FROM (SELECT id, g, created_at, CASE WHEN g % 997 = 0 THEN 'failed'
	    WHEN g % 4999 = 0 THEN 'queued' WHEN g % 7919 = 0 THEN 'running' ELSE 'done' END AS st
	    FROM seeded) s" >/dev/null || fail "seed" || return 1
	[ "$(sql "SELECT count(*) FROM images i JOIN users u ON u.id = i.owner_id
	  WHERE u.email LIKE '%$ST_SEED'")" = 50000 ] || fail "seeded photos"
}

# st_truth FROM TO TODAY: every figure of the page, from the tables
# themselves (no counters), as JSON in want.json
st_truth() {
	sql "SELECT json_build_object(
	  'users', (SELECT count(*) FROM users),
	  'photos', (SELECT count(*) FROM images),
	  'bytes', (SELECT coalesce(sum(bytes), 0) FROM images),
	  'hashtags', (SELECT count(DISTINCT lower(tag)) FROM image_tags),
	  'rows', (SELECT count(*) FROM image_tags),
	  'series', (SELECT json_agg(json_build_array(to_char(d, 'YYYY-MM-DD'), coalesce(u.n, 0),
	      coalesce(i.n, 0)) ORDER BY d)
	    FROM generate_series('$1'::date, '$2'::date, interval '1 day') d
	    LEFT JOIN (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM users
	      GROUP BY 1) u ON u.day = d::date
	    LEFT JOIN (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM images
	      GROUP BY 1) i ON i.day = d::date),
	  'top', (SELECT coalesce(json_agg(json_build_array(tag, c, s) ORDER BY c DESC, s DESC, tag), '[]')
	    FROM (SELECT lower(tag) AS tag,
	      count(*) FILTER (WHERE state IN ('accepted', 'added')) AS c,
	      count(*) FILTER (WHERE state IN ('suggested', 'accepted', 'rejected')) AS s
	      FROM image_tags GROUP BY 1 ORDER BY c DESC, s DESC, tag LIMIT 20) t),
	  'sources', (SELECT coalesce(json_object_agg(source, json_build_array(a, r, l)), '{}')
	    FROM (SELECT source, count(*) FILTER (WHERE state = 'accepted') AS a,
	      count(*) FILTER (WHERE state = 'rejected') AS r,
	      count(*) FILTER (WHERE state = 'suggested') AS l
	      FROM image_tags WHERE state <> 'added' GROUP BY source) s),
	  'jobs', (SELECT coalesce(json_object_agg(state, n), '{}')
	    FROM (SELECT state, count(*) AS n FROM tag_jobs GROUP BY state) j),
	  'oldest', (SELECT extract(epoch FROM now() - min(created_at)) FROM tag_jobs
	    WHERE state = 'queued'),
	  'today', (SELECT json_build_object('jobs', count(*),
	      'p50', percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)),
	      'p95', percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)))
	    FROM tag_jobs WHERE state = 'done' AND (finished_at AT TIME ZONE 'UTC')::date = '$3'),
	  'range', (SELECT json_build_object('jobs', count(*),
	      'p50', percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)),
	      'p95', percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)))
	    FROM tag_jobs WHERE state = 'done'
	    AND (finished_at AT TIME ZONE 'UTC')::date BETWEEN '$1' AND '$2'),
	  'failed', (SELECT coalesce(json_agg(p ORDER BY f DESC NULLS FIRST, id DESC), '[]')
	    FROM (SELECT i.public_id AS p, j.finished_at AS f, j.image_id AS id FROM tag_jobs j
	      JOIN images i ON i.id = j.image_id WHERE j.state = 'failed'
	      ORDER BY j.finished_at DESC NULLS FIRST, j.image_id DESC LIMIT 20) x))" >want.json
}

# st_check: api.json (the API's answer) against want.json, then, when
# page.html is there, the page: its figures, tables and SVG charts
st_check() {
	python3 - <<'PY'
import html as H, json, os, re, xml.etree.ElementTree as ET

api, want = json.load(open("api.json")), json.load(open("want.json"))
errs = []
def eq(name, got, exp):
    if got != exp:
        errs.append(f"{name}: got {got!r}, SQL says {exp!r}")
def near(name, got, exp, tol):
    if (got is None) != (exp is None) or (got is not None and abs(got - exp) > tol):
        errs.append(f"{name}: got {got!r}, SQL says {exp!r}")

t, tg = api["totals"], api["tagging"]
eq("users", t["users"], want["users"])
eq("photos", t["photos"], want["photos"])
eq("storage_bytes", t["storage_bytes"], want["bytes"])
eq("hashtags", t["hashtags"], want["hashtags"])
eq("hashtag_rows", t["hashtag_rows"], want["rows"])
series = want["series"]
eq("days", api["days"], len(series))
eq("signups", [(d["day"], d["count"]) for d in api["signups"]], [(d, s) for d, s, u in series])
eq("uploads", [(d["day"], d["count"]) for d in api["uploads"]], [(d, u) for d, s, u in series])
eq("top", [[h["tag"], h["chosen"], h["suggested"]] for h in api["top_hashtags"]], want["top"])
eq("suggestions", {s["source"]: [s["accepted"], s["rejected"], s["left"]] for s in api["suggestions"]},
   want["sources"])
for s in api["suggestions"]:
    eq("suggested " + s["source"], s["suggested"], s["accepted"] + s["rejected"] + s["left"])
    near("rate " + s["source"], s["acceptance_rate"], s["accepted"] / s["suggested"], 1e-4)
totals = [s["suggested"] for s in api["suggestions"]]
eq("suggestions order", totals, sorted(totals, reverse=True))
jobs = {k: want["jobs"].get(k, 0) for k in ("queued", "running", "done", "failed")}
eq("jobs", tg["jobs"], jobs)
eq("queue_depth", tg["queue_depth"], jobs["queued"] + jobs["running"])
near("oldest queued", tg["oldest_queued_seconds"], want["oldest"], 15)
for k in ("today", "range"):
    got, exp = tg["latency"][k], want[k]
    eq(k + " jobs", got["jobs"], exp["jobs"])
    near(k + " p50", got["p50_seconds"], exp["p50"], 0.002)
    near(k + " p95", got["p95_seconds"], exp["p95"], 0.002)
eq("failed jobs", [f["image_id"] for f in tg["failed_jobs"]], want["failed"])

def dur(s):
    s = max(s, 0)
    if s * 1000 < 999.5: return f"{s * 1000:.0f} ms"
    if s < 59.95: return f"{s:.1f} s"
    if s / 60 < 59.95: return f"{s / 60:.1f} min"
    if s / 3600 < 47.95: return f"{s / 3600:.1f} h"
    return f"{s / 86400:.1f} days"

if os.path.exists("page.html"):
    html = open("page.html").read()
    n = lambda v: f"{v:,}"
    # a day as the English page writes it (i18n_date): "2026-03-05" -> "5 Mar 2026"
    day = lambda d: "%d %s %s" % (int(d[8:10]), "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()[int(d[5:7]) - 1], d[:4])
    for label, v in (("Users", t["users"]), ("Photos", t["photos"]), ("Hashtags", t["hashtags"])):
        if f"<dt>{label}</dt><dd>{n(v)}</dd>" not in html:
            errs.append(f"page: {label} is not {n(v)}")
    for text in (f"{n(t['storage_bytes'])} bytes", f"{n(t['hashtag_rows'])} on photos",
                 f"From {day(api['from'])} to {day(api['to'])}"):
        if text not in html:
            errs.append(f"page lacks {text!r}")
    for state, v in jobs.items():
        if f'<th scope="row">{state}</th><td class="num">{n(v)}</td>' not in html:
            errs.append(f"page: {state} jobs are not {n(v)}")
    for k, period in (("today", "Today"), ("range", day(api["from"]))):
        lat = tg["latency"][k]
        m = re.search(r'<tr><th scope="row">' + period + r'[^<]*</th><td class="num">([\d,]+)</td>'
                      r'<td class="num">([^<]*)</td><td class="num">([^<]*)</td></tr>', html)
        if not m:
            errs.append(f"page: no latency row {period}")
            continue
        eq("page " + k + " jobs", m[1], n(lat["jobs"]))
        for got, v in ((m[2], lat["p50_seconds"]), (m[3], lat["p95_seconds"])):
            ok = {"–"} if v is None else {dur(v + e) for e in (-0.001, 0, 0.001)}
            if got not in ok:
                errs.append(f"page {k} latency {got!r}, API {v!r}")
    eq("page top", [(H.unescape(t), c, s) for t, c, s in re.findall(
        r'<tr><th scope="row" translate="no">#([^<]*)</th><td class="num">([\d,]+)</td><td class="num">([\d,]+)</td></tr>', html)],
       [(h, n(c), n(s)) for h, c, s in want["top"]])
    got = re.findall(r'<tr><th scope="row">([a-z]+)</th><td class="num">[\d,]+</td><td class="num">'
                     r'([\d,]+) \(\d+%\)</td><td class="num">([\d,]+) \(\d+%\)</td>'
                     r'<td class="num">([\d,]+) \(\d+%\)</td></tr>', html)
    eq("page sources", {s: [a, r, l] for s, a, r, l in got},
       {s: [n(x) for x in v] for s, v in want["sources"].items()})
    eq("page failed", re.findall(r'action="/admin/jobs/([A-Za-z0-9_-]+)/retry"', html), want["failed"])
    # the charts: valid XML, labelled, one bar per day, heights as the data
    NS = "{http://www.w3.org/2000/svg}"
    figures = re.findall(r"<figure class=\"chart\">.*?</figure>", html, re.S)
    eq("charts", len(figures), 2)
    for fig, col, unit in zip(figures, (1, 2), ("sign-up", "upload")):
        data = [(d[0], d[col]) for d in series]
        root = ET.fromstring(re.search(r"<svg.*?</svg>", fig, re.S)[0])
        title, desc = root.find(NS + "title"), root.find(NS + "desc")
        if root.get("role") != "img" or title is None or desc is None or \
           root.get("aria-labelledby", "").split() != [title.get("id"), desc.get("id")] or \
           not title.text or not desc.text:
            errs.append(f"{unit} chart: not labelled by its title and desc")
            continue
        total = sum(v for _, v in data)
        if total and f"{n(total)} in all" not in desc.text:
            errs.append(f"{unit} chart: desc {desc.text!r} lacks the total")
        bars = [r for r in root.iter(NS + "rect") if r.get("class") == "bar"]
        eq(unit + " bars", len(bars), len(data))
        h = [float(b.get("height")) for b in bars]
        base = {round(float(b.get("y")) + float(b.get("height")), 1) for b in bars}
        eq(unit + " baseline", len(base), 1)
        for i in range(len(data)):
            for j in range(len(data)):
                if (data[i][1] < data[j][1]) != (h[i] < h[j]):
                    errs.append(f"{unit} bars {data[i]} and {data[j]}: heights {h[i]}, {h[j]}")
                    break
        labels = [b.find(NS + "title").text for b in bars]
        eq(unit + " bar labels", labels,
           [f"{day(d)}: {n(v)} {unit}{'' if v == 1 else 's'}" for d, v in data])
        ticks = [x.text for x in root.iter(NS + "text") if x.get("class") == "chart-tick"]
        if not ticks or ticks[0] != "0":
            errs.append(f"{unit} chart: ticks {ticks}")
        eq(unit + " table", re.findall(r'<tr><td><time datetime="(\d{4}-\d\d-\d\d)">[^<]*</time></td><td class="num">([\d,]+)</td></tr>', fig),
           [(d, n(v)) for d, v in data])

for e in errs[:25]:
    print("  " + e)
raise SystemExit(1 if errs else 0)
PY
}

# st_compare QUERY: the API and the page for ?QUERY against SQL
st_compare() {
	rm -f page.html
	JAR=adm.jar st_v GET "/api/v1/admin/stats$1" 200 || return 1
	cp b api.json
	st_truth "$(json 'd["from"]')" "$(json 'd["to"]')" "$(json 'd["today"]')"
	JAR=adm.jar req GET "/admin$1"
	expect_status 200 || return 1
	cp b page.html
	st_check || fail "numbers of $1 differ from SQL"
}

test_admin_stats_numbers_match_sql() {
	st_seed || return 1
	# an idle tagd folds the counters' deltas (the seed's among them)
	sql "NOTIFY tag_jobs" >/dev/null
	for _ in $(seq 100); do
		[ "$(sql "SELECT count(*) FROM stat_deltas")" = 0 ] && break
		sleep 0.1
	done
	[ "$(sql "SELECT count(*) FROM stat_deltas")" = 0 ] || fail "tagd did not fold the deltas" ||
		return 1
	st_admin || return 1
	today=$(date -u +%F)
	st_compare "" || return 1
	python3 -c "import json; d = json.load(open('api.json'))
assert (d['from'], d['to'], d['days'], d['today']) == ('$(date -u -d '29 days ago' +%F)', '$today', 30, '$today'), d['from']" ||
		fail "the default range is not the last 30 days" || return 1
	# a year up to today, and a past month with empty days
	st_compare "?from=$(date -u -d '365 days ago' +%F)&to=$today" || return 1
	st_compare "?from=$(date -u -d '60 days ago' +%F)&to=$(date -u -d '31 days ago' +%F)" || return 1
	[ "$(python3 -c "import json; print(sum(1 for x in json.load(open('api.json'))['uploads'] if x['count'] == 0))")" -ge 2 ] ||
		fail "the past month should have days without uploads" || return 1
	# changes through every trigger: states, deletions (one statement and
	# cascades), a job failing, an account going
	sql "CREATE TEMP VIEW s AS SELECT i.id, CASE WHEN i.public_id ~ '^si[0-9]{14}\$'
	       THEN substr(i.public_id, 3)::int END AS g FROM images i JOIN users u ON u.id = i.owner_id
	       WHERE u.email LIKE '%$ST_SEED';
	     UPDATE image_tags SET state = 'rejected' WHERE state = 'suggested' AND image_id IN
	       (SELECT id FROM s WHERE g % 5 = 1);
	     UPDATE image_tags SET rank = rank + 1 WHERE image_id IN (SELECT id FROM s WHERE g % 11 = 0);
	     DELETE FROM image_tags WHERE source = 'colour' AND image_id IN (SELECT id FROM s WHERE g % 3 = 1);
	     DELETE FROM images WHERE id IN (SELECT id FROM s WHERE g % 17 = 0);
	     UPDATE tag_jobs SET state = 'failed', last_error = 'changed', finished_at = now()
	       WHERE image_id IN (SELECT id FROM s WHERE g = 1);
	     DELETE FROM users WHERE email = 'seed7$ST_SEED'" >/dev/null || fail "changes" || return 1
	st_compare "" || return 1
	[ "$(python3 -c 'import json; f = json.load(open("api.json"))["tagging"]["failed_jobs"][0]
print(f["image_id"], f["error"])')" = "si00000000000001 changed" ] || fail "newest failed job first"
}

test_admin_stats_retry_end_to_end() {
	OWNER=$(new_email)
	JAR=owner.jar register "$OWNER" || return 1
	JAR=owner.jar api_upload "$FIX/cat.jpg"
	[ "$STATUS" = 201 ] || fail "upload" || return 1
	pid=$(json 'd["images"][0]["id"]')
	for _ in $(seq 100); do
		[ "$(sql "SELECT status FROM images WHERE public_id = '$pid'")" = tagged ] && break
		sleep 0.2
	done
	# the tagger fails it for good (as tagd would, with a hostile reason)
	sql "UPDATE tag_jobs SET state = 'failed', attempts = 3, finished_at = now(),
	       last_error = '<script>x</script> \"oom\" & ''killed''' FROM images i
	       WHERE i.id = tag_jobs.image_id AND i.public_id = '$pid';
	     UPDATE images SET status = 'failed' WHERE public_id = '$pid'" >/dev/null
	st_admin || return 1
	export JAR=adm.jar
	req GET /admin
	expect_status 200 && expect_body "action=\"/admin/jobs/$pid/retry\"" || return 1
	expect_body '&lt;script&gt;x&lt;/script&gt; &quot;oom&quot; &amp; &#39;killed&#39;' || return 1
	expect_no_body '<script>x' && expect_body '3 attempts' || return 1
	st_v GET /api/v1/admin/stats 200 || return 1
	[ "$(json "[(f['error'], f['attempts'], f['owner_email']) for f in d['tagging']['failed_jobs'] if f['image_id'] == '$pid']")" = \
		"[('<script>x</script> \"oom\" & \\'killed\\'', 3, '$OWNER')]" ] || fail "failed job in the API" || return 1
	# press Retry: queued again, tagd tags it
	req GET /admin
	form "/admin/jobs/$pid/retry" "from=$(date -u -d '6 days ago' +%F)" "to=$(date -u +%F)"
	expect_status 303 || return 1
	expect_header "Location: /admin\\?from=$(date -u -d '6 days ago' +%F)&to=$(date -u +%F)&done=retried#failed" ||
		return 1
	[ "$(sql "SELECT j.state <> 'failed', j.last_error IS NULL, j.attempts <= 1, j.created_at > now() - interval '1 minute'
	  FROM tag_jobs j JOIN images i ON i.id = j.image_id WHERE i.public_id = '$pid'")" = "t|t|t|t" ] ||
		fail "the job was not queued again" || return 1
	for _ in $(seq 150); do
		[ "$(sql "SELECT i.status || j.state FROM images i JOIN tag_jobs j ON j.image_id = i.id
		  WHERE i.public_id = '$pid'")" = taggeddone ] && break
		sleep 0.2
	done
	[ "$(sql "SELECT i.status, j.state, j.attempts, (SELECT count(*) > 0 FROM image_tags t
	  WHERE t.image_id = i.id AND lower(t.tag) = 'cat') FROM images i JOIN tag_jobs j ON j.image_id = i.id
	  WHERE i.public_id = '$pid'")" = "tagged|done|1|t" ] || fail "the tagger did not tag it again" || return 1
	req GET "/admin?done=retried"
	expect_body 'Queued again' && expect_no_body "action=\"/admin/jobs/$pid/retry\"" || return 1
	[ "$(sql "SELECT action, actor_email, target_type, detail->>'owner', detail->>'attempts',
	  detail->>'error' FROM audit_log WHERE target_id = '$pid'")" = \
		"job.retry|$ADMIN|image|$OWNER|3|<script>x</script> \"oom\" & 'killed'" ] || fail "audit entry" || return 1
	# the API twin; a job that has not failed, unknown and malformed ids
	st_post "/api/v1/admin/jobs/$pid/retry" 409 || return 1
	sql "UPDATE tag_jobs SET state = 'failed', last_error = 'again' FROM images i
	       WHERE i.id = tag_jobs.image_id AND i.public_id = '$pid'" >/dev/null
	st_post "/api/v1/admin/jobs/$pid/retry" 200 || return 1
	[ "$(json 'd["image_id"], d["state"]')" = "$pid queued" ] || fail "retry answer" || return 1
	for _ in $(seq 150); do
		[ "$(sql "SELECT status FROM images WHERE public_id = '$pid'")" = tagged ] && break
		sleep 0.2
	done
	[ "$(sql "SELECT status FROM images WHERE public_id = '$pid'")" = tagged ] || fail "not tagged" || return 1
	st_post /api/v1/admin/jobs/AAAAAAAAAAAAAAAA/retry 404 || return 1
	st_post /api/v1/admin/jobs/short/retry 404 || return 1
	req GET /admin
	form /admin/jobs/AAAAAAAAAAAAAAAA/retry
	expect_status 404 || return 1
	[ "$(sql "SELECT count(*) FROM audit_log WHERE target_id = '$pid' AND action = 'job.retry'")" = 2 ] ||
		fail "one audit entry per retry"
}

test_admin_stats_admins_only() {
	JAR=owner.jar register "$(new_email)" || return 1
	JAR=owner.jar api_upload "$FIX/rocket.jpg"
	pid=$(json 'd["images"][0]["id"]')
	sql "UPDATE tag_jobs SET state = 'failed', last_error = 'x' FROM images i
	       WHERE i.id = tag_jobs.image_id AND i.public_id = '$pid'" >/dev/null
	register "$(new_email)" || return 1 # a plain user in ./jar
	for p in /admin '/admin?from=2026-01-01&to=2026-01-31' '/admin?from=bad'; do
		req GET "$p"
		case $STATUS in 403 | 404) ;; *) fail "GET $p: $STATUS" || return 1 ;; esac
		expect_no_body 'Sign-ups per day' || return 1
	done
	req GET /history
	form "/admin/jobs/$pid/retry"
	case $STATUS in 403 | 404) ;; *) fail "POST retry page: $STATUS" || return 1 ;; esac
	st_v GET /api/v1/admin/stats 403 || return 1
	st_v GET '/api/v1/admin/stats?from=2026-01-01&to=2026-01-31' 403 || return 1
	st_post "/api/v1/admin/jobs/$pid/retry" 403 || return 1
	# logged out: the login page or 401
	JAR=anon.jar req GET /admin
	expect_status 303 && expect_header 'Location: /login\?next=/admin' || return 1
	JAR=anon.jar st_v GET /api/v1/admin/stats 401 || return 1
	JAR=anon.jar st_v POST "/api/v1/admin/jobs/$pid/retry" 401 -H "$ST_CJ" --data '{}' || return 1
	# an admin's personal token needs the admin scope
	st_admin || return 1
	JAR=adm.jar req GET /api/v1/me
	tok=$(json 'd["csrf"]')
	for scopes in '["read"]' '["read","admin"]'; do
		JAR=adm.jar req POST /api/v1/me/tokens -H "X-CSRF-Token: $tok" -H "$ST_CJ" \
			--data "{\"name\":\"stats\",\"scopes\":$scopes}"
		[ "$STATUS" = 201 ] || fail "token" || return 1
		bearer=$(json 'd["token"]')
		JAR=none.jar st_v GET /api/v1/admin/stats "$([ "$scopes" = '["read"]' ] && echo 403 || echo 200)" \
			-H "Authorization: Bearer $bearer" || return 1
	done
	# nothing changed
	[ "$(sql "SELECT j.state FROM tag_jobs j JOIN images i ON i.id = j.image_id WHERE i.public_id = '$pid'")" = failed ] ||
		fail "a refused request retried the job" || return 1
	[ "$(sql "SELECT count(*) FROM audit_log WHERE target_id = '$pid'")" = 0 ] ||
		fail "audit entry for a refused action"
}

test_admin_stats_csrf_and_bad_ranges() {
	JAR=owner.jar register "$(new_email)" || return 1
	JAR=owner.jar api_upload "$FIX/coffee.jpg"
	pid=$(json 'd["images"][0]["id"]')
	sql "UPDATE tag_jobs SET state = 'failed', last_error = 'x' FROM images i
	       WHERE i.id = tag_jobs.image_id AND i.public_id = '$pid'" >/dev/null
	st_admin || return 1
	export JAR=adm.jar
	# CSRF: none, wrong, cross-site
	st_v POST "/api/v1/admin/jobs/$pid/retry" 403 --data-binary '' || return 1
	st_v POST "/api/v1/admin/jobs/$pid/retry" 403 -H 'X-CSRF-Token: nope' --data-binary '' || return 1
	req POST "/admin/jobs/$pid/retry" --data-urlencode 'x=1'
	expect_status 403 || return 1
	req GET /admin
	tok=$(csrf_of)
	req POST "/admin/jobs/$pid/retry" -H 'Origin: https://evil.example' --data-urlencode "csrf=$tok"
	expect_status 403 || return 1
	[ "$(sql "SELECT j.state FROM tag_jobs j JOIN images i ON i.id = j.image_id WHERE i.public_id = '$pid'")" = failed ] ||
		fail "a refused request retried the job" || return 1
	# ranges: 422 naming the field (API), 400 (page)
	today=$(date -u +%F)
	for c in "from=2025-02-29|from" "to=2026-04-31|to" "from=2026-13-01|from" "from=yesterday|from" \
		"from=$today&to=$(date -u -d '1 day ago' +%F)|to" \
		"from=$(date -u -d '366 days ago' +%F)|from" \
		"from=2024-01-01&to=2025-01-01|from" "to=$today&to=$today|to"; do
		q=${c%|*} field=${c#*|}
		st_v GET "/api/v1/admin/stats?$q" 422 || return 1
		[ "$(json 'list(d["errors"])')" = "['$field']" ] || fail "?$q: errors $(cat b)" || return 1
		req GET "/admin?$q"
		expect_status 400 || return 1
	done
	# the longest range and one day are fine
	st_v GET "/api/v1/admin/stats?from=2024-01-01&to=2024-12-31" 200 || return 1
	[ "$(json 'd["days"], len(d["uploads"]), len(d["signups"])')" = "366 366 366" ] || fail "leap year" || return 1
	st_v GET "/api/v1/admin/stats?from=$today&to=$today" 200 || return 1
	[ "$(json 'd["days"], d["uploads"][0]["day"]')" = "1 $today" ] || fail "one day" || return 1
	req GET "/admin?from=2024-01-01&to=2024-12-31"
	expect_status 200 && expect_body 'aria-current="page">Statistics' || return 1
	[ "$(grep -o 'class="bar"' b | wc -l)" = 732 ] || fail "two charts of 366 bars"
}
