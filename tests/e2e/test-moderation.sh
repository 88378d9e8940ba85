# test-moderation.sh: the moderation queue and the audit log — admins only
# (403 for anyone else on every page and API path), approve (the photo is
# in share links again), remove with a reason (hidden from share links, the
# owner reads it on the photo page), an audit entry per action with its
# filters, CSRF, bad input, escaping. API answers are validated against
# static/openapi.json.

MOD_CJ='Content-Type: application/json'

# mod_v METHOD PATH STATUS [curl args...]: call, expect STATUS, validate the
# answer against the document
mod_v() {
	_vm=$1 _vp=$2 _vs=$3; shift 3
	rm -f b h
	req "$_vm" "$_vp" "$@"
	[ -f b ] || : >b
	[ "$STATUS" = "$_vs" ] || fail "$_vm $_vp: expected $_vs, got $STATUS" || return 1
	node "$ROOT/tests/api/validate.js" --headers h "$_vm" "$_vp" "$STATUS" b ||
		fail "$_vm $_vp: the answer does not match static/openapi.json"
}

# mod_csrf: the session's CSRF token (API writes)
mod_csrf() { req GET /api/v1/me && json 'd["csrf"]'; }

# mod_post PATH STATUS [JSON]: a validated API POST with the session's CSRF header
mod_post() {
	_pp=$1 _ps=$2 _pt=$(mod_csrf)
	if [ $# -ge 3 ]; then
		mod_v POST "$_pp" "$_ps" -H "X-CSRF-Token: $_pt" -H "$MOD_CJ" --data-binary "$3"
	else
		mod_v POST "$_pp" "$_ps" -H "X-CSRF-Token: $_pt" --data-binary ''
	fi
}

# mod_admin: a new admin (CLI), logged in in a fresh adm.jar; sets ADMIN
mod_admin() {
	ADMIN=$(new_email)
	rm -f adm.jar
	printf '%s\n' "$PASSWORD" | "$HT_BIN" user add --admin "$ADMIN" >out 2>&1 ||
		{ cat out; return 1; }
	JAR=adm.jar login "$ADMIN" && [ "$STATUS" = 303 ] || fail "admin login" || return 1
}

# mod_upload FILE: upload as the jar's user; prints the photo's id
mod_upload() { api_upload "$1" && expect_status 201 >&2 && json 'd["images"][0]["id"]'; }

# mod_flag ID: what the tagger does for a photo over the threshold
mod_flag() { sql "UPDATE images SET flagged = true, nsfw = 0.9 WHERE public_id = '$1'" >/dev/null; }

# mod_shared ID...: an owner (owner.jar) with these photos in a shared
# collection; sets STOK
mod_shared() {
	_tok=$(JAR=owner.jar mod_csrf)
	JAR=owner.jar req POST /api/v1/collections -H "X-CSRF-Token: $_tok" -H "$MOD_CJ" \
		--data '{"name":"Beach"}'
	[ "$STATUS" = 201 ] || fail "collection" || return 1
	_cid=$(json 'd["id"]')
	for _i in "$@"; do
		JAR=owner.jar req POST "/api/v1/collections/$_cid/images" -H "X-CSRF-Token: $_tok" \
			-H "$MOD_CJ" --data "{\"image_id\":\"$_i\"}"
		[ "$STATUS" = 201 ] || fail "add to collection" || return 1
	done
	JAR=owner.jar req POST "/api/v1/collections/$_cid/share" -H "X-CSRF-Token: $_tok" \
		--data-binary ''
	[ "$STATUS" = 201 ] || fail "share" || return 1
	STOK=$(json 'd["token"]')
}

test_moderation_admin_only() {
	JAR=owner.jar register "$(new_email)" || return 1
	pid=$(JAR=owner.jar mod_upload "$FIX/cat.jpg") || return 1
	mod_flag "$pid"
	register "$(new_email)" || return 1 # a plain user in ./jar
	for p in /admin/moderation /admin/audit '/admin/audit?action=image.remove'; do
		req GET "$p"
		case $STATUS in 403 | 404) ;; *) fail "GET $p: $STATUS" || return 1 ;; esac
		expect_no_body "$pid" || return 1
	done
	req GET /history
	for p in "/admin/moderation/$pid/approve" "/admin/moderation/$pid/remove"; do
		form "$p" "reason=nope"
		case $STATUS in 403 | 404) ;; *) fail "POST $p: $STATUS" || return 1 ;; esac
	done
	mod_v GET /api/v1/admin/moderation 403 || return 1
	mod_v GET /api/v1/admin/audit 403 || return 1
	mod_post "/api/v1/admin/moderation/$pid/approve" 403 || return 1
	mod_post "/api/v1/admin/moderation/$pid/remove" 403 '{"reason":"nope"}' || return 1
	# logged out: the login page or 401, never the queue
	JAR=anon.jar req GET /admin/moderation
	expect_status 303 || return 1
	JAR=anon.jar mod_v GET /api/v1/admin/moderation 401 || return 1
	JAR=anon.jar mod_v GET /api/v1/admin/audit 401 || return 1
	# nothing changed
	[ "$(sql "SELECT flagged, moderation IS NULL FROM images WHERE public_id = '$pid'")" = "t|t" ] ||
		fail "a non-admin changed the photo" || return 1
	[ "$(sql "SELECT count(*) FROM audit_log WHERE target_id = '$pid'")" = 0 ] ||
		fail "audit entry for a refused action"
}

