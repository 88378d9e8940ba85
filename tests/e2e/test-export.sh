# test-export.sh: the history export (CSV, JSON) and XMP sidecars, checked
# field by field against the database, with a hostile caption; who may
# download what.

# the last JSON answer's first image id
export_first_id() { json 'd["images"][0]["id"]'; }

# export_db_json EMAIL: the user's photos and hashtags as the database has
# them, newest first, hashtags in rank order (what the exports must say)
export_db_json() {
	_uid=$(sql "SELECT id FROM users WHERE email = '$1'")
	sql "$(sed "s/OWNER_ID/$_uid/" <<'EOF'
SELECT coalesce(json_agg(json_build_object(
  'id', i.public_id, 'name', i.original_name, 'caption', i.caption,
  'created_at', to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'width', i.width, 'height', i.height, 'status', i.status,
  'tags', (SELECT coalesce(json_agg(json_build_object('tag', t.tag, 'source', t.source,
             'state', t.state, 'confidence', t.confidence, 'rank', t.rank, 'reason', t.reason)
             ORDER BY t.rank, t.tag), '[]') FROM image_tags t WHERE t.image_id = i.id))
  ORDER BY i.created_at DESC, i.public_id DESC), '[]')
FROM images i WHERE i.owner_id = OWNER_ID
EOF
)"
}

# export_check_csv FILE DB.JSON: every record against the database
export_check_csv() {
	python3 - "$1" "$2" <<'EOF'
import csv, json, sys
raw = open(sys.argv[1], "rb").read()
db = json.load(open(sys.argv[2]))
assert raw.endswith(b"\r\n"), "records end in CRLF"
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0] == ["photo_id", "name", "created_at", "caption", "hashtag", "source", "state",
                   "confidence", "rank"], rows[0]
def guard(s):
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") and s else s
want = []
for p in db:
    base = [guard(p[k]) for k in ("id", "name", "created_at", "caption")]
    if not p["tags"]:
        want.append(base + [""] * 5)
    for t in p["tags"]:
        want.append(base + [guard("#" + t["tag"].lower()), guard(t["source"]), guard(t["state"]),
                            t["confidence"], str(t["rank"])])
got = rows[1:]
assert len(got) == len(want), (len(got), len(want))
for g, w in zip(got, want):
    assert g[:7] == w[:7] and g[8] == w[8], (g, w)
    assert (g[7] == "" and w[7] == "") or float(g[7]) == float(w[7]), (g, w)
    for f in g[:7]:
        assert f[:1] not in ("=", "+", "-", "@", "\t", "\r") or not f, ("unguarded", f)
EOF
}

# export_check_json FILE DB.JSON
export_check_json() {
	python3 - "$1" "$2" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
db = json.load(open(sys.argv[2]))
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["exported_at"]), d["exported_at"]
assert sorted(d) == ["exported_at", "photos"], sorted(d)
assert len(d["photos"]) == len(db), (len(d["photos"]), len(db))
for p, w in zip(d["photos"], db):
    assert sorted(p) == sorted(["id", "name", "created_at", "caption", "width", "height",
                                "status", "hashtags"]), sorted(p)
    for k in ("id", "name", "created_at", "caption", "width", "height", "status"):
        assert p[k] == w[k], (k, p[k], w[k])
    assert len(p["hashtags"]) == len(w["tags"]), (p["id"], p["hashtags"], w["tags"])
    for h, t in zip(p["hashtags"], w["tags"]):
        assert h["hashtag"] == "#" + t["tag"].lower(), h
        for k in ("tag", "source", "state", "confidence", "rank", "reason"):
            assert h[k] == t[k], (k, h[k], t[k])
EOF
}

# export_check_xmp FILE DB.JSON PHOTO-ID: dc:subject, dc:description, CreateDate
export_check_xmp() {
	python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
import xml.etree.ElementTree as ET
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b'<?xpacket begin="\xef\xbb\xbf"'), raw[:40]
root = ET.fromstring(raw)
p = [p for p in json.load(open(sys.argv[2])) if p["id"] == sys.argv[3]][0]
NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/"}
assert root.tag == "{adobe:ns:meta/}xmpmeta", root.tag
desc = root.find("rdf:RDF/rdf:Description", NS)
assert desc is not None
chosen = [t["tag"] for t in p["tags"] if t["state"] in ("accepted", "added")]
if not chosen:
    chosen = [t["tag"] for t in p["tags"] if t["state"] != "rejected"]
got = [li.text for li in desc.findall("dc:subject/rdf:Bag/rdf:li", NS)]
assert got == chosen, (got, chosen)
assert (desc.find("dc:subject", NS) is None) == (not chosen)
cap = desc.find("dc:description/rdf:Alt/rdf:li", NS)
if p["caption"]:
    assert cap is not None and cap.text == p["caption"], (cap is not None and cap.text, p["caption"])
    assert cap.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"
