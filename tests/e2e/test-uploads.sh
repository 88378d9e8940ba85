# test-uploads.sh: uploading through the form and the API, what is stored,
# who may see it, and every kind of bad file refused with nothing stored.

# id of the first image in the last JSON answer
first_id() { json 'd["images"][0]["id"]'; }

test_upload_page_single_file() {
	register "$(new_email)" || return 1
	page_upload "$FIX/cat.jpg"
	expect_status 200 && expect_body 'cat.jpg' && expect_body '#cat' || return 1
	id=$(sed -n 's|.*href="/p/\([A-Za-z0-9_-]*\)".*|\1|p' b | head -n 1)
	[ -n "$id" ] || fail "no photo link on the result page" || return 1
	req GET /history
	expect_status 200 && expect_body "/media/$id/thumb" || return 1
	req GET "/p/$id"
	expect_status 200 && expect_body '451 × 300 px' && expect_body 'image/jpeg' || return 1
	req GET "/media/$id/thumb"
	expect_status 200 && expect_header 'Content-Type: image/jpeg' || return 1
	expect_header 'Cache-Control: private, max-age=31536000, immutable' || return 1
	expect_header 'X-Content-Type-Options: nosniff' || return 1
	req GET "/media/$id/original"
	expect_status 200 && expect_header 'Content-Type: image/jpeg' || return 1
	expect_header 'Content-Disposition: attachment; filename="cat.jpg"' || return 1
	expect_header 'X-Content-Type-Options: nosniff' || return 1
	cmp -s b "$FIX/cat.jpg" || fail "the original is not the uploaded bytes"
}

test_upload_api_several_files() {
	register "$(new_email)" || return 1
	CAPTION="three at once" api_upload "$FIX/cat.jpg" "$FIX/cat.png" "$FIX/rocket.jpg"
	expect_status 201 || return 1
	[ "$(json 'len(d["images"])')" = 3 ] || fail "expected 3 images" || return 1
	[ "$(json 'd["images"][1]["mime"]')" = image/png ] || fail "second is not PNG" || return 1
	[ "$(json 'd["images"][2]["width"], d["images"][2]["height"]')" = "640 427" ] ||
		fail "rocket size" || return 1
	[ "$(json 'd["images"][0]["caption"]')" = "three at once" ] || fail "caption" || return 1
	[ "$(json 'd["images"][0]["status"]')" = tagged ] || fail "status" || return 1
	id=$(first_id)
	req GET /api/v1/images
	expect_status 200 && [ "$(json 'len(d["images"])')" = 3 ] || fail "list has not 3" || return 1
	req GET "/api/v1/images/$id"
	expect_status 200 && [ "$(json 'd["name"]')" = cat.jpg ] || fail "get by id"
}

test_same_photo_twice_is_recognised() {
	register "$(new_email)" || return 1
	api_upload "$FIX/coffee.jpg" && expect_status 201 || return 1
	id=$(first_id)
	api_upload "$FIX/coffee.jpg" && expect_status 200 || return 1
	[ "$(first_id)" = "$id" ] && [ "$(json 'd["images"][0]["duplicate"]')" = True ] ||
		fail "second upload not recognised as the same photo" || return 1
	req GET /api/v1/images
	[ "$(json 'len(d["images"])')" = 1 ] || fail "duplicate stored twice"
}

test_exif_orientation_applied_and_metadata_stripped() {
	register "$(new_email)" || return 1
	api_upload "$FIX/cat-rot6-gps.jpg" && expect_status 201 || return 1
	[ "$(json 'd["images"][0]["width"], d["images"][0]["height"]')" = "300 451" ] ||
		fail "orientation 6 not applied to the size" || return 1
	id=$(first_id)
	req GET "/media/$id/thumb"
	expect_status 200 || return 1
	! grep -qa 'Exif' b || fail "thumbnail keeps EXIF" || return 1
	req GET "/p/$id/export?format=jpeg&size=200&quality=60"
	expect_status 200 && expect_header 'Content-Type: image/jpeg' || return 1
	expect_header 'Content-Disposition: attachment; filename="cat-rot6-gps.jpg"' || return 1
	! grep -qa 'Exif' b || fail "export keeps EXIF" || return 1
	python3 - <<'EOF' || fail "export is not 133x200 upright"
import struct
d = open("b", "rb").read()
i = 2
while d[i] == 0xFF and d[i + 1] not in (0xC0, 0xC1, 0xC2):
    i += 2 + struct.unpack(">H", d[i + 2:i + 4])[0]
h, w = struct.unpack(">HH", d[i + 5:i + 9])
assert (w, h) == (133, 200), (w, h)
EOF
	req GET "/p/$id/export?format=png&size=100"
	expect_status 200 && expect_header 'Content-Type: image/png' || return 1
	python3 -c "
import struct; d=open('b','rb').read()
assert d[:8]==b'\x89PNG\r\n\x1a\n' and struct.unpack('>II', d[16:24])==(67,100)
assert b'eXIf' not in d and b'tEXt' not in d" || fail "PNG export is not 67x100 without metadata" || return 1
	req GET "/p/$id/export?format=gif"
	expect_status 400 || return 1
	req GET "/p/$id/export?size=3"
	expect_status 400
}

