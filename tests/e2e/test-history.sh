# test-history.sh: "your history" — a hashtag a user chose on three similar
# photos (crops and a brightness change of one real photo) is suggested for
# the fourth, explained; another user's choices never leak into it.

# similar N: a variant of the coffee photo (crop or brightness), as JPEG
similar() {
	case $1 in
	1) djpeg "$FIX/coffee.jpg" | pamcut -left 12 ;;
	2) djpeg "$FIX/coffee.jpg" | pamcut -top 10 ;;
	3) djpeg "$FIX/coffee.jpg" | pamcut -width 580 ;;
	4) djpeg "$FIX/coffee.jpg" | pamfunc -multiplier=1.12 ;;
	5) djpeg "$FIX/coffee.jpg" | pamcut -left 6 -top 4 ;;
	esac 2>/dev/null | cjpeg -quality 88 >"s$1.jpg"
	echo "s$1.jpg"
}

# upload_choose FILE TAG: upload as the jar's user and add TAG to it
upload_choose() {
	api_upload "$1" && expect_status 201 || return 1
	_id=$(json 'd["images"][0]["id"]')
	req GET /upload
	req POST "/api/v1/images/$_id/tags" -H "X-CSRF-Token: $(csrf_of)" \
		-H 'Content-Type: application/json' -d "{\"tag\":\"$2\"}"
	[ "$STATUS" = 201 ] || [ "$STATUS" = 200 ] || fail "adding $2: $STATUS"
}

test_your_history_suggests_what_you_chose_on_similar_photos() {
	register "$(new_email)" || return 1
	for n in 1 2 3; do upload_choose "$(similar $n)" MorningRitual || return 1; done
	# a different user chose another hashtag on the same kind of photo
	cp jar jar.a
	rm -f jar
	register "$(new_email)" || return 1
	upload_choose "$(similar 5)" StrangersTag || return 1
	cp jar jar.b
	cp jar.a jar
	api_upload "$(similar 4)" && expect_status 201 || return 1
	json '[(t["tag"], t["source"], t["reason"]) for t in d["images"][0]["tags"]]' >tags.txt
	grep -q "('MorningRitual', 'history', 'you chose it on 3 similar photos" tags.txt ||
		{ cat tags.txt; fail "no #morningritual from your history"; return 1; }
	grep -q StrangersTag tags.txt && { cat tags.txt; fail "another user's hashtag leaked"; return 1; }
	# and user B's similar photo never gets A's hashtag
	cp jar.b jar
	api_upload "$(similar 2)" && expect_status 201 || return 1
	json '[t["tag"] for t in d["images"][0]["tags"]]' >tags.txt
	grep -q MorningRitual tags.txt && { cat tags.txt; fail "A's hashtag suggested to B"; return 1; }
	grep -q StrangersTag tags.txt || { cat tags.txt; fail "B's own history missing"; }
}
