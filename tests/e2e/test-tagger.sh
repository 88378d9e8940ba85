# test-tagger.sh: real photos through the real models — `hashtagger tag`
# without a server, uploads that answer with explained hashtags, and the
# tagger's failure states (damaged file reaching tagd, missing or corrupt
# model files).

# tags_of FILE [ARGS]: the hashtags `hashtagger tag` prints for FILE
tags_of() {
	f=$1; shift
	ASAN_OPTIONS=$TORCH_ASAN HASHTAGGER_MODELS="${HT_MODELS:-$ROOT/models}" "$HT_BIN" tag "$@" "$f" >out 2>err ||
		{ cat err; return 1; }
	awk 'NR > 1 { print $1 }' out | tr '\n' ' '
}

# has TAGS WANT...: every WANT (an alternation like "#cup|#coffee") is in TAGS
has() {
	got=" $1 "; shift
	for want in "$@"; do
		echo "$got" | grep -qE " ($want) " || { echo "  missing $want in:$got"; cat out; return 1; }
	done
}

test_cli_tags_real_photos() {
	has "$(tags_of "$FIX/cat.jpg")" '#cat' '#pet|#animal' || return 1
	has "$(tags_of "$FIX/coffee.jpg")" '#cup|#coffee' || return 1
	has "$(tags_of "$FIX/astronaut.png")" '#person|#portrait' || return 1
	has "$(tags_of "$FIX/motorcycle.jpg")" '#motorcycle' || return 1
	has "$(tags_of "$FIX/horse.png")" '#horse' || return 1
	# every line explains itself: tag, confidence, source, reason
	awk 'NR > 1 && (NF < 4 || $2 !~ /^[01]\.[0-9][0-9]$/) { bad = 1 } END { exit bad }' out ||
		{ cat out; fail "a line without confidence/source/reason"; }
}

test_cli_black_and_white_and_colour() {
	has "$(tags_of "$FIX/coffee-bw.jpg")" '#blackandwhite' || return 1
	t=$(tags_of "$FIX/cat.jpg")
	case " $t " in *" #blackandwhite "*) fail "a colour photo tagged #blackandwhite: $t" ;; esac
}

test_cli_caption_words_and_spanish() {
	t=$(tags_of "$FIX/cat.jpg" --caption "Atardecer en la playa")
	has "$t" '#atardecer' '#playa' || return 1
	case " $t " in *" #en "* | *" #la "*) fail "stopwords became hashtags: $t" ;; esac
	has "$(tags_of "$FIX/cat.jpg" --lang es)" '#gato' || return 1
}

test_upload_answers_with_explained_hashtags() {
	register "$(new_email)" || return 1
	api_upload "$FIX/cat.jpg"
	expect_status 201 || return 1
	[ "$(json 'd["images"][0]["status"]')" = tagged ] || fail "not tagged within the wait" || return 1
	json '[t["hashtag"] for t in d["images"][0]["tags"]]' | grep -q "'#cat'" ||
		fail "no #cat in the upload response" || return 1
	json '[(t["source"], t["reason"]) for t in d["images"][0]["tags"] if t["hashtag"] == "#cat"][0]' |
		grep -q "('object', 'cat detected" || fail "#cat not explained" || return 1
	id=$(json 'd["images"][0]["id"]')
	# stored once each, ranked 1..n, an embedding and an NSFW score
	[ "$(sql "SELECT count(*) = count(DISTINCT lower(t.tag)) AND min(rank) = 1 AND max(rank) = count(*)
	  FROM image_tags t JOIN images i ON i.id = t.image_id WHERE i.public_id = '$id'")" = t ] ||
		fail "tags not ranked 1..n without duplicates" || return 1
	# q8: the same vector as int8 (what "your history" reads), owner copied
	[ "$(sql "SELECT length(e.vec), length(e.q8), e.owner_id = i.owner_id, i.nsfw < 0.5, i.flagged
	  FROM image_embeddings e JOIN images i ON i.id = e.image_id
	  WHERE i.public_id = '$id'")" = "2880|720|t|t|f" ] ||
		fail "embedding / nsfw not stored" || return 1
	req GET "/p/$id"
	expect_status 200 && expect_body '#cat' && expect_body 'cat detected' || return 1
}

test_upload_page_without_js_shows_hashtags() {
	register "$(new_email)" || return 1
	CAPTION="Atardecer en la playa" page_upload "$FIX/coffee.jpg"
	expect_status 200 && expect_body '#atardecer' && expect_body 'from your caption' || return 1
	grep -qE '#cup|#coffee' b || fail "no #cup/#coffee on the result page"
}

# retag PUBLIC_ID: queue the photo for tagging again and wait for the result
retag() {
	sql "UPDATE images SET status = 'pending' WHERE public_id = '$1';
	     UPDATE tag_jobs SET state = 'queued', attempts = 0 FROM images i
	       WHERE i.id = tag_jobs.image_id AND i.public_id = '$1';
	     NOTIFY tag_jobs" >/dev/null
	for _ in $(seq 100); do
		[ "$(sql "SELECT status FROM images WHERE public_id = '$1'")" != pending ] && return 0
		sleep 0.1
	done
}

