# test-contract.sh: the API contract — every operation documented in
# static/openapi.json is called against the running server, successes and
# error cases, and each answer (status, content type, required headers,
# body) is validated against the document by tests/api/validate.js. The
# route table and the document list the same operations (tests/api/run).

CJ='Content-Type: application/json'

# v METHOD PATH STATUS [curl args...]: call, expect STATUS, and validate the
# answer against the documented response of that operation and status
v() {
	_vm=$1 _vp=$2 _vs=$3; shift 3
	rm -f b h # curl writes no file for an answer without a body (204, 304)
	req "$_vm" "$_vp" "$@"
	[ -f b ] || : >b
	[ "$STATUS" = "$_vs" ] || fail "$_vm $_vp: expected $_vs, got $STATUS" || return 1
	node "$ROOT/tests/api/validate.js" --headers h "$_vm" "$_vp" "$STATUS" b ||
		fail "$_vm $_vp: the answer does not match static/openapi.json"
}

# vw METHOD PATH STATUS [JSON]: v for a write with the session's CSRF header
# ($CSRF) and a JSON body (an empty body when none is given)
vw() {
	_wm=$1 _wp=$2 _ws=$3
	if [ $# -ge 4 ]; then
		v "$_wm" "$_wp" "$_ws" -H "X-CSRF-Token: $CSRF" -H "$CJ" --data-binary "$4"
	else
		v "$_wm" "$_wp" "$_ws" -H "X-CSRF-Token: $CSRF" --data-binary ''
	fi
}

# ct_user: sign up and log in through the API (both validated); sets EMAIL and CSRF
ct_user() {
	EMAIL=$(new_email)
	v POST /api/v1/users 201 -H "$CJ" \
		--data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" || return 1
	v POST /api/v1/session 200 -H "$CJ" \
		--data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" || return 1
	CSRF=$(json 'd["csrf"]')
}

# ct_upload STATUS FILE...: POST /api/v1/images with the session, validated
ct_upload() {
	_us=$1; shift
	_un=$#
	for f in "$@"; do set -- "$@" -F "file=@$f"; done
	shift "$_un"
	v POST /api/v1/images "$_us" -H "X-CSRF-Token: $CSRF" -F "caption=${CAPTION:-}" "$@"
}

# ct_variant SRC DST TAG: a copy of SRC with other bytes (a new photo)
ct_variant() { cp "$1" "$2" && printf '%s' "$3" >>"$2"; }

# ct_etag: the ETag of the last answer
ct_etag() { sed -n 's/^ETag: //Ip' h; }

test_contract_system() {
	v GET /healthz 200 || return 1
	v GET '/healthz?bad=%zz' 400 || return 1
	v GET /readyz 200 || return 1
	v GET /api/v1/info 200 || return 1
	v GET /api/v1/info 304 -H "If-None-Match: $(ct_etag)" || return 1
	v GET /api/v1/openapi.json 200 || return 1
	expect_header 'Content-Type: application/json' || return 1
	cmp -s b "$ROOT/static/openapi.json" || fail "/api/v1/openapi.json is not static/openapi.json" ||
		return 1
	v GET /api/v1/openapi.json 304 -H "If-None-Match: $(ct_etag)" || return 1
	v GET '/api/v1/info?y=%zz' 400
}

test_contract_account() {
	ct_user || return 1
	JAR=anon.jar v POST /api/v1/users 409 -H "$CJ" \
		--data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" || return 1
	[ "$(json '"email" in d["errors"]')" = True ] || fail "409 without errors.email" || return 1
	JAR=anon.jar v POST /api/v1/users 422 -H "$CJ" \
		--data "{\"email\":\"not-an-address\",\"password\":\"$PASSWORD\"}" || return 1
	JAR=anon.jar v POST /api/v1/users 422 -H "$CJ" \
		--data "{\"email\":\"x$(new_email)\",\"password\":\"short\"}" || return 1
	JAR=anon.jar v POST /api/v1/users 422 -H "$CJ" --data '{"email":"a@example.org"}' || return 1
	JAR=anon.jar v POST /api/v1/users 422 -H "$CJ" --data '{"email":5}' || return 1
	JAR=anon.jar v POST /api/v1/users 403 --data "email=a@example.org&password=x" || return 1
	python3 -c 'print("{\"email\":\"" + "a" * 70000 + "\"}")' >big.json
	JAR=anon.jar v POST /api/v1/users 413 -H "$CJ" --data-binary @big.json || return 1
	# a refused bearer token is 401 before any password is checked (no failed
	# login is recorded against this address, which other tests count)
	JAR=anon.jar v POST /api/v1/session 401 -H "$CJ" -H 'Authorization: Bearer nonsense' \
		--data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" || return 1
	JAR=anon.jar v POST /api/v1/session 422 -H "$CJ" --data '{"password":"x"}' || return 1
	v GET /api/v1/me 200 || return 1
	v GET /api/v1/me 304 -H "If-None-Match: $(ct_etag)" || return 1
	JAR=anon.jar v GET /api/v1/me 401 || return 1
	v POST /api/v1/me/password 403 -H "$CJ" \
		--data "{\"current_password\":\"$PASSWORD\",\"new_password\":\"another fine passphrase\"}" ||
		return 1
	vw POST /api/v1/me/password 403 \
		"{\"current_password\":\"not it at all\",\"new_password\":\"another fine passphrase\"}" ||
		return 1
	vw POST /api/v1/me/password 422 "{\"current_password\":\"$PASSWORD\",\"new_password\":\"short\"}" ||
		return 1
	vw POST /api/v1/me/password 204 \
		"{\"current_password\":\"$PASSWORD\",\"new_password\":\"another fine passphrase\"}" || return 1
	vw DELETE /api/v1/session 204 || return 1
	JAR=anon.jar v DELETE /api/v1/session 401 --data-binary '' || return 1
	v POST /api/v1/session 200 -H "$CJ" \
		--data "{\"email\":\"$EMAIL\",\"password\":\"another fine passphrase\"}" || return 1
	CSRF=$(json 'd["csrf"]')
	vw DELETE /api/v1/me 422 '{"password":"another fine passphrase"}' || return 1
	vw DELETE /api/v1/me 403 '{"password":"not the password","confirm":true}' || return 1
	vw DELETE /api/v1/me 204 '{"password":"another fine passphrase","confirm":true}' || return 1
	v GET /api/v1/me 401
}

test_contract_images_and_hashtags() {
	ct_user || return 1
	JAR=anon.jar v GET /api/v1/images 401 || return 1
	ct_variant "$FIX/cat.jpg" a.jpg contract-a && ct_variant "$FIX/cat.png" b.png contract-b || return 1
	CAPTION='Sunset on the beach' ct_upload 201 a.jpg || return 1
	id=$(json 'd["images"][0]["id"]')
	ct_upload 200 a.jpg || return 1
	[ "$(json 'd["images"][0]["duplicate"]')" = True ] || fail "not a duplicate" || return 1
	ct_upload 201 b.png "$FIX/tiny.gif" || return 1
	[ "$(json 'len(d["images"]), len(d["rejected"])')" = "1 1" ] || fail "one stored" || return 1
	id2=$(json 'd["images"][0]["id"]')
	ct_upload 415 "$FIX/tiny.gif" || return 1
	ct_upload 422 "$FIX/truncated.jpg" || return 1
	head -c 2100000 "$FIX/coffee-12mp.jpg" >big.jpg && cat "$FIX/coffee-12mp.jpg" >>big.jpg
	ct_upload 413 big.jpg || return 1
	v POST /api/v1/images 403 -F "file=@a.jpg" || return 1
	v POST /api/v1/images 400 -H "X-CSRF-Token: $CSRF" -F "caption=nothing to see" || return 1
	v POST /api/v1/images 415 -H "X-CSRF-Token: $CSRF" -H "$CJ" --data-binary '{}' || return 1

	v GET /api/v1/images 200 || return 1
	v GET '/api/v1/images?limit=1' 200 || return 1
	cursor=$(json 'd["next_cursor"]')
	[ "$cursor" != None ] || fail "no next_cursor with limit=1" || return 1
	v GET "/api/v1/images?limit=1&cursor=$cursor" 200 || return 1
	v GET '/api/v1/images?q=sunset&from=2020-01-01&to=2099-12-31' 200 || return 1
	[ "$(json 'len(d["images"])')" = 1 ] || fail "q filter" || return 1
	v GET '/api/v1/images?tag=%23nosuchtag' 200 || return 1
	v GET '/api/v1/images?cursor=not-one-of-ours' 422 || return 1
	v GET '/api/v1/images?from=yesterday' 422 || return 1
	v GET "/api/v1/images/$id" 200 || return 1
	v GET "/api/v1/images/$id" 304 -H "If-None-Match: $(ct_etag)" || return 1
	v GET /api/v1/images/AAAAAAAAAAAAAAAA 404 || return 1

	vw POST "/api/v1/images/$id/tags" 201 '{"tag":"#GoldenHour"}' || return 1
	vw POST "/api/v1/images/$id/tags" 200 '{"tag":"goldenhour"}' || return 1
	vw POST "/api/v1/images/$id/tags" 422 '{"tag":"two words"}' || return 1
	# no tag at all once crashed a worker (NULL into tagedit_clean)
	vw POST "/api/v1/images/$id/tags" 422 '{}' || return 1
	[ "$(json '"tag" in d["errors"]')" = True ] || return 1
	vw POST /api/v1/images/AAAAAAAAAAAAAAAA/tags 404 '{"tag":"cat"}' || return 1
	v POST "/api/v1/images/$id/tags" 403 -H "$CJ" --data '{"tag":"cat"}' || return 1
	vw PATCH "/api/v1/images/$id/tags" 200 '{"tag":"#GoldenHour","state":"accepted"}' || return 1
	vw PATCH "/api/v1/images/$id/tags" 200 '{"order":"#GoldenHour"}' || return 1
	vw PATCH "/api/v1/images/$id/tags" 422 '{"tag":"GoldenHour"}' || return 1
	vw PATCH "/api/v1/images/$id/tags" 422 '{"tag":"GoldenHour","state":"loved"}' || return 1
	[ "$(json '"state" in d["errors"]')" = True ] || return 1
	vw PATCH "/api/v1/images/$id/tags" 404 '{"tag":"NotOnThisPhoto","state":"rejected"}' || return 1
	v GET "/api/v1/images/$id/copy" 200 || return 1
	v GET "/api/v1/images/$id/copy?platform=x" 200 || return 1
	[ "$(json 'd["platform"]')" = x ] || return 1
	v GET "/api/v1/images/$id/copy?platform=myspace" 422 || return 1
	v GET /api/v1/images/AAAAAAAAAAAAAAAA/copy 404 || return 1

	v GET "/api/v1/images/$id/xmp" 200 || return 1
	expect_body 'GoldenHour' || return 1
	v GET /api/v1/images/AAAAAAAAAAAAAAAA/xmp 404 || return 1
	v GET /api/v1/exports/history.csv 200 || return 1
	v GET /api/v1/exports/history.json 200 || return 1
	[ "$(json 'len(d["photos"])')" = 2 ] || fail "two photos exported" || return 1
	JAR=anon.jar v GET /api/v1/exports/history.json 401 || return 1

	vw DELETE "/api/v1/images/$id2" 204 || return 1
	vw DELETE "/api/v1/images/$id2" 404 || return 1
	v DELETE "/api/v1/images/$id" 403 || return 1
}

test_contract_upload_quotas() {
	ct_user || return 1
	# the e2e stack allows 12 uploads a day: 13 files, 12 stored, 1 refused (429)
	n=0 files=""
	while [ $n -lt 13 ]; do
		n=$((n + 1))
		ct_variant "$FIX/cat.jpg" "q$n.jpg" "quota-$n" || return 1
		files="$files q$n.jpg"
	done
	# shellcheck disable=SC2086
	ct_upload 201 $files || return 1
	[ "$(json 'len(d["images"]), [r["status"] for r in d["rejected"]]')" = "12 [429]" ] ||
		fail "12 stored and one refused" || return 1
	expect_header 'Retry-After: [0-9]+' || return 1
	ct_variant "$FIX/cat.jpg" q14.jpg quota-14 && ct_upload 429 q14.jpg || return 1
	# storage: 3 MB in the e2e config
	JAR=other.jar
	ct_user || return 1
	ct_upload 201 "$FIX/coffee-12mp.jpg" || return 1
	ct_variant "$FIX/coffee-12mp.jpg" big2.jpg more && ct_upload 403 big2.jpg || return 1
	[ "$(json 'd["rejected"][0]["status"]')" = 403 ] || fail "errors lists the file"
}

test_contract_prefs() {
	ct_user || return 1
	v GET /api/v1/me/prefs 200 || return 1
	v GET /api/v1/me/prefs 304 -H "If-None-Match: $(ct_etag)" || return 1
	vw PUT /api/v1/me/prefs 200 \
		'{"platform":"tiktok","case":"camel","max":"5","lang":"both","always":"#mine","banned":"#nope"}' ||
		return 1
	[ "$(json 'd["platform"], d["max"], d["always"]')" = "tiktok 5 #mine" ] || return 1
	vw PUT /api/v1/me/prefs 422 '{"max":"99"}' || return 1
	[ "$(json 'list(d["errors"])')" = "['max']" ] || fail "errors.max" || return 1
	vw PUT /api/v1/me/prefs 422 '{"platform":"myspace"}' || return 1
	# numbers are refused: every value is a string
	vw PUT /api/v1/me/prefs 200 '{"max":5}' || return 1
	v PUT /api/v1/me/prefs 403 -H "$CJ" --data '{"max":"7"}' || return 1
	JAR=anon.jar v GET /api/v1/me/prefs 401
}

test_contract_collections() {
	ct_user || return 1
	ct_variant "$FIX/rocket.jpg" r.jpg contract-c && ct_upload 201 r.jpg || return 1
	img=$(json 'd["images"][0]["id"]')
	ct_variant "$FIX/coffee.jpg" c.jpg contract-c && ct_upload 201 c.jpg || return 1
	img2=$(json 'd["images"][0]["id"]')
	vw POST /api/v1/collections 201 '{"name":"Trips <b>&"}' || return 1
	cid=$(json 'd["id"]')
	expect_header "Location: /api/v1/collections/$cid" || return 1
	vw POST /api/v1/collections 409 '{"name":"TRIPS <B>&"}' || return 1
	vw POST /api/v1/collections 422 '{"name":"   "}' || return 1
	vw POST /api/v1/collections 422 '{}' || return 1
	vw POST /api/v1/collections 201 '{"name":"Other"}' || return 1
	other=$(json 'd["id"]')
	vw POST "/api/v1/collections/$cid/images" 201 "{\"image_id\":\"$img\"}" || return 1
	vw POST "/api/v1/collections/$cid/images" 200 "{\"image_id\":\"$img\"}" || return 1
	vw POST "/api/v1/collections/$cid/images" 201 "{\"image_id\":\"$img2\"}" || return 1
	vw POST "/api/v1/collections/$cid/images" 404 '{"image_id":"AAAAAAAAAAAAAAAA"}' || return 1
	vw POST /api/v1/collections/AAAAAAAAAAAAAAAA/images 404 "{\"image_id\":\"$img\"}" || return 1
	v GET /api/v1/collections 200 || return 1
	[ "$(json 'len(d["collections"])')" = 2 ] || return 1
	v GET '/api/v1/collections?q=trip&tag=%23nosuchtag' 200 || return 1
	v GET "/api/v1/collections/$cid" 200 || return 1
	v GET "/api/v1/collections/$cid" 304 -H "If-None-Match: $(ct_etag)" || return 1
	v GET "/api/v1/collections/$cid?limit=1" 200 || return 1
	cursor=$(json 'd["next_cursor"]')
	[ "$cursor" != None ] || fail "no next_cursor with limit=1" || return 1
	v GET "/api/v1/collections/$cid?limit=1&cursor=$cursor" 200 || return 1
	v GET "/api/v1/collections/$cid?cursor=abc" 422 || return 1
	v GET /api/v1/collections/AAAAAAAAAAAAAAAA 404 || return 1
	vw PATCH "/api/v1/collections/$cid" 200 '{"name":"Journeys"}' || return 1
	vw PATCH "/api/v1/collections/$cid" 409 '{"name":"other"}' || return 1
	vw PATCH "/api/v1/collections/$cid" 422 '{"name":""}' || return 1
	vw PATCH /api/v1/collections/AAAAAAAAAAAAAAAA 404 '{"name":"Nope"}' || return 1
	vw POST "/api/v1/collections/$cid/share" 201 || return 1
	JAR=anon.jar req GET "$(json 'd["url"]')" && expect_status 200 || return 1
	vw POST /api/v1/collections/AAAAAAAAAAAAAAAA/share 404 || return 1
	vw DELETE "/api/v1/collections/$cid/share" 204 || return 1
	vw DELETE /api/v1/collections/AAAAAAAAAAAAAAAA/share 404 || return 1
	vw DELETE "/api/v1/collections/$cid/images/$img" 204 || return 1
	vw DELETE "/api/v1/collections/$cid/images/$img" 404 || return 1
	vw DELETE "/api/v1/collections/$cid" 204 || return 1
	vw DELETE "/api/v1/collections/$cid" 404 || return 1
	v DELETE "/api/v1/collections/$other" 403 || return 1
	JAR=anon.jar v GET /api/v1/collections 401
}

test_contract_client_auth_and_tokens() {
	ct_user || return 1
	J=/dev/null
	JAR=$J v POST /api/v1/auth/login 200 -H "$CJ" \
		--data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" || return 1
	at=$(json 'd["access_token"]') rt=$(json 'd["refresh_token"]')
	JAR=$J v POST /api/v1/auth/login 401 -H "$CJ" \
		--data "{\"email\":\"$EMAIL\",\"password\":\"not the password\"}" || return 1
	JAR=$J v POST /api/v1/auth/login 422 -H "$CJ" --data '{"email":"x@example.org"}' || return 1
	JAR=$J v POST /api/v1/auth/refresh 200 -H "$CJ" --data "{\"refresh_token\":\"$rt\"}" || return 1
	JAR=$J v POST /api/v1/auth/refresh 401 -H "$CJ" --data "{\"refresh_token\":\"$rt\"}" || return 1
	JAR=$J v POST /api/v1/auth/refresh 422 -H "$CJ" --data '{}' || return 1
	JAR=$J v POST /api/v1/auth/login 200 -H "$CJ" \
		--data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" || return 1
	rt3=$(json 'd["refresh_token"]')
	JAR=$J v POST /api/v1/auth/logout 204 -H "$CJ" --data "{\"refresh_token\":\"$rt3\"}" || return 1
	JAR=$J v POST /api/v1/auth/logout 401 -H "$CJ" \
		--data '{"refresh_token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}' || return 1
	JAR=$J v POST /api/v1/auth/logout 422 -H "$CJ" --data '{}' || return 1

	B="Authorization: Bearer $at"
	JAR=$J v GET /api/v1/me 200 -H "$B" || return 1
	JAR=$J v GET /api/v1/me/tokens 200 -H "$B" || return 1
	JAR=$J v POST /api/v1/me/tokens 201 -H "$B" -H "$CJ" --data '{"name":"script","scopes":["read"]}' ||
		return 1
	ro=$(json 'd["token"]') tid=$(json 'd["id"]')
	JAR=$J v POST /api/v1/me/tokens 422 -H "$B" -H "$CJ" --data '{"name":"x","scopes":["write"]}' ||
		return 1
	JAR=$J v POST /api/v1/me/tokens 422 -H "$B" -H "$CJ" --data '{"name":"x","scopes":["admin"]}' ||
		return 1
	JAR=$J v POST /api/v1/me/tokens 422 -H "$B" -H "$CJ" --data '{"name":"x"}' || return 1
	JAR=$J v GET /api/v1/images 200 -H "Authorization: Bearer $ro" || return 1
	JAR=$J v GET /api/v1/me/tokens 200 -H "$B" || return 1
	[ "$(json 'd["tokens"][0]["last_used_at"] is not None')" = True ] || fail "last_used_at" ||
		return 1
	# scopes: a read-only token writes nothing, a personal token never manages tokens
	JAR=$J v POST /api/v1/collections 403 -H "Authorization: Bearer $ro" -H "$CJ" \
		--data '{"name":"x"}' || return 1
	JAR=$J v GET /api/v1/me/tokens 403 -H "Authorization: Bearer $ro" || return 1
	JAR=$J v GET /api/v1/me/tokens 401 -H 'Authorization: Bearer ht_nonsense' || return 1
	JAR=$J v DELETE "/api/v1/me/tokens/$tid" 204 -H "$B" || return 1
	JAR=$J v DELETE "/api/v1/me/tokens/$tid" 404 -H "$B" || return 1
	JAR=$J v GET /api/v1/images 401 -H "Authorization: Bearer $ro" || return 1
	# the session works for tokens too (with the CSRF header for writes)
	vw POST /api/v1/me/tokens 201 '{"name":"from the session","scopes":"read upload"}' || return 1
	vw DELETE "/api/v1/me/tokens/$(json 'd["id"]')" 204
}
