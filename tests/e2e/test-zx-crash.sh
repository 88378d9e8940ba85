# test-zx-crash.sh: workers killed with SIGKILL in the middle of a stream of
# uploads. Afterwards every acknowledged upload is complete (row + original
# + thumbnail), and after `hashtagger gc` no file is without a row and no
# row without its files. Runs late: it kills the workers (and respawns
# them under spawn-fcgi, which does not).

workers() { pgrep -f "^$HT_BIN\$" | tr '\n' ' '; }

test_kill_workers_during_uploads() {
	email=$(new_email)
	register "$email" || return 1
	# an admin: no quota gets in the way of 30 uploads
	"$HT_BIN" user promote "$email" >/dev/null || return 1
	req GET /upload
	tok=$(csrf_of)
	n=0
	while [ $n -lt 30 ]; do
		if [ $((n % 4)) = 0 ]; then src=$FIX/cat.png; else src=$FIX/coffee-12mp.jpg; fi
		cp "$src" "f$n.${src##*.}" && printf 'variant %s' "$n" >>"f$n.${src##*.}"
		n=$((n + 1))
	done
	upload_all() {
		for f in "$@"; do
			code=$(curl -sS -o "$f.out" -w '%{http_code}' -b jar -H "X-CSRF-Token: $tok" \
				-F "file=@$f" "$BASE/api/v1/images" 2>/dev/null) || code=000
			echo "$f $code" >>statuses
		done
	}
	# two uploaders in parallel, so that a kill finds work in flight
	upload_all f*[02468].* &
	up1=$!
	upload_all f*[13579].* &
	up2=$!
	for _ in 1 2 3 4; do
		sleep 0.5
		# shellcheck disable=SC2046
		kill -9 $(workers) 2>/dev/null
		# lighttpd respawns its workers; under nginx a supervisor
		# (systemd, deploy/) restarts spawn-fcgi: do it here
		[ "$SERVER" = nginx ] && spawn_workers "$VAR" 2 "$HASHTAGGER_CONF"
	done
	wait "$up1" "$up2"
	wait_http "$BASE/healthz" || return 1
	acked=0
	while read -r f code; do
		[ "$code" = 201 ] || continue
		acked=$((acked + 1))
		id=$(python3 -c "import json; print(json.load(open('$f.out'))['images'][0]['id'])")
		[ "$(sql "SELECT count(*) FROM images WHERE public_id = '$id'")" = 1 ] ||
			fail "acknowledged upload $f ($id) has no row" || return 1
	done <statuses
	echo "  $acked of 30 uploads acknowledged; statuses: $(cut -d" " -f2 statuses | sort | uniq -c | tr -s " \n" " ")"
	[ "$acked" -gt 0 ] || fail "no upload got through at all" || return 1
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