test_moderation_approve_and_remove() {
	OWNER=$(new_email)
	JAR=owner.jar register "$OWNER" || return 1
	cat=$(JAR=owner.jar mod_upload "$FIX/cat.jpg") &&
		rocket=$(JAR=owner.jar mod_upload "$FIX/rocket.jpg") || return 1
	mod_shared "$cat" "$rocket" || return 1
	mod_flag "$cat" && mod_flag "$rocket"
	JAR=anon.jar req GET "/s/$STOK"
	expect_status 200 && expect_no_body "$cat" && expect_no_body "$rocket" || return 1
	mod_admin || return 1
	# the queue: both, with their score and thumbnails
	JAR=adm.jar req GET /admin/moderation
	expect_status 200 && expect_body "/media/$cat/thumb" && expect_body "/media/$rocket/thumb" ||
		return 1
	expect_body '90%' && expect_body "$OWNER" && expect_body 'href="/admin/audit"' || return 1
	expect_body "action=\"/admin/moderation/$cat/approve\"" || return 1
	JAR=adm.jar req GET "/media/$cat/thumb"
	expect_status 200 || return 1
	JAR=adm.jar mod_v GET '/api/v1/admin/moderation?limit=100' 200 || return 1
	[ "$(json "sorted(i['image']['id'] for i in d['items'] if i['image']['id'] in ('$cat', '$rocket'))")" = \
		"$(python3 -c "print(sorted(['$cat', '$rocket']))")" ] || fail "queue lacks the photos" || return 1
	[ "$(json "[(i['nsfw_percent'], i['owner_email']) for i in d['items'] if i['image']['id'] == '$cat'][0]")" = \
		"(90, '$OWNER')" ] || fail "queue item" || return 1
	# approve through the page: in the share link again, out of the queue
	JAR=adm.jar req GET /admin/moderation
	JAR=adm.jar form "/admin/moderation/$cat/approve"
	expect_status 303 && expect_header 'Location: /admin/moderation\?done=approved' || return 1
	JAR=adm.jar req GET /admin/moderation?done=approved
	expect_body 'Approved: the photo' && expect_no_body "/media/$cat/thumb" || return 1
	JAR=anon.jar req GET "/s/$STOK"
	expect_status 200 && expect_body "$cat" && expect_no_body "$rocket" || return 1
	JAR=owner.jar req GET "/p/$cat"
	expect_no_body 'waiting for a moderator' && expect_body 'approved' || return 1
	# remove through the API, with a hostile reason
	JAR=adm.jar mod_post "/api/v1/admin/moderation/$rocket/remove" 200 \
		'{"reason":"  <script>x</script> '"'"'nudity'"'"' & \"more\"  "}' || return 1
	[ "$(json 'd["image_id"], d["moderation"], d["reason"]')" = \
		"$rocket removed <script>x</script> 'nudity' & \"more\"" ] || fail "remove answer" || return 1
	JAR=owner.jar req GET "/p/$rocket"
	expect_status 200 && expect_body 'Removed by a moderator' || return 1
	expect_body '&lt;script&gt;x&lt;/script&gt; &#39;nudity&#39; &amp; &quot;more&quot;' || return 1
	expect_no_body '<script>x' && expect_no_body 'waiting for a moderator' || return 1
	JAR=anon.jar req GET "/s/$STOK"
	expect_status 200 && expect_body "$cat" && expect_no_body "$rocket" || return 1
	JAR=anon.jar req GET "/s/$STOK/t/$rocket"
	expect_status 404 || return 1
	JAR=adm.jar mod_v GET '/api/v1/admin/moderation?limit=100' 200 || return 1
	[ "$(json "[i for i in d['items'] if i['image']['id'] in ('$cat', '$rocket')]")" = "[]" ] ||
		fail "decided photos still queued" || return 1
	# the photo stays the owner's
	JAR=owner.jar req GET "/api/v1/images/$rocket"
	expect_status 200 || return 1
	# every action has its audit entry
	[ "$(sql "SELECT action, actor_email, target_type FROM audit_log WHERE target_id = '$cat'")" = \
		"image.approve|$ADMIN|image" ] || fail "approve audit" || return 1
	[ "$(sql "SELECT action, actor_email, detail->>'reason' FROM audit_log WHERE target_id = '$rocket'")" = \
		"image.remove|$ADMIN|<script>x</script> 'nudity' & \"more\"" ] || fail "remove audit" || return 1
}

