# test-zx-crash.sh: FastCGI workers and tagd killed with SIGKILL in the
# middle of a stream of 100 uploads (two uploaders in parallel; one photo in
# ten a 12 MP JPEG). Afterwards every acknowledged upload is complete (row +
# original + thumbnail) and is tagged in the end, with each hashtag once;
# every upload that got no answer is sent again and is then stored exactly
# once (the retry is recognised as the same photo or stored now); after
# `hashtagger gc` no file is without a row and no row without its files.
# Runs late: it kills the workers (and respawns them under spawn-fcgi,
# which does not) and replaces tagd.

test_kill_workers_and_tagd_during_100_uploads() {
	email=$(new_email)
	register "$email" || return 1
	# an admin: no quota gets in the way of 100 uploads
	"$HT_BIN" user promote "$email" >/dev/null || return 1
	req GET /upload
	tok=$(csrf_of)
	n=0
	while [ $n -lt 100 ]; do
		case $((n % 10)) in
		0) src=$FIX/coffee-12mp.jpg ;;
		[1-4]) src=$FIX/cat.png ;;
		*) src=$FIX/cat.jpg ;;
		esac
		f=$(printf 'f%03d.%s' "$n" "${src##*.}")
		cp "$src" "$f" && printf 'variant %s' "$n" >>"$f"
		n=$((n + 1))
	done
	# upload_all STATUSFILE FILE...: one upload at a time, "FILE CODE" lines
	upload_all() {
		out=$1
		shift
		for f in "$@"; do
			code=$(curl -sS -o "$f.out" -w '%{http_code}' -b jar -H "X-CSRF-Token: $tok" \
				-F "file=@$f" "$BASE/api/v1/images" 2>/dev/null) || code=000
			echo "$f $code" >>"$out"
		done
	}
	upload_all statuses f*[02468].* &
	up1=$!
	upload_all statuses f*[13579].* &
	up2=$!
	for round in 1 2 3 4 5 6; do
		# every 0.7 s, and not before another 10 answers: refusals while
		# the workers are down come back at once, and a slow build (ASan)
		# would otherwise see all 100 answered during the kills
		sleep 0.7
		until [ "$(cat statuses 2>/dev/null | wc -l)" -ge $((round * 10)) ]; do
			kill -0 "$up1" 2>/dev/null || kill -0 "$up2" 2>/dev/null || break
			sleep 0.1
		done
		workers_kill
		if [ "$round" = 3 ]; then
			# tagd too, mid-job: its leases run out (tagd_lease) and a
			# new tagd with a short lease takes the jobs over
			# shellcheck disable=SC2046
			kill -9 $(tagd_pids) 2>/dev/null
			rm -f "$VAR/run/tagd.pid"
			HASHTAGGER_TAGD_LEASE=10 start_tagd "$VAR" "$HASHTAGGER_CONF" || return 1
		fi
	done
	wait "$up1" "$up2"
	wait_http "$BASE/healthz" || return 1
	[ "$(wc -l <statuses)" = 100 ] || fail "$(wc -l <statuses) answers for 100 uploads" || return 1
	echo "  statuses: $(cut -d" " -f2 statuses | sort | uniq -c | tr -s " \n" " ")"
	acked=0
	while read -r f code; do
		[ "$code" = 201 ] || continue
		acked=$((acked + 1))
		id=$(python3 -c "import json; print(json.load(open('$f.out'))['images'][0]['id'])")
		echo "$id" >>acked
		[ "$(sql "SELECT count(*) FROM images WHERE public_id = '$id'")" = 1 ] ||
			fail "acknowledged upload $f ($id) has no row" || return 1
	done <statuses
	[ "$acked" -gt 0 ] || fail "no upload got through at all" || return 1
	# anything else was refused by a dying worker or a web server without
	# one (5xx), never with a 4xx, and never half: sent again, each is
	# stored now or recognised as already stored
	retried=0 known=0
	while read -r f code; do
		[ "$code" = 201 ] && continue
		case $code in 5*) ;; *) fail "$f answered $code" || return 1 ;; esac
		code=$(curl -sS -o "$f.out" -w '%{http_code}' -b jar -H "X-CSRF-Token: $tok" \
			-F "file=@$f" "$BASE/api/v1/images")
		case $code in
		201) retried=$((retried + 1)) ;;
		200) known=$((known + 1)) ;;
		*) fail "$f sent again answered $code" || return 1 ;;
		esac
	done <statuses
	echo "  acknowledged $acked; sent again: $retried stored now, $known already stored"
	[ "$(sql "SELECT count(*), count(DISTINCT sha256) FROM images i JOIN users u
	  ON u.id = i.owner_id WHERE u.email = '$email'")" = "100|100" ] ||
		fail "not exactly the 100 photos stored" || return 1
	# every photo tagged in the end (the dead tagd's claims run out after
	# tagd_lease, 20 s in this suite),
	# each hashtag once, ranked 1..n
	for _ in $(seq 300); do
		[ "$(sql "SELECT count(*) FROM images i JOIN users u ON u.id = i.owner_id
		  WHERE u.email = '$email' AND i.status = 'tagged'")" = 100 ] && break
		sleep 0.5
	done
	[ "$(sql "SELECT i.status, count(*) FROM images i JOIN users u ON u.id = i.owner_id
	  WHERE u.email = '$email' GROUP BY 1")" = "tagged|100" ] ||
		fail "not all tagged: $(sql "SELECT i.status, count(*) FROM images i JOIN users u
		  ON u.id = i.owner_id WHERE u.email = '$email' GROUP BY 1")" || return 1
	[ "$(sql "SELECT count(*) FROM (SELECT t.image_id FROM image_tags t
	  JOIN images i ON i.id = t.image_id JOIN users u ON u.id = i.owner_id WHERE u.email = '$email'
	  GROUP BY t.image_id HAVING count(*) = count(DISTINCT lower(t.tag))
	  AND max(t.rank) = count(*)) x")" = 100 ] ||
		fail "some photo lacks its tags or has one twice" || return 1
	# the lists the pages show (images.tags, sql/0013) are those hashtags
	[ "$(sql "SELECT count(*) FROM images WHERE tags::text <> image_tags_list(id)::text")" = 0 ] ||
		fail "a photo's hashtag list differs from its hashtags" || return 1
	"$HT_BIN" gc --grace 0 >gc.log 2>&1 || { cat gc.log; fail "gc failed"; return 1; }
	cat gc.log
	sql "SELECT DISTINCT sha256 FROM images" | sort >rows
	find "$VAR/media" -path "$VAR/media/tmp" -prune -o -type f -name '*[0-9a-f]' -print |
		sed 's|.*/||' | sort >files
	missing=$(comm -23 rows files) orphans=$(comm -13 rows files)
	[ -z "$missing" ] || fail "rows without files: $missing" || return 1
	[ -z "$orphans" ] || fail "files without rows: $orphans" || return 1
	for sha in $(cat rows); do
		[ -f "$VAR/media/$(echo "$sha" | cut -c1-2)/$sha.jpg" ] || fail "no thumbnail for $sha" ||
			return 1
	done
	[ -z "$(ls -A "$VAR/media/tmp")" ] || fail "temp files left after gc"
}
