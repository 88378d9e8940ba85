# test-tags.sh: the hashtag workflow — accept, reject, add, reorder (page
# and API), rejections remembered, preferences, and the copy text per platform.

# tags_now ID: "tag:state ..." of a photo, in order, from the API
tags_now() {
	req GET "/api/v1/images/$1"
	json '" ".join(t["tag"] + ":" + t["state"] for t in d["tags"])'
}

# tagform ID ACTION TAG: the photo page's hashtag form, with the token in $tok
tagform() {
	req POST "/p/$1/tags" --data-urlencode "csrf=$tok" --data-urlencode "action=$2" \
		--data-urlencode "tag=$3"
}

# variant N: a cat photo with different bytes (a new photo to the server)
variant() { cp "$FIX/cat.jpg" "v$1.jpg" && printf 'v%s' "$1" >>"v$1.jpg"; echo "v$1.jpg"; }

test_accept_reject_add_reorder_on_the_page() {
	register "$(new_email)" || return 1
	api_upload "$FIX/cat.jpg" && expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	req GET "/p/$id"
	tok=$(csrf_of)
	tagform "$id" accept Cat && expect_status 303 || return 1
	tagform "$id" reject CatLovers && expect_status 303 || return 1
	tagform "$id" add "#SofaLife" && expect_status 303 || return 1
	tagform "$id" up SofaLife && expect_status 303 || return 1
	t=$(tags_now "$id")
	case " $t " in *" Cat:accepted "*) ;; *) fail "Cat not accepted: $t" || return 1 ;; esac
	case " $t " in *"CatLovers"*) fail "rejected tag still listed: $t" || return 1 ;; esac
	[ "$(sql "SELECT state, source, rank < (SELECT max(rank) FROM image_tags t2 WHERE t2.image_id = t.image_id)
	  FROM image_tags t JOIN images i ON i.id = t.image_id WHERE i.public_id = '$id' AND t.tag = 'SofaLife'")" = "added|user|t" ] ||
		fail "added tag not stored / not moved up" || return 1
	req GET "/p/$id"
	expect_body '#sofalife' && expect_body 'added by you' || return 1
	# bad hashtags are explained next to the field, nothing stored
	tagform "$id" add "##double"
	expect_status 422 && expect_body 'only letters, digits and underscores' || return 1
	tagform "$id" add "two words"
	expect_status 422 || return 1
	req POST "/p/$id/tags" --data-urlencode action=add --data-urlencode tag=nocsrf
	expect_status 403 || return 1
	[ "$(sql "SELECT count(*) FROM image_tags t JOIN images i ON i.id = t.image_id
	  WHERE i.public_id = '$id' AND t.source = 'user'")" = 1 ] || fail "a bad tag was stored"
}

test_api_workflow_and_rejection_is_remembered() {
	register "$(new_email)" || return 1
	api_upload "$(variant 1)" && expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	req GET /upload
	tok=$(csrf_of)
	req PATCH "/api/v1/images/$id/tags" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
		-d '{"tag":"#cat","state":"rejected"}'
	expect_status 200 || return 1
	req POST "/api/v1/images/$id/tags" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
		-d '{"tag":"Gatito"}'
	expect_status 201 || return 1
	req PATCH "/api/v1/images/$id/tags" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
		-d '{"order":"Gatito Pet"}'
	expect_status 200 || return 1
	[ "$(json '[t["tag"] for t in d["tags"]][:2]')" = "['Gatito', 'Pet']" ] || fail "order not applied" ||
		return 1
	req PATCH "/api/v1/images/$id/tags" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
		-d '{"tag":"Gatito","state":"maybe"}'
	expect_status 422 || return 1
	# the next cat photo of this user never gets #cat again
	api_upload "$(variant 2)" && expect_status 201 || return 1
	[ "$(json 'd["images"][0]["status"]')" = tagged ] || fail "second photo not tagged" || return 1
	json '[t["tag"] for t in d["images"][0]["tags"]]' | grep -q "'Cat'" &&
		{ fail "a rejected hashtag was suggested again"; return 1; }
	json '[t["tag"] for t in d["images"][0]["tags"]]' | grep -q "'Pet'" || fail "other tags missing"
}

test_other_user_cannot_edit_tags() {
	register "$(new_email)" || return 1
	api_upload "$(variant 3)" && expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	rm -f jar
	register "$(new_email)" || return 1
	req GET /upload
	tok=$(csrf_of)
	req POST "/api/v1/images/$id/tags" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
		-d '{"tag":"mine"}'
	expect_status 404 || return 1
	req GET "/api/v1/images/$id/copy"
	expect_status 404 || return 1
	[ "$(sql "SELECT count(*) FROM image_tags t JOIN images i ON i.id = t.image_id
	  WHERE i.public_id = '$id' AND t.source = 'user'")" = 0 ] || fail "another user's tag stored"
}