test_moderation_bad_input_and_csrf() {
	JAR=owner.jar register "$(new_email)" || return 1
	pid=$(JAR=owner.jar mod_upload "$FIX/cat.jpg") || return 1
	clean=$(JAR=owner.jar mod_upload "$FIX/rocket.jpg") || return 1
	mod_flag "$pid"
	mod_admin || return 1
	export JAR=adm.jar
	# CSRF: none, wrong, or a cross-site origin
	mod_v POST "/api/v1/admin/moderation/$pid/approve" 403 --data-binary '' || return 1
	mod_v POST "/api/v1/admin/moderation/$pid/remove" 403 -H "X-CSRF-Token: nope" \
		-H "$MOD_CJ" --data '{"reason":"x"}' || return 1
	req POST "/admin/moderation/$pid/approve" --data-urlencode 'x=1'
	expect_status 403 || return 1
	req GET /admin/moderation
	tok=$(csrf_of)
	req POST "/admin/moderation/$pid/remove" -H 'Origin: https://evil.example' \
		--data-urlencode "csrf=$tok" --data-urlencode 'reason=x'
	expect_status 403 || return 1
	[ "$(sql "SELECT flagged, moderation IS NULL FROM images WHERE public_id = '$pid'")" = "t|t" ] ||
		fail "a refused request changed the photo" || return 1
	# reasons: missing, blank, too long
	mod_post "/api/v1/admin/moderation/$pid/remove" 422 '{}' || return 1
	[ "$(json 'list(d["errors"])')" = "['reason']" ] || fail "field not named" || return 1
	mod_post "/api/v1/admin/moderation/$pid/remove" 422 '{"reason":"   "}' || return 1
	[ "$(json 'list(d["errors"])')" = "['reason']" ] || fail "blank reason" || return 1
	long=$(python3 -c 'print("é" * 501)')
	mod_post "/api/v1/admin/moderation/$pid/remove" 422 "{\"reason\":\"$long\"}" || return 1
	mod_post "/api/v1/admin/moderation/$pid/remove" 400 '{"reason":' || return 1
	req GET /admin/moderation
	form "/admin/moderation/$pid/remove" "reason= "
	expect_status 400 && expect_body 'Give a reason' || return 1
	# unknown, malformed and unflagged photos
	mod_post /api/v1/admin/moderation/AAAAAAAAAAAAAAAA/approve 404 || return 1
	mod_post /api/v1/admin/moderation/short/approve 404 || return 1
	mod_post "/api/v1/admin/moderation/$clean/approve" 409 || return 1
	mod_post "/api/v1/admin/moderation/$clean/remove" 409 '{"reason":"x"}' || return 1
	# decided twice
	mod_post "/api/v1/admin/moderation/$pid/remove" 200 '{"reason":"explicit"}' || return 1
	[ "$(json 'd["moderation"], d["reason"]')" = "removed explicit" ] || fail "remove" || return 1
	mod_post "/api/v1/admin/moderation/$pid/remove" 409 '{"reason":"again"}' || return 1
	# approving a removed photo reinstates it
	mod_post "/api/v1/admin/moderation/$pid/approve" 200 || return 1
	[ "$(sql "SELECT flagged, moderation, moderation_reason FROM images WHERE public_id = '$pid'")" = \
		"f|approved|" ] || fail "reinstated" || return 1
	mod_post "/api/v1/admin/moderation/$pid/approve" 409 || return 1
	# bad cursors
	mod_v GET '/api/v1/admin/moderation?cursor=x1' 422 || return 1
	mod_v GET '/api/v1/admin/audit?cursor=x1' 422 || return 1
	mod_v GET '/api/v1/admin/audit?from=2026-13-45' 422 || return 1
	mod_v GET '/api/v1/admin/audit?to=2026-02-30' 422 || return 1
	[ "$(json 'list(d["errors"])')" = "['to']" ] || fail "bad day" || return 1
	req GET '/admin/audit?from=2025-02-29'
	expect_status 400 || return 1
	req GET '/admin/moderation?cursor=x1'
	expect_status 400 || return 1
	[ "$(sql "SELECT count(*) FROM audit_log WHERE target_id = '$pid'")" = 2 ] ||
		fail "one entry per successful action"
}