test_other_users_photos_are_404() {
	JAR=alice.jar register "$(new_email)" || return 1
	JAR=alice.jar api_upload "$FIX/rocket.jpg" && expect_status 201 || return 1
	id=$(first_id)
	JAR=bob.jar register "$(new_email)" || return 1
	for p in "/p/$id" "/media/$id/thumb" "/media/$id/original" "/p/$id/export" \
		"/api/v1/images/$id"; do
		JAR=bob.jar req GET "$p"
		expect_status 404 || return 1
		cp b mine.body
		JAR=bob.jar req GET "$(echo "$p" | sed "s/$id/AAAAAAAAAAAAAAAA/")"
		expect_status 404 || return 1
	done
	JAR=bob.jar req GET /upload
	tok=$(csrf_of)
	JAR=bob.jar req DELETE "/api/v1/images/$id" -H "X-CSRF-Token: $tok"
	expect_status 404 || return 1
	JAR=bob.jar req POST "/p/$id/delete" --data-urlencode "csrf=$tok"
	expect_status 404 || return 1
	JAR=alice.jar req GET "/media/$id/thumb"
	expect_status 200
}

test_bad_files_refused_nothing_stored() {
	register "$(new_email)" || return 1
	before=$(media_files)
	head -c 2500000 /dev/urandom >big.jpg
	for case in text.jpg:415 script.svg:415 tiny.gif:415 polyglot-html-jpeg.jpg:415 \
		one-byte.jpg:415 empty.jpg:422 truncated.jpg:422 truncated.png:422 bad-crc.png:422 \
		huge-dims.jpg:422 huge-dims.png:422 idat-bomb.png:422 ztxt-bomb.png:422 big.jpg:413; do
		f=${case%:*} want=${case#*:}
		src="$FIX/$f"
		[ "$f" = big.jpg ] && src=big.jpg
		api_upload "$src"
		[ "$STATUS" = "$want" ] || fail "$f: expected $want, got $STATUS" || return 1
		expect_header 'Content-Type: application/problem\+json' || return 1
		[ -n "$(json 'd["detail"]')" ] || fail "$f: no reason given" || return 1
		[ "$f" = big.jpg ] || [ "$(json 'd["errors"]["file"] == d["detail"] and d["rejected"][0]["status"]')" = "$want" ] ||
			fail "$f: errors.file / rejected" || return 1
		page_upload "$src"
		[ "$STATUS" = "$want" ] || fail "$f (form): expected $want, got $STATUS" || return 1
	done
	req GET /api/v1/images
	[ "$(json 'len(d["images"])')" = 0 ] || fail "a bad file was stored" || return 1
	[ "$(media_files)" = "$before" ] || fail "files left in the media directory" || return 1
	[ -z "$(ls "$VAR/media/tmp")" ] || fail "temp files left behind"
}

test_polyglot_is_only_ever_an_image() {
	register "$(new_email)" || return 1
	api_upload "$FIX/polyglot-jpeg-html.jpg" && expect_status 201 || return 1
	id=$(first_id)
	req GET "/media/$id/original"
	expect_status 200 && expect_header 'Content-Type: image/jpeg' || return 1
	expect_header 'Content-Disposition: attachment' && expect_header 'X-Content-Type-Options: nosniff'
}

test_mixed_batch_stores_good_and_explains_bad() {
	register "$(new_email)" || return 1
	api_upload "$FIX/cat.png" "$FIX/text.jpg"
	expect_status 201 || return 1
	[ "$(json 'len(d["images"]), len(d["rejected"]), d["rejected"][0]["status"]')" = "1 1 415" ] ||
		fail "mixed batch" || return 1
	page_upload "$FIX/astronaut.png" "$FIX/truncated.jpg"
	expect_status 200 && expect_body 'astronaut.png' && expect_body 'truncated.jpg</strong>: ' || return 1
	expect_body 'damaged or incomplete'
}

test_upload_needs_csrf_and_session() {
	register "$(new_email)" || return 1
	req POST /upload -F "file=@$FIX/cat.jpg"
	expect_status 403 || return 1
	req POST /api/v1/images -F "file=@$FIX/cat.jpg"
	expect_status 403 || return 1
	req GET /api/v1/images
	[ "$(json 'len(d["images"])')" = 0 ] || fail "stored without CSRF" || return 1
	JAR=anon.jar req POST /api/v1/images -F "file=@$FIX/cat.jpg"
	expect_status 401 || return 1
	JAR=anon.jar req GET /upload
	expect_status 303 && expect_header 'Location: /login\?next=/upload' || return 1
	JAR=anon.jar req GET /media/AAAAAAAAAAAAAAAA/thumb
	expect_status 303
}

test_malformed_multipart() {
	register "$(new_email)" || return 1
	req GET /upload
	tok=$(csrf_of)
	req POST /api/v1/images -H "X-CSRF-Token: $tok" -H 'Content-Type: multipart/form-data' \
		--data-binary 'x'
	expect_status 400 && expect_body 'boundary' || return 1
	req POST /api/v1/images -H "X-CSRF-Token: $tok" -H 'Content-Type: image/jpeg' \
		--data-binary "@$FIX/cat.jpg"
	expect_status 415 || return 1
	printf -- '--B\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc' >cut
	req POST /api/v1/images -H "X-CSRF-Token: $tok" \
		-H 'Content-Type: multipart/form-data; boundary=B' --data-binary @cut
	expect_status 400 || return 1
	[ -z "$(ls "$VAR/media/tmp")" ] || fail "temp files left behind"
}

test_history_filters_and_pagination() {
	register "$(new_email)" || return 1
	for f in cat.jpg cat.png rocket.jpg coffee.jpg astronaut.png; do
		CAPTION="caption of $f" api_upload "$FIX/$f" && expect_status 201 || return 1
	done
	rocket=$(sql "SELECT public_id FROM images WHERE original_name = 'rocket.jpg' ORDER BY id DESC LIMIT 1")
	sql "INSERT INTO image_tags (image_id, tag, source) SELECT id, 'Space', 'user' FROM images WHERE public_id = '$rocket'" >/dev/null
	seen="" cursor="" pages=0
	while :; do
		req GET "/api/v1/images?limit=2${cursor:+&cursor=$cursor}"
		expect_status 200 || return 1
		seen="$seen $(json '" ".join(i["name"] for i in d["images"])')"
		pages=$((pages + 1))
		cursor=$(json 'd["next_cursor"] or ""')
		[ -z "$cursor" ] && break
		[ $pages -gt 5 ] && { fail "pagination does not end"; return 1; }
	done
	[ "$pages" = 3 ] || fail "expected 3 pages, got $pages" || return 1
	[ "$(echo $seen)" = "astronaut.png coffee.jpg rocket.jpg cat.png cat.jpg" ] ||
		fail "order/pages wrong: $seen" || return 1
	req GET "/api/v1/images?q=ROCKET"
	[ "$(json '[i["name"] for i in d["images"]]')" = "['rocket.jpg']" ] || fail "q filter" || return 1
	req GET "/api/v1/images?q=caption%20of%20cat"
	[ "$(json 'len(d["images"])')" = 2 ] || fail "caption filter" || return 1
	req GET "/api/v1/images?q=%25"
	[ "$(json 'len(d["images"])')" = 0 ] || fail "% must match literally" || return 1
	req GET "/api/v1/images?tag=%23space"
	[ "$(json '[(i["name"], "Space" in [t["tag"] for t in i["tags"]]) for i in d["images"]]')" = "[('rocket.jpg', True)]" ] ||
		fail "tag filter" || return 1
	today=$(date -u +%F) tomorrow=$(date -u -d tomorrow +%F) yesterday=$(date -u -d yesterday +%F)
	req GET "/api/v1/images?from=$today&to=$today"
	[ "$(json 'len(d["images"])')" = 5 ] || fail "date range today" || return 1
	req GET "/api/v1/images?from=$tomorrow"
	[ "$(json 'len(d["images"])')" = 0 ] || fail "from tomorrow" || return 1
	req GET "/api/v1/images?to=$yesterday"
	[ "$(json 'len(d["images"])')" = 0 ] || fail "to yesterday" || return 1
	req GET "/api/v1/images?from=2026-02-30x"
	expect_status 422 || return 1
	req GET "/api/v1/images?cursor=garbage"
	expect_status 422 || return 1
	req GET "/history?tag=space&q=rocket"
	expect_status 200 && expect_body 'rocket.jpg' && expect_no_body 'coffee.jpg' || return 1
	expect_body '#space' || return 1
	req GET "/history?q=nothing-like-this"
	expect_status 200 && expect_body 'No photos match'
}

test_delete_keeps_files_others_use() {
	JAR=a.jar register "$(new_email)" || return 1
	JAR=b.jar register "$(new_email)" || return 1
	JAR=a.jar api_upload "$FIX/cat-gray.jpg" && expect_status 201 || return 1
	ida=$(first_id)
	JAR=b.jar api_upload "$FIX/cat-gray.jpg" && expect_status 201 || return 1
	idb=$(first_id)
	sha=$(sha256sum "$FIX/cat-gray.jpg" | cut -c1-64)
	file=$VAR/media/$(echo "$sha" | cut -c1-2)/$sha
	[ -f "$file" ] && [ -f "$file.jpg" ] || fail "stored file missing" || return 1
	JAR=a.jar req GET "/p/$ida"
	JAR=a.jar form "/p/$ida/delete"
	expect_status 303 && expect_header 'Location: /history' || return 1
	JAR=a.jar req GET "/media/$ida/thumb"
	expect_status 404 || return 1
	[ -f "$file" ] || fail "file removed while another user still has it" || return 1
	JAR=b.jar req GET "/media/$idb/original"
	expect_status 200 || return 1
	JAR=b.jar req GET /upload
	JAR=b.jar req DELETE "/api/v1/images/$idb" -H "X-CSRF-Token: $(csrf_of)"
	expect_status 204 || return 1
	[ ! -e "$file" ] && [ ! -e "$file.jpg" ] || fail "file kept after the last photo went"
}

test_quotas() {
	register "$(new_email)" || return 1
	# storage: 3 MB in the test config; two 1.8 MB photos do not fit
	api_upload "$FIX/coffee-12mp.jpg" && expect_status 201 || return 1
	cp "$FIX/coffee-12mp.jpg" other.jpg && printf 'x' >>other.jpg
	api_upload other.jpg
	expect_status 403 && [ -n "$(json 'd["detail"]')" ] || return 1
	expect_body 'storage quota' || return 1
	# daily uploads: 12 in the test config
	n=1
	while [ $n -lt 12 ]; do
		cp "$FIX/cat.jpg" "v$n.jpg" && printf '%s' "$n" >>"v$n.jpg"
		api_upload "v$n.jpg" && expect_status 201 || return 1
		n=$((n + 1))
	done
	cp "$FIX/cat.jpg" v12.jpg && printf 'last' >>v12.jpg
	api_upload v12.jpg
	expect_status 429 && expect_header 'Retry-After: [0-9]+' && expect_body "today's limit" || return 1
	page_upload v12.jpg
	expect_status 429 && expect_body "today" 
}

test_account_deletion_removes_files() {
	register "$(new_email)" || return 1
	cp "$FIX/cat.png" mine.png && printf 'mine' >>mine.png
	api_upload mine.png && expect_status 201 || return 1
	sha=$(sha256sum mine.png | cut -c1-64)
	file=$VAR/media/$(echo "$sha" | cut -c1-2)/$sha
	[ -f "$file" ] || fail "not stored" || return 1
	req GET /account
	form /account/delete "password=$PASSWORD" "confirm=yes"
	expect_status 303 || return 1
	[ ! -e "$file" ] && [ ! -e "$file.jpg" ] || fail "files kept after account deletion"
}
