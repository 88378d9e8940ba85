# test-collections.sh: collections (folders of photos) through the pages and
# the API, privacy between users, search by name and hashtag, share links
# (logged out, thumbnails only, flagged photos hidden, revocation), CSRF and
# escaping.

# coll_tok: the session's CSRF token, for API writes
coll_tok() { req GET /api/v1/me && json 'd["csrf"]'; }

# capi METHOD PATH [JSON]: an API call carrying the session's CSRF header
capi() {
	_cm=$1 _cp=$2 _cb=${3:-}
	_ct=$(coll_tok)
	if [ -n "$_cb" ]; then
		req "$_cm" "$_cp" -H "X-CSRF-Token: $_ct" -H 'Content-Type: application/json' \
			--data-binary "$_cb"
	elif [ "$_cm" = POST ]; then # lighttpd wants a Content-Length on POST
		req "$_cm" "$_cp" -H "X-CSRF-Token: $_ct" --data-binary ''
	else
		req "$_cm" "$_cp" -H "X-CSRF-Token: $_ct"
	fi
}

# coll_json KEY VALUE: {"KEY": "VALUE"} with VALUE JSON-escaped
coll_json() { python3 -c 'import json,sys; print(json.dumps({sys.argv[1]: sys.argv[2]}))' "$1" "$2"; }

# coll_new NAME: create a collection through the API; prints its id
coll_new() {
	capi POST /api/v1/collections "$(coll_json name "$1")" && expect_status 201 >&2 &&
		json 'd["id"]'
}

# coll_photo FILE: upload one photo through the API; prints its id
coll_photo() { api_upload "$1" && expect_status 201 >&2 && json 'd["images"][0]["id"]'; }

# coll_add COLLECTION IMAGE: add a photo through the API
coll_add() { capi POST "/api/v1/collections/$1/images" "$(coll_json image_id "$2")"; }

# cform PATH name=value...: POST a form with the session's CSRF token
cform() { _fp=$1; shift; req GET /collections && form "$_fp" "$@"; }

# the collection id in the Location header of the last answer
coll_location() { sed -n 's|^Location: /c/\([A-Za-z0-9_-]*\)$|\1|p' h; }

# the share token in the last page
coll_page_token() { grep -o '/s/[A-Za-z0-9_-]\{43\}' b | head -n 1 | cut -c4-; }

test_collection_pages_create_rename_delete() {
	register "$(new_email)" || return 1
	req GET /collections
	expect_status 200 && expect_body 'You have no collections yet' || return 1
	expect_body '<a href="/collections">Collections</a>' || return 1
	form /collections "name=  Holidays  "
	expect_status 303 || return 1
	id=$(coll_location)
	[ -n "$id" ] || fail "no redirect to the new collection" || return 1
	req GET /collections
	expect_status 200 && expect_body ">Holidays</a>" && expect_body '0 photos' || return 1
	req GET "/c/$id"
	expect_status 200 && expect_body '<h1 class="photo-title">Holidays</h1>' || return 1
	expect_body 'private' && expect_body 'No photos in this collection yet' || return 1
	form "/c/$id/rename" "name=Summer 2026"
	expect_status 303 && expect_header "Location: /c/$id\$" || return 1
	req GET "/c/$id"
	expect_body '<h1 class="photo-title">Summer 2026</h1>' || return 1
	cform /collections "name=SUMMER 2026"
	expect_status 409 && expect_body 'already have a collection with this name' || return 1
	cform "/c/$id/rename" "name=   "
	expect_status 422 && expect_body 'Give the collection a name' || return 1
	long=$(python3 -c 'print("x" * 101)')
	cform /collections "name=$long"
	expect_status 422 && expect_body 'at most 100 characters' || return 1
	accents=$(python3 -c 'print("é" * 100)')
	cform /collections "name=$accents"
	expect_status 303 || return 1
	cform "/c/$id/delete"
	expect_status 422 && expect_body 'Tick the box' || return 1
	req GET "/c/$id"
	expect_status 200 || return 1
	form "/c/$id/delete" "confirm=yes"
	expect_status 303 && expect_header 'Location: /collections$' || return 1
	req GET "/c/$id"
	expect_status 404 || return 1
	req GET /collections
	expect_no_body 'Summer 2026' && expect_body "$accents"
}

