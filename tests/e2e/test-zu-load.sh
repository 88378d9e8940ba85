# test-zu-load.sh: 64 connections of wrk for LOAD_SECS seconds (10 by
# default; the issue's long run is LOAD_SECS=60) on a logged-in user's
# pages and API at once: the history page, a photo page, GET
# /api/v1/images (its rate limit answers 429 once spent: the limiter is
# under load too) and /healthz. No answer is a 5xx, no connection fails,
# no worker dies, and the workers' memory stays flat (RSS before and after,
# measured after a warm-up run).

# load_rss PIDS: the workers' summed VmRSS in kB
load_rss() {
	# shellcheck disable=SC2086 # a pid list
	for p in $1; do sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$p/status"; done |
		awk '{ s += $1 } END { print s + 0 }'
}

# load_run SECONDS URL...: one wrk per URL, 64 connections in all, at once;
# a report per URL in wrk-N.out ("5xx N 4xx N" from load.lua, then wrk's)
load_run() {
	secs=$1
	shift
	conns=$((64 / $#))
	i=0
	for u in "$@"; do
		i=$((i + 1))
		wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s -s load.lua -H "Cookie: $cookie" \
			"$BASE$u" >"wrk-$i.out" 2>&1 &
	done
	wait
}

test_load_64_connections_no_5xx_no_deaths_memory_flat() {
	command -v wrk >/dev/null || { echo "wrk is not installed (make deps installs it)"; return 1; }
	email=$(new_email)
	register "$email" || return 1
	cp "$FIX/cat.jpg" a.jpg && cp "$FIX/horse.png" b.png || return 1
	api_upload a.jpg b.png
	expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	cookie=$(awk '$6 == "ht_session" { print $6 "=" $7 }' jar)
	[ -n "$cookie" ] || fail "no session cookie in the jar" || return 1
	cat >load.lua <<-'EOF'
		local threads = {}
		function setup(thread) table.insert(threads, thread) end
		function init(args) c5, c4 = 0, 0 end
		function response(status, headers, body)
			if status >= 500 then c5 = c5 + 1 elseif status >= 400 then c4 = c4 + 1 end
		end
		function done(summary, latency, requests)
			local c5, c4 = 0, 0
			for _, t in ipairs(threads) do c5 = c5 + t:get("c5"); c4 = c4 + t:get("c4") end
			io.write(string.format("5xx %d 4xx %d\n", c5, c4))
		end
	EOF
	set -- /history "/p/$id" /api/v1/images /healthz
	load_run 2 "$@"
	before=$(worker_pids)
	rss0=$(load_rss "$before")
	load_run "${LOAD_SECS:-10}" "$@"
	after=$(worker_pids)
	rss1=$(load_rss "$after")
	i=0
	for u in "$@"; do
		i=$((i + 1))
		# a line per URL; fails on a 5xx or a connection that failed
		awk -v u="$u" '
			/^5xx/ { c5 = $2; c4 = $4; seen = 1 }
			/^ *[0-9]+ requests in/ { n = $1 }
			/Socket errors:/ { gsub(/,/, ""); se = $4 + $6 + $8; to = $10 }
			END { printf "  %-24s %7d answers, %d 4xx, %d 5xx, socket errors %d, timeouts %d\n",
				u, n, c4, c5, se, to; exit !(seen && n > 0 && c5 == 0 && se == 0) }' \
			"wrk-$i.out" || fail "$u under load: $(cat "wrk-$i.out")" || return 1
	done
	echo "  $(echo "$before" | wc -w) workers' RSS: $rss0 kB before, $rss1 kB after ${LOAD_SECS:-10} s"
	[ -n "$before" ] && [ "$rss0" -gt 0 ] || fail "no workers found" || return 1
	[ "$before" = "$after" ] || fail "workers died: $before -> $after" || return 1
	# under `make check` ASan's quarantine keeps freed memory (up to 256 MB a
	# process) and LeakSanitizer judges leaks instead: RSS is only reported
	case $HT_BIN in
	*/build-asan/*) echo "  (an ASan build: RSS not judged)" ;;
	*) [ "$rss1" -le $((rss0 + rss0 / 4 + 4096)) ] || fail "workers' memory grew" || return 1 ;;
	esac
	req GET /healthz
	expect_status 200
}