else:
    assert cap is None
assert desc.find("xmp:CreateDate", NS).text == p["created_at"]
EOF
}

test_export_history_csv_json_xmp() {
	email=$(new_email)
	register "$email" || return 1
	caption=$(printf '=cmd|%s /C calc%s!A0, he said "hi" <b>&\nsecond line' "'" "'")
	CAPTION=$caption api_upload "$FIX/cat.jpg" && expect_status 201 || return 1
	a=$(export_first_id)
	[ "$(sql "SELECT caption FROM images WHERE public_id = '$a'")" = "$caption" ] ||
		fail "caption not stored as sent" || return 1
	CAPTION="rocket launch" api_upload "$FIX/rocket.jpg" && expect_status 201 || return 1
	b=$(export_first_id)
	cp "$FIX/coffee.jpg" +sum.jpg
	api_upload +sum.jpg && expect_status 201 || return 1
	c=$(export_first_id)
	# uploads wait a few seconds for their hashtags; a busy machine may need more
	for _ in $(seq 300); do
		[ "$(sql "SELECT count(*) FROM images WHERE public_id IN ('$a', '$b', '$c')
			AND status = 'tagged'")" = 3 ] && break
		sleep 0.1
	done
	for id in "$a" "$b" "$c"; do
		[ "$(sql "SELECT count(*) >= 2 FROM image_tags t JOIN images i ON i.id = t.image_id
			WHERE i.public_id = '$id'")" = t ] || fail "photo $id has too few hashtags" || return 1
	done
	# a: one accepted, one rejected; b: one added by the user; c: suggestions only
	sql "UPDATE image_tags SET state = 'accepted' WHERE (image_id, rank) =
		(SELECT id, 1 FROM images WHERE public_id = '$a')" >/dev/null
	sql "UPDATE image_tags SET state = 'rejected' WHERE (image_id, rank) =
		(SELECT id, 2 FROM images WHERE public_id = '$a')" >/dev/null
	sql "INSERT INTO image_tags (image_id, tag, source, state)
		SELECT id, 'MyOwnTag', 'user', 'added' FROM images WHERE public_id = '$b'" >/dev/null
	export_db_json "$email" >db.json || return 1

	for id in "$a" "$b" "$c"; do
		req GET "/p/$id/xmp"
		expect_status 200 && expect_header 'Content-Type: application/rdf\+xml' || return 1
		cp b "xmp-$id"
		export_check_xmp "xmp-$id" db.json "$id" || fail "XMP of $id" || return 1
		req GET "/api/v1/images/$id/xmp"
		expect_status 200 && cmp -s b "xmp-$id" || fail "API XMP of $id differs" || return 1
	done
	req GET "/p/$a/xmp"
	expect_header 'Content-Disposition: attachment; filename="cat.xmp"' || return 1
	expect_body 'he said &quot;hi&quot; &lt;b&gt;&amp;' || return 1
	req GET "/p/$c/xmp"
	expect_header 'Content-Disposition: attachment; filename="\+sum.xmp"' || return 1

	# c loses its hashtags: one CSV row with the hashtag fields empty
	sql "DELETE FROM image_tags WHERE image_id = (SELECT id FROM images WHERE public_id = '$c')" \
		>/dev/null
	export_db_json "$email" >db.json || return 1
	req GET "/p/$c/xmp"
	expect_status 200 && cp b c.xmp && export_check_xmp c.xmp db.json "$c" || return 1
	expect_no_body 'dc:subject' || return 1

	req GET /export/history.csv
	expect_status 200 && expect_header 'Content-Type: text/csv; charset=utf-8' || return 1
	expect_header "Content-Disposition: attachment; filename=\"hashtagger-history-$(date -u +%F).csv\"" ||
		return 1
	expect_header 'Cache-Control: no-store' || return 1
	cp b page.csv
	export_check_csv page.csv db.json || fail "CSV does not match the database" || return 1
	# the guard, byte for byte: apostrophe inside the quotes, quotes doubled
	grep -qF -- "\"'=cmd|' /C calc'!A0, he said \"\"hi\"\" <b>&" page.csv ||
		fail "caption not quoted and guarded" || return 1
	grep -qF -- ",'+sum.jpg," page.csv || fail "file name not guarded" || return 1
	created=$(sql "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
		FROM images WHERE public_id = '$c'")
	grep -qF -- "$c,'+sum.jpg,$created,,,,,," page.csv ||
		fail "photo without hashtags has no row with empty hashtag fields" || return 1
	[ "$(grep -c '^[^,]*,[^,]*,[^,]*,[^,]*,#myowntag,user,added,1,0' page.csv)" = 1 ] ||
		fail "added hashtag missing" || return 1
	req GET /api/v1/exports/history.csv
	expect_status 200 && expect_header 'Content-Type: text/csv; charset=utf-8' || return 1
	cmp -s b page.csv || fail "API CSV differs from the page's" || return 1

	req GET /export/history.json
	expect_status 200 && expect_header 'Content-Type: application/json' || return 1
	expect_header 'Content-Disposition: attachment; filename="hashtagger-history-.*\.json"' ||
		return 1
	cp b page.json
	export_check_json page.json db.json || fail "JSON does not match the database" || return 1
	req GET /api/v1/exports/history.json
	expect_status 200 && export_check_json b db.json || fail "API JSON" || return 1

	# where the links are
	req GET /history
	expect_body 'href="/export/history.csv"' && expect_body 'href="/export/history.json"' || return 1
	req GET "/p/$a"
	expect_body "href=\"/p/$a/xmp\""
}

test_export_is_private() {
	JAR=alice.jar register "$(new_email)" || return 1
	JAR=alice.jar api_upload "$FIX/rocket.jpg" && expect_status 201 || return 1
	a=$(export_first_id)
	JAR=bob.jar register "$(new_email)" || return 1
	JAR=bob.jar req GET /export/history.csv
	expect_status 200 && [ "$(wc -l <b)" = 1 ] || fail "a new user's CSV is not just a header" ||
		return 1
	JAR=bob.jar api_upload "$FIX/cat.jpg" && expect_status 201 || return 1
	mine=$(export_first_id)
	for p in "/p/$a/xmp" "/api/v1/images/$a/xmp" /p/AAAAAAAAAAAAAAAA/xmp; do
		JAR=bob.jar req GET "$p"
		expect_status 404 || return 1
	done
	expect_header 'Content-Type: text/html' || return 1
	JAR=bob.jar req GET "/api/v1/images/$a/xmp"
	expect_header 'Content-Type: application/problem\+json' || return 1
	for p in /export/history.csv /api/v1/exports/history.csv /export/history.json \
		/api/v1/exports/history.json; do
		JAR=bob.jar req GET "$p"
		expect_status 200 && expect_body "$mine" && expect_no_body "$a" || return 1
	done
	[ "$(json '[p["id"] for p in d["photos"]]')" = "['$mine']" ] || fail "bob's JSON" || return 1
	JAR=anon.jar req GET /export/history.csv
	expect_status 303 && expect_header 'Location: /login\?next=/export/history.csv' || return 1
	JAR=anon.jar req GET "/p/$a/xmp"
	expect_status 303 || return 1
	JAR=anon.jar req GET /api/v1/exports/history.json
	expect_status 401 || return 1
	JAR=anon.jar req GET "/api/v1/images/$a/xmp"
	expect_status 401 || return 1
	JAR=bob.jar req POST /export/history.csv -d x
	expect_status 405
}

test_export_reads_many_photos_in_batches() {
	email=$(new_email)
	register "$email" || return 1
	uid=$(sql "SELECT id FROM users WHERE email = '$email'")
	# 1201 rows (three batches of 500), timestamps shared by many photos so
	# the keyset's tie-break on the id is what keeps the order; no files
	sql "INSERT INTO images (public_id, owner_id, sha256, mime, width, height, bytes, status,
		original_name, created_at)
		SELECT substr(md5('p' || g), 1, 16), $uid, md5(g::text) || md5('x' || g), 'image/jpeg',
		  10, 10, 100, 'tagged', 'n' || g || '.jpg', now() - (g % 7) * interval '1 second'
		FROM generate_series(1, 1201) g;
		INSERT INTO image_tags (image_id, tag, source, rank)
		SELECT i.id, 'T' || k, 'object', k FROM images i, generate_series(1, 2) k
		WHERE i.owner_id = $uid AND i.id % 3 = 0" >/dev/null || fail "insert" || return 1
	sql "SELECT public_id FROM images WHERE owner_id = $uid
		ORDER BY created_at DESC, public_id DESC" >want.ids
	req GET /export/history.json
	expect_status 200 || return 1
	json '"\n".join(p["id"] for p in d["photos"])' >got.ids
	cmp -s got.ids want.ids || fail "JSON: photos missing, repeated or out of order" || return 1
	[ "$(json 'sum(len(p["hashtags"]) for p in d["photos"])')" = \
		"$(sql "SELECT count(*) FROM image_tags t JOIN images i ON i.id = t.image_id
			WHERE i.owner_id = $uid")" ] || fail "JSON: hashtags" || return 1
	req GET /export/history.csv
	expect_status 200 || return 1
	python3 -c "
import csv
seen = []
for r in list(csv.reader(open('b', newline='')))[1:]:
    i = r[0][1:] if r[0].startswith(\"'\") else r[0]
    if not seen or seen[-1] != i:
        seen.append(i)
print('\n'.join(seen))" >csv.ids
	cmp -s csv.ids want.ids || fail "CSV: photos missing, repeated or out of order" || return 1
	sql "DELETE FROM images WHERE owner_id = $uid" >/dev/null
}