test_collection_api_crud() {
	register "$(new_email)" || return 1
	capi POST /api/v1/collections '{"name":"Trips"}'
	expect_status 201 && expect_header 'Location: /api/v1/collections/[A-Za-z0-9_-]{16}$' || return 1
	id=$(json 'd["id"]')
	[ "$(json 'd["name"], d["photo_count"], d["shared"], d["cover"], d["urls"]["page"]')" = \
		"Trips 0 False None /c/$id" ] || fail "collection shape" || return 1
	capi POST /api/v1/collections '{"name":"tRIPS"}'
	expect_status 409 && expect_header 'Content-Type: application/problem\+json' || return 1
	[ -n "$(json 'd["errors"]["name"]')" ] || fail "no field error" || return 1
	capi POST /api/v1/collections '{"name":"  "}'
	expect_status 422 || return 1
	capi POST /api/v1/collections '{}'
	expect_status 422 && [ "$(json '"name" in d["errors"]')" = True ] || return 1
	req GET /api/v1/collections
	expect_status 200 && [ "$(json '[c["name"] for c in d["collections"]]')" = "['Trips']" ] ||
		fail "list" || return 1
	capi PATCH "/api/v1/collections/$id" '{"name":"Journeys"}'
	expect_status 200 && [ "$(json 'd["name"]')" = Journeys ] || fail "PATCH rename" || return 1
	capi POST "/api/v1/collections/$id" '{"name":"Voyages"}'
	expect_status 405 || return 1
	capi PATCH "/api/v1/collections/$id" '{"name":"Voyages"}'
	expect_status 200 && [ "$(json 'd["name"]')" = Voyages ] || fail "second rename" || return 1
	req GET "/api/v1/collections/$id"
	expect_status 200 || return 1
	[ "$(json 'd["name"], d["images"], d["next_cursor"]')" = "Voyages [] None" ] ||
		fail "get" || return 1
	capi DELETE "/api/v1/collections/$id"
	expect_status 204 || return 1
	req GET "/api/v1/collections/$id"
	expect_status 404 && expect_header 'Content-Type: application/problem\+json' || return 1
	capi DELETE "/api/v1/collections/$id"
	expect_status 404 || return 1
	capi PATCH "/api/v1/collections/$id" '{"name":"Back"}'
	expect_status 404
}

test_collection_add_remove_photos() {
	register "$(new_email)" || return 1
	cat=$(coll_photo "$FIX/cat.jpg") && rocket=$(coll_photo "$FIX/rocket.jpg") &&
		coffee=$(coll_photo "$FIX/coffee.jpg") || return 1
	cid=$(coll_new "Mixed") && cid2=$(coll_new "Second") || return 1
	coll_add "$cid" "$cat"
	expect_status 201 || return 1
	[ "$(json 'd["photo_count"], d["cover"]["id"], d["cover"]["thumb"]')" = \
		"1 $cat /media/$cat/thumb" ] || fail "count and cover after add" || return 1
	coll_add "$cid" "$cat"
	expect_status 200 && [ "$(json 'd["photo_count"]')" = 1 ] || fail "added twice" || return 1
	coll_add "$cid" "$rocket" && expect_status 201 || return 1
	cform "/c/$cid/add" "image=$coffee"
	expect_status 303 && expect_header "Location: /c/$cid\$" || return 1
	req GET "/api/v1/collections/$cid"
	[ "$(json '" ".join(i["id"] for i in d["images"])')" = "$cat $rocket $coffee" ] ||
		fail "photos not in the order added" || return 1
	[ "$(json 'd["images"][0]["name"], d["images"][0]["urls"]["thumb"], d["images"][0]["status"]')" = \
		"cat.jpg /media/$cat/thumb tagged" ] || fail "photo shape" || return 1
	req GET "/api/v1/collections/$cid?limit=2"
	[ "$(json 'len(d["images"])')" = 2 ] || fail "limit" || return 1
	cursor=$(json 'd["next_cursor"]')
	req GET "/api/v1/collections/$cid?limit=2&cursor=$cursor"
	[ "$(json '[i["id"] for i in d["images"]], d["next_cursor"]')" = "['$coffee'] None" ] ||
		fail "second page" || return 1
	req GET "/api/v1/collections/$cid?cursor=x1"
	expect_status 422 || return 1
	# the photo page: member of Mixed, can go into Second
	req GET "/p/$rocket"
	expect_status 200 && expect_body "<a href=\"/c/$cid\">Mixed</a>" || return 1
	expect_body "<option value=\"$cid2\">Second</option>" && expect_body 'action="/c/add"' || return 1
	expect_no_body "<option value=\"$cid\">" || return 1
	form /c/add "collection=$cid2" "image=$rocket"
	expect_status 303 && expect_header "Location: /p/$rocket\$" || return 1
	req GET "/api/v1/collections/$cid2"
	[ "$(json '[i["id"] for i in d["images"]]')" = "['$rocket']" ] || fail "added from photo page" ||
		return 1
	# remove: API and page; the photos themselves stay
	capi DELETE "/api/v1/collections/$cid/images/$rocket"
	expect_status 204 || return 1
	capi DELETE "/api/v1/collections/$cid/images/$rocket"
	expect_status 404 || return 1
	cform "/c/$cid/remove" "image=$cat"
	expect_status 303 && expect_header "Location: /c/$cid\$" || return 1
	req GET "/c/$cid"
	expect_status 200 && expect_body 'coffee.jpg' && expect_no_body 'cat.jpg' || return 1
	expect_body '1 photo' || return 1
	req GET "/api/v1/images/$cat"
	expect_status 200 || return 1
	# deleting a photo takes it out of its collections; deleting a collection keeps photos
	capi DELETE "/api/v1/images/$coffee"
	expect_status 204 || return 1
	req GET "/api/v1/collections/$cid"
	[ "$(json 'd["photo_count"], d["images"], d["cover"]')" = "0 [] None" ] ||
		fail "deleted photo still in the collection" || return 1
	capi DELETE "/api/v1/collections/$cid2"
	req GET "/api/v1/images/$rocket"
	expect_status 200
}