# tagd_said ID N: the Nth line tagd logged for photo ID, once there is one
# (tagd logs just after the commit that the upload's answer waits for)
tagd_said() {
	for _ in $(seq 50); do
		[ "$(grep -c "^tagd: $1: " "$VAR/log/tagd.log")" -ge "$2" ] && break
		sleep 0.1
	done
	grep "^tagd: $1: " "$VAR/log/tagd.log" | sed -n "$2p"
}

test_upload_hands_its_pixels_to_tagd() {
	register "$(new_email)" || return 1
	want=$(tags_of "$FIX/rocket.jpg") || return 1
	api_upload "$FIX/rocket.jpg"
	expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	got=$(json '" ".join(t["hashtag"] for t in d["images"][0]["tags"])')
	tagd_said "$id" 1 | grep -q ", pixels from the upload$" ||
		fail "tagd decoded the upload again" || return 1
	[ -z "$(ls "$VAR/media/tmp" | grep '^\.\?px-')" ] || fail "pixels left in media/tmp" || return 1
	# the same hashtags as the bare tagger's own decode of the file
	[ "$got " = "$want" ] || fail "upload: $got; hashtagger tag: $want" || return 1
	# tagged again, nothing handed over: tagd decodes the original
	retag "$id"
	second=$(tagd_said "$id" 2)
	[ -n "$second" ] && [ "$(grep -c "^tagd: $id: " "$VAR/log/tagd.log")" = 2 ] &&
		echo "$second" | grep -qv "pixels from the upload" ||
		fail "the second tagging did not decode the original" || return 1
	req GET "/api/v1/images/$id"
	[ "$(json '" ".join(t["hashtag"] for t in d["tags"])') " = "$want" ] ||
		fail "tags changed on the second tagging" || return 1
	# one left behind (a worker killed before its row) goes with gc
	stale="$VAR/media/tmp/px-$(printf '%064d' 7)"
	echo x >"$stale" && touch -d '2 hours ago' "$stale"
	"$HT_BIN" gc >gc.log 2>&1 || { cat gc.log; fail "gc failed"; return 1; }
	[ ! -e "$stale" ] || fail "gc left $stale"
}

test_damaged_file_reaching_tagd_fails_cleanly() {
	register "$(new_email)" || return 1
	api_upload "$FIX/cat.png"
	expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	sha=$(sql "SELECT sha256 FROM images WHERE public_id = '$id'")
	# the stored file rots on disk, then the photo is tagged again
	head -c 2000 "$FIX/truncated.png" >"$VAR/media/$(echo "$sha" | cut -c1-2)/$sha"
	retag "$id"
	[ "$(sql "SELECT j.state, j.attempts FROM tag_jobs j JOIN images i ON i.id = j.image_id
	  WHERE i.public_id = '$id'")" = "failed|1" ] || fail "job not failed after one attempt" || return 1
	req GET "/api/v1/images/$id"
	[ "$(json 'd["status"], d["failed"]')" = "failed True" ] || fail "API hides the failure" || return 1
	json 'd["tag_error"]' | grep -qi 'damaged\|incomplete' || fail "no reason given" || return 1
	req GET "/p/$id"
	expect_body 'No hashtags:' || return 1
	pgrep -f "$HT_BIN tagd" >/dev/null || fail "tagd died"
}

test_missing_or_corrupt_model_is_a_clear_error() {
	mkdir m
	cp "$ROOT/models/rules.txt" "$ROOT/models/ban.txt" "$ROOT"/models/stopwords-*.txt m/
	ASAN_OPTIONS=$TORCH_ASAN HASHTAGGER_MODELS=$PWD/m "$HT_BIN" tagd >out 2>&1
	rc=$?
	[ "$rc" = 78 ] && grep -q 'centernet.pt is missing' out || { cat out; fail "missing model: exit $rc"; } ||
		return 1
	head -c 100000 "$ROOT/models/centernet.pt" >m/centernet.pt
	cp "$ROOT/models/nsfw.pt" m/
	ASAN_OPTIONS=$TORCH_ASAN HASHTAGGER_MODELS=$PWD/m "$HT_BIN" tag "$FIX/cat.jpg" >out 2>&1
	rc=$?
	[ "$rc" = 78 ] && grep -q 'cannot load model' out || { cat out; fail "corrupt model: exit $rc"; } ||
		return 1
	printf 'cat\t48\t1\tCat\tGato\t\n' >m/rules.txt
	ASAN_OPTIONS=$TORCH_ASAN HASHTAGGER_MODELS=$PWD/m "$HT_BIN" tagd >out 2>&1
	rc=$?
	[ "$rc" = 78 ] && grep -q 'rules.txt:1' out || { cat out; fail "bad rules: exit $rc"; }
}