test_moderation_audit_filters() {
	JAR=owner.jar register "$(new_email)" || return 1
	a=$(JAR=owner.jar mod_upload "$FIX/cat.jpg") &&
		b=$(JAR=owner.jar mod_upload "$FIX/rocket.jpg") &&
		c=$(JAR=owner.jar mod_upload "$FIX/coffee.jpg") || return 1
	mod_flag "$a" && mod_flag "$b" && mod_flag "$c"
	mod_admin || return 1
	admin1=$ADMIN
	JAR=adm.jar mod_post "/api/v1/admin/moderation/$a/approve" 200 || return 1
	JAR=adm.jar mod_post "/api/v1/admin/moderation/$b/remove" 200 '{"reason":"r1"}' || return 1
	mod_admin || return 1 # a second admin
	admin2=$ADMIN
	JAR=adm.jar mod_post "/api/v1/admin/moderation/$c/remove" 200 '{"reason":"r2"}' || return 1
	export JAR=adm.jar
	# by actor (any case), action, target; newest first
	mod_v GET "/api/v1/admin/audit?actor=$(echo "$admin1" | tr a-z A-Z)" 200 || return 1
	[ "$(json '[(e["action"], e["target_id"], e["actor_email"]) for e in d["entries"]]')" = \
		"[('image.remove', '$b', '$admin1'), ('image.approve', '$a', '$admin1')]" ] ||
		fail "by actor" || return 1
	mod_v GET "/api/v1/admin/audit?actor=$admin1&action=image.remove" 200 || return 1
	[ "$(json '[e["target_id"] for e in d["entries"]]')" = "['$b']" ] || fail "by action" || return 1
	[ "$(json 'd["entries"][0]["detail"]["reason"], d["entries"][0]["detail"]["nsfw"] > 0.89, d["entries"][0]["target_type"]')" = \
		"r1 True image" ] || fail "detail" || return 1
	mod_v GET "/api/v1/admin/audit?target=$c" 200 || return 1
	[ "$(json '[(e["action"], e["actor_email"]) for e in d["entries"]]')" = \
		"[('image.remove', '$admin2')]" ] || fail "by target" || return 1
	# dates (UTC days, inclusive)
	today=$(date -u +%F) tomorrow=$(date -u -d tomorrow +%F) yesterday=$(date -u -d yesterday +%F)
	mod_v GET "/api/v1/admin/audit?target=$a&from=$today&to=$today" 200 || return 1
	[ "$(json 'len(d["entries"])')" = 1 ] || fail "today" || return 1
	mod_v GET "/api/v1/admin/audit?target=$a&from=$tomorrow" 200 || return 1
	[ "$(json 'len(d["entries"])')" = 0 ] || fail "from tomorrow" || return 1
	mod_v GET "/api/v1/admin/audit?target=$a&to=$yesterday" 200 || return 1
	[ "$(json 'len(d["entries"])')" = 0 ] || fail "to yesterday" || return 1
	# every filter checked against SQL: all entries of these two admins, paged by 1
	want=$(sql "SELECT string_agg(target_id, ' ' ORDER BY id DESC) FROM audit_log
		WHERE actor_email IN ('$admin1', '$admin2')")
	got="" cursor=""
	for _ in 1 2 3 4 5; do
		mod_v GET "/api/v1/admin/audit?limit=1&actor=$admin1${cursor:+&cursor=$cursor}" 200 ||
			return 1
		got="$got $(json '" ".join(e["target_id"] for e in d["entries"])')"
		cursor=$(json 'd["next_cursor"] or ""')
		[ -n "$cursor" ] || break
	done
	mod_v GET "/api/v1/admin/audit?actor=$admin2" 200 || return 1
	got="$(json '" ".join(e["target_id"] for e in d["entries"])')$got"
	[ "$got" = "$want" ] || fail "pages: '$got' vs SQL '$want'" || return 1
	mod_v GET "/api/v1/admin/audit?actor=nobody@example.org" 200 || return 1
	[ "$(json 'd["entries"], d["next_cursor"]')" = "[] None" ] || fail "no match" || return 1
	# the page: filter form and table
	req GET "/admin/audit?target=$b"
	expect_status 200 && expect_body '<table class="audit">' && expect_body "$admin1" || return 1
	expect_body 'image.remove' && expect_no_body "<code>$a</code>" || return 1
	expect_body "value=\"$b\"" || return 1
	req GET "/admin/audit?actor=nobody@example.org"
	expect_status 200 && expect_body 'No entry matches' || return 1
	# the actor's account goes; the entry stays, with the email as written
	sql "DELETE FROM users WHERE email = '$admin1'" >/dev/null
	mod_v GET "/api/v1/admin/audit?target=$a" 200 || return 1
	[ "$(json 'd["entries"][0]["actor_email"]')" = "$admin1" ] || fail "entry kept" || return 1
	req GET "/admin/audit?target=$a"
	expect_body '(account deleted)'
}