test_collection_of_another_user_is_404_everywhere() {
	JAR=a.jar register "$(new_email)" || return 1
	rocket=$(JAR=a.jar coll_photo "$FIX/rocket.jpg") || return 1
	cid=$(JAR=a.jar coll_new "Alice only") || return 1
	JAR=a.jar coll_add "$cid" "$rocket" && expect_status 201 || return 1
	JAR=a.jar capi POST "/api/v1/collections/$cid/share" && expect_status 201 || return 1
	stok=$(json 'd["token"]')
	JAR=b.jar register "$(new_email)" || return 1
	cat=$(JAR=b.jar coll_photo "$FIX/cat.jpg") || return 1
	mine=$(JAR=b.jar coll_new "Bob's") || return 1
	for other in "$cid" AAAAAAAAAAAAAAAA; do
		for p in "/c/$other" "/api/v1/collections/$other"; do
			JAR=b.jar req GET "$p"
			expect_status 404 || return 1
		done
		for call in "PATCH /api/v1/collections/$other {\"name\":\"Mine\"}" \
			"POST /api/v1/collections/$other/images {\"image_id\":\"$cat\"}" \
			"DELETE /api/v1/collections/$other/images/$rocket" \
			"POST /api/v1/collections/$other/share" \
			"DELETE /api/v1/collections/$other/share" \
			"DELETE /api/v1/collections/$other"; do
			set -- $call
			JAR=b.jar capi "$1" "$2" "${3:-}"
			[ "$STATUS" = 404 ] || fail "$call: expected 404, got $STATUS" || return 1
		done
		for f in "rename name=Mine" "delete confirm=yes" "add image=$cat" \
			"remove image=$rocket" "share" "unshare"; do
			set -- $f
			_a=$1; shift
			JAR=b.jar cform "/c/$other/$_a" "$@"
			[ "$STATUS" = 404 ] || fail "/c/$other/$_a: expected 404, got $STATUS" || return 1
		done
		JAR=b.jar cform /c/add "collection=$other" "image=$cat"
		expect_status 404 || return 1
	done
	# Alice's photo into Bob's own collection
	JAR=b.jar coll_add "$mine" "$rocket"
	expect_status 404 || return 1
	JAR=b.jar cform "/c/$mine/add" "image=$rocket"
	expect_status 404 || return 1
	JAR=b.jar cform /c/add "collection=$mine" "image=$rocket"
	expect_status 404 || return 1
	JAR=b.jar req GET "/api/v1/collections?q=Alice"
	[ "$(json 'd["collections"]')" = "[]" ] || fail "Alice's collection listed for Bob" || return 1
	JAR=b.jar req GET /collections
	expect_no_body 'Alice only' || return 1
	# Bob's photo page offers only Bob's collections; Alice's is untouched
	JAR=b.jar req GET "/p/$cat"
	expect_body "<option value=\"$mine\">" && expect_no_body "$cid" || return 1
	JAR=a.jar req GET "/api/v1/collections/$cid"
	[ "$(json 'd["name"], d["photo_count"], d["shared"]')" = "Alice only 1 True" ] ||
		fail "Alice's collection changed" || return 1
	JAR=anon.jar req GET "/s/$stok"
	expect_status 200 && expect_body 'rocket.jpg'
}