test_preferences_shape_the_copy_text() {
	register "$(new_email)" || return 1
	api_upload "$(variant 4)" && expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	req GET "/api/v1/images/$id/copy?platform=instagram"
	[ "$(json 'd["text"].split()[0]')" = "#cat" ] || fail "default copy should start with #cat" || return 1
	req GET /account
	form /account/prefs platform=tiktok case=camel max=4 "always=#MyBrand" \
		"banned=catsofinstagram" lang=en
	expect_status 303 || return 1
	req GET "/api/v1/images/$id/copy"
	[ "$(json 'd["platform"], d["count"]')" = "tiktok 4" ] || fail "tiktok, 4 tags expected" || return 1
	json 'd["text"]' | grep -q '^#Cat ' || fail "CamelCase expected" || return 1
	json 'd["text"]' | grep -qi 'catsofinstagram' && { fail "banned tag copied"; return 1; }
	req GET "/api/v1/images/$id/copy?platform=plain"
	json 'd["text"].split()' | grep -q "'#MyBrand'" || fail "always-include tag missing" || return 1
	req GET "/api/v1/images/$id/copy?platform=x"
	[ "$(json 'd["count"] <= 3 and len(d["text"]) <= 100')" = True ] || fail "X caps" || return 1
	req GET "/api/v1/images/$id/copy?platform=myspace"
	expect_status 422 && [ "$(json '"platform" in d["errors"]')" = True ] || return 1
	req GET /account
	form /account/prefs max=99
	expect_status 422 && expect_body 'from 1 to 30' || return 1
	tok=$(csrf_of)
	req PUT /api/v1/me/prefs -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
		-d '{"banned":"#bad tag!"}'
	expect_status 422 || return 1
	req GET "/p/$id"
	expect_body 'id="copy-instagram"' && expect_body '#MyBrand' || return 1
}

# images.tags (sql/0013) is what the pages list: it follows every edit, and
# two transactions writing the same photo's hashtags at once both end up in
# it (the second waits for the first, then rebuilds the list from both)
test_tag_list_kept_on_the_photo_row() {
	register "$(new_email)" || return 1
	api_upload "$(variant 7)" && expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	req GET "/p/$id"
	tok=$(csrf_of)
	tagform "$id" add Zeta && tagform "$id" reject Cat && tagform "$id" up Zeta || return 1
	same="SELECT count(*) FROM images WHERE public_id = '$id' AND tags::text = image_tags_list(id)::text"
	[ "$(sql "$same")" = 1 ] || fail "list differs: $(sql "SELECT tags FROM images
	  WHERE public_id = '$id'") vs image_tags $(sql "SELECT image_tags_list(id) FROM images
	  WHERE public_id = '$id'")" || return 1
	case $(sql "SELECT tags FROM images WHERE public_id = '$id'") in
	*'"Cat"'*) fail "a rejected hashtag is in the list" || return 1 ;;
	*'"Zeta"'*) ;;
	*) fail "the added hashtag is not in the list" || return 1 ;;
	esac
	pid="(SELECT id FROM images WHERE public_id = '$id')"
	psql -X -h "$VAR/pg" -p "$PGPORT" -U postgres -d hashtagger -q -c "BEGIN" \
		-c "INSERT INTO image_tags (image_id, tag, source, rank) VALUES ($pid, 'First', 'user', 90)" \
		-c "SELECT pg_sleep(1.5)" -c "COMMIT" >/dev/null &
	first=$!
	sleep 0.5
	sql "INSERT INTO image_tags (image_id, tag, source, rank) VALUES ($pid, 'Second', 'user', 91)" \
		>/dev/null || fail "second writer failed" || return 1
	wait "$first" || fail "first writer failed" || return 1
	t=$(sql "SELECT tags FROM images WHERE public_id = '$id'")
	case $t in *'"First"'*'"Second"'*) ;; *) fail "concurrent writers: $t" || return 1 ;; esac
	[ "$(sql "$same")" = 1 ] || fail "list differs after concurrent writers" || return 1
	req GET "/api/v1/images/$id"
	json '" ".join(t["tag"] for t in d["tags"])' | grep -q 'First Second' ||
		fail "the API does not show both" || return 1
	req DELETE "/api/v1/images/$id" -H "X-CSRF-Token: $tok"
	expect_status 204
}