test_collection_search_by_name_and_hashtag() {
	register "$(new_email)" || return 1
	api_upload "$FIX/cat.jpg" && expect_status 201 || return 1
	cat=$(json 'd["images"][0]["id"]')
	[ "$(json '"Cat" in [t["tag"] for t in d["images"][0]["tags"]]')" = True ] ||
		fail "the tagger gave cat.jpg no #cat" || return 1
	rocket=$(coll_photo "$FIX/rocket.jpg") || return 1
	pets=$(coll_new "Pets 100%_off") && space=$(coll_new "Space") && coll_new "Empty" >/dev/null ||
		return 1
	coll_add "$pets" "$cat" && coll_add "$space" "$rocket" || return 1
	for q in "pets:Pets 100%_off" "PETS:Pets 100%_off" "%25:Pets 100%_off" "_:Pets 100%_off" \
		"ac:Space" "e:Empty Pets 100%_off Space" "zzz:"; do
		req GET "/api/v1/collections?q=${q%%:*}"
		expect_status 200 || return 1
		got=$(json '" ".join(c["name"] for c in d["collections"])')
		[ "$got" = "${q#*:}" ] || fail "q=${q%%:*}: got '$got'" || return 1
	done
	for t in cat %23cat CAT %23Cat; do
		req GET "/api/v1/collections?tag=$t"
		[ "$(json '[c["id"] for c in d["collections"]]')" = "['$pets']" ] ||
			fail "tag=$t" || return 1
	done
	req GET "/api/v1/collections?tag=dog"
	[ "$(json 'd["collections"]')" = "[]" ] || fail "tag=dog" || return 1
	req GET "/api/v1/collections?tag=cat&q=space"
	[ "$(json 'd["collections"]')" = "[]" ] || fail "tag and q together" || return 1
	req GET "/collections?tag=%23cat"
	expect_status 200 && expect_body 'Pets 100%_off' && expect_no_body '>Space<' || return 1
	req GET "/collections?q=nothing-like-this"
	expect_status 200 && expect_body 'No collections match' || return 1
	# a hashtag the owner rejected does not count
	sql "UPDATE image_tags SET state = 'rejected' WHERE lower(tag) = 'cat' AND image_id =
		(SELECT id FROM images WHERE public_id = '$cat')" >/dev/null
	req GET "/api/v1/collections?tag=cat"
	[ "$(json 'd["collections"]')" = "[]" ] || fail "a rejected hashtag still matches"
}

test_collection_share_link_logged_out() {
	email=$(new_email)
	register "$email" || return 1
	cat=$(CAPTION="Sunday with Tom" coll_photo "$FIX/cat.jpg") &&
		rocket=$(coll_photo "$FIX/rocket.jpg") && coffee=$(coll_photo "$FIX/coffee.jpg") ||
		return 1
	cid=$(coll_new "Shared things") || return 1
	coll_add "$cid" "$cat" && coll_add "$cid" "$rocket" || return 1
	capi POST "/api/v1/collections/$cid/share"
	expect_status 201 || return 1
	stok=$(json 'd["token"]')
	[ "$(json 'd["url"]')" = "/s/$stok" ] && [ ${#stok} = 43 ] || fail "share answer" || return 1
	[ "$(sql "SELECT share_token_hash FROM collections WHERE public_id = '$cid'")" = \
		"$(printf '%s' "$stok" | sha256sum | cut -c1-64)" ] || fail "stored hash" || return 1
	[ "$(sql "SELECT count(*) FROM collections WHERE share_token_hash = '$stok'")" = 0 ] ||
		fail "raw token stored" || return 1
	req GET "/api/v1/collections/$cid"
	[ "$(json 'd["shared"]')" = True ] && ! grep -qF "$stok" b || fail "token shown again" ||
		return 1
	JAR=anon.jar req GET "/s/$stok"
	expect_status 200 && expect_body 'Shared things' && expect_body 'cat.jpg' || return 1
	expect_body 'rocket.jpg' && expect_body 'Sunday with Tom' && expect_body '#cat' || return 1
	expect_body "src=\"/s/$stok/t/$cat\"" && expect_body '2 photos' || return 1
	expect_header 'X-Robots-Tag: noindex' || return 1
	expect_no_body '/media/' && expect_no_body "/p/$cat" && expect_no_body "$email" || return 1
	expect_no_body 'coffee.jpg' || return 1
	JAR=anon.jar req GET "/s/$stok/t/$cat"
	expect_status 200 && expect_header 'Content-Type: image/jpeg' || return 1
	expect_header 'Cache-Control: private, no-cache' || return 1
	cp b shared-thumb.jpg
	! grep -qa 'Exif' shared-thumb.jpg || fail "shared thumbnail has EXIF" || return 1
	req GET "/media/$cat/thumb"
	cmp -s b shared-thumb.jpg || fail "not the photo's thumbnail" || return 1
	for p in "/media/$cat/original" "/media/$cat/thumb" "/p/$cat" "/p/$cat/export"; do
		JAR=anon.jar req GET "$p"
		expect_status 303 || return 1
	done
	for p in "/s/$stok/t/$coffee" "/s/$stok/original/$cat" "/s/$stok/t/AAAAAAAAAAAAAAAA" \
		"/s/AAAA" "/s/$(printf '%43s' | tr ' ' A)" "/s/$stok/t/$cat/original"; do
		JAR=anon.jar req GET "$p"
		[ "$STATUS" = 404 ] || fail "$p: expected 404, got $STATUS" || return 1
	done
	JAR=anon.jar req GET "/s/$(printf '%43s' | tr ' ' B)"
	expect_status 404 && expect_body 'no longer shared' || return 1
	# chosen hashtags replace the suggestions; rejected ones never show
	sql "INSERT INTO image_tags (image_id, tag, source, state) SELECT id, 'MyFavourite', 'user',
		'added' FROM images WHERE public_id = '$cat'" >/dev/null
	JAR=anon.jar req GET "/s/$stok"
	expect_body '#myfavourite' && expect_no_body '#cat' || return 1
	# a flagged photo disappears from the link at once, thumbnail included
	sql "UPDATE images SET flagged = true WHERE public_id = '$rocket'" >/dev/null
	JAR=anon.jar req GET "/s/$stok"
	expect_status 200 && expect_no_body 'rocket.jpg' && expect_no_body "$rocket" || return 1
	expect_body '1 photo' || return 1
	JAR=anon.jar req GET "/s/$stok/t/$rocket"
	expect_status 404 || return 1
	req GET "/c/$cid"
	expect_body 'rocket.jpg' && expect_body 'Hidden from the share link' || return 1
	# the owner logged in sees the same read-only page
	req GET "/s/$stok"
	expect_status 200 && expect_no_body 'rocket.jpg'
}

test_collection_share_revoke_and_renew() {
	register "$(new_email)" || return 1
	cat=$(coll_photo "$FIX/cat.jpg") && cid=$(coll_new "Soon gone") || return 1
	coll_add "$cid" "$cat" || return 1
	cform "/c/$cid/share"
	expect_status 200 && expect_body 'shown only this once' || return 1
	t1=$(coll_page_token)
	[ ${#t1} = 43 ] || fail "no share link on the page" || return 1
	expect_body "value=\"http://127.0.0.1" && expect_body "href=\"/s/$t1\"" || return 1
	req GET "/c/$cid"
	expect_status 200 && expect_no_body "$t1" && expect_body 'Stop sharing' || return 1
	JAR=anon.jar req GET "/s/$t1"
	expect_status 200 && expect_body 'cat.jpg' || return 1
	cform "/c/$cid/unshare"
	expect_status 303 || return 1
	for p in "/s/$t1" "/s/$t1/t/$cat"; do
		JAR=anon.jar req GET "$p"
		expect_status 404 || return 1
	done
	[ "$(sql "SELECT share_token_hash IS NULL AND shared_at IS NULL FROM collections
		WHERE public_id = '$cid'")" = t ] || fail "revoked hash kept" || return 1
	capi POST "/api/v1/collections/$cid/share" && expect_status 201 || return 1
	t2=$(json 'd["token"]')
	capi POST "/api/v1/collections/$cid/share" && expect_status 201 || return 1
	t3=$(json 'd["token"]')
	[ "$t2" != "$t1" ] && [ "$t3" != "$t2" ] || fail "a share token was reused" || return 1
	for t in "$t1" "$t2"; do
		JAR=anon.jar req GET "/s/$t"
		expect_status 404 || return 1
	done
	JAR=anon.jar req GET "/s/$t3/t/$cat"
	expect_status 200 || return 1
	capi DELETE "/api/v1/collections/$cid/share"
	expect_status 204 || return 1
	JAR=anon.jar req GET "/s/$t3"
	expect_status 404 || return 1
	capi DELETE "/api/v1/collections/$cid/share"
	expect_status 204 || return 1
	# deleting a shared collection kills its link too
	capi POST "/api/v1/collections/$cid/share" && t4=$(json 'd["token"]')
	capi DELETE "/api/v1/collections/$cid" && expect_status 204 || return 1
	JAR=anon.jar req GET "/s/$t4"
	expect_status 404
}

test_collection_writes_need_csrf() {
	register "$(new_email)" || return 1
	cat=$(coll_photo "$FIX/cat.jpg") && cid=$(coll_new "Guarded") || return 1
	for f in "/collections name=New" "/c/$cid/rename name=Hacked" "/c/$cid/delete confirm=yes" \
		"/c/$cid/add image=$cat" "/c/add collection=$cid image=$cat" \
		"/c/$cid/remove image=$cat" "/c/$cid/share" "/c/$cid/unshare"; do
		set -- $f
		_p=$1; shift
		for kv in "$@"; do set -- "$@" --data-urlencode "$kv"; shift; done
		[ $# = 0 ] && set -- --data-binary ''
		req POST "$_p" "$@"
		[ "$STATUS" = 403 ] || fail "$_p without a token: $STATUS" || return 1
		req POST "$_p" "$@" --data-urlencode "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		[ "$STATUS" = 403 ] || fail "$_p with a wrong token: $STATUS" || return 1
	done
	ctok=$(coll_tok)
	req POST "/c/$cid/share" -H "Origin: http://evil.example" --data-urlencode "csrf=$ctok"
	expect_status 403 || return 1
	for call in "POST /api/v1/collections" "PATCH /api/v1/collections/$cid" \
		"DELETE /api/v1/collections/$cid" \
		"POST /api/v1/collections/$cid/images" "DELETE /api/v1/collections/$cid/images/$cat" \
		"POST /api/v1/collections/$cid/share" "DELETE /api/v1/collections/$cid/share"; do
		set -- $call
		req "$1" "$2" -H 'Content-Type: application/json' --data-binary "{\"name\":\"X\",\"image_id\":\"$cat\"}"
		[ "$STATUS" = 403 ] || fail "$call without X-CSRF-Token: $STATUS" || return 1
	done
	req GET "/api/v1/collections"
	[ "$(json '[(c["name"], c["photo_count"], c["shared"]) for c in d["collections"]]')" = \
		"[('Guarded', 0, False)]" ] || fail "a write went through without CSRF" || return 1
	JAR=anon.jar req GET /collections
	expect_status 303 && expect_header 'Location: /login\?next=/collections' || return 1
	JAR=anon.jar req GET /api/v1/collections
	expect_status 401 || return 1
	JAR=anon.jar req GET "/c/$cid"
	expect_status 303
}

test_collection_hostile_name_is_escaped() {
	register "$(new_email)" || return 1
	cat=$(coll_photo "$FIX/cat.jpg") || return 1
	cform /collections "name=<script>'\"&"
	expect_status 303 || return 1
	cid=$(coll_location)
	esc='&lt;script&gt;&#39;&quot;&amp;'
	for p in /collections "/c/$cid" "/p/$cat"; do
		req GET "$p"
		expect_status 200 && expect_no_body "<script>'" && expect_body "$esc" || return 1
	done
	coll_add "$cid" "$cat" && expect_status 201 || return 1
	[ "$(json 'd["name"]')" = "<script>'\"&" ] || fail "API name changed" || return 1
	req GET "/p/$cat"
	expect_body "<a href=\"/c/$cid\">$esc</a>" || return 1
	capi POST "/api/v1/collections/$cid/share" && stok=$(json 'd["token"]')
	JAR=anon.jar req GET "/s/$stok"
	expect_status 200 && expect_no_body "<script>'" && expect_body "<title>$esc</title>" || return 1
	cform "/c/$cid/rename" "name=<script>'\"&"
	expect_status 303 || return 1
	cform /collections "name=<SCRIPT>'\"&"
	expect_status 409 && expect_no_body "<SCRIPT>'" && expect_body '&lt;SCRIPT&gt;'
}
