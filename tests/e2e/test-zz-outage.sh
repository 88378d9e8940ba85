# test-zz-outage.sh: PostgreSQL stops and comes back (runs last: it
# restarts the cluster). The workers answer 503 with Retry-After during the
# outage and reconnect by themselves.

test_database_outage_and_recovery() {
	email=$(new_email)
	register "$email" || return 1
	pg_stop "$VAR/pg" || return 1
	req GET /healthz && expect_status 200 || return 1
	req GET /readyz && expect_status 503 && expect_header 'Retry-After: [0-9]+' || return 1
	req GET /account && expect_status 503 && expect_header 'Retry-After: [0-9]+' &&
		expect_body 'briefly unavailable' || return 1
	req GET /api/v1/me && expect_status 503 &&
		expect_header 'Content-Type: application/problem\+json' || return 1
	pg_start "$VAR/pg" "$PGPORT" || return 1
	req GET /readyz && expect_status 200 || return 1
	req GET /account && expect_status 200 && expect_body "$email"
}

# Under load: 16 wrk connections on a logged-in page while PostgreSQL stops
# and starts again. Every answer is a 200 or a 503 with Retry-After (none
# a 500, no connection dropped), and the same connections get 200s again
# after the restart without any worker being restarted.
test_database_outage_under_load() {
	command -v wrk >/dev/null || { echo "wrk is not installed (make deps installs it)"; return 1; }
	email=$(new_email)
	register "$email" || return 1
	cookie=$(awk '$6 == "ht_session" { print $6 "=" $7 }' jar)
	cat >outage.lua <<-'EOF2'
		local threads = {}
		function setup(thread) table.insert(threads, thread) end
		function init(args) ok, down, bad, noretry, back = 0, 0, 0, 0, 0 end
		function response(status, headers, body)
			if status == 200 then
				ok = ok + 1
				if down > 0 then back = back + 1 end
			elseif status == 503 then
				down = down + 1
				if headers["Retry-After"] == nil then noretry = noretry + 1 end
			else bad = bad + 1 end
		end
		function done(summary, latency, requests)
			local s = {ok = 0, down = 0, bad = 0, noretry = 0, back = 0}
			for _, t in ipairs(threads) do
				for k, _ in pairs(s) do s[k] = s[k] + t:get(k) end
			end
			io.write(string.format("tally %d %d %d %d %d\n", s.ok, s.down, s.bad, s.noretry, s.back))
		end
	EOF2
	before=$(worker_pids)
	wrk -t2 -c16 -d9s --timeout 10s -s outage.lua -H "Cookie: $cookie" "$BASE/account" >wrk.out 2>&1 &
	load=$!
	sleep 2
	pg_stop "$VAR/pg" || return 1
	sleep 2
	pg_start "$VAR/pg" "$PGPORT" || return 1
	wait "$load"
	# shellcheck disable=SC2046 # "200s 503s others 503s-without-Retry-After 200s-after-a-503"
	set -- $(sed -n 's/^tally //p' wrk.out)
	[ $# = 5 ] || fail "no tally from wrk: $(cat wrk.out)" || return 1
	echo "  200: $1 (after the outage: $5), 503: $2 ($4 without Retry-After), other: $3"
	[ "$2" -gt 0 ] || fail "no 503 during the outage" || return 1
	[ "$3" = 0 ] && [ "$4" = 0 ] || fail "answers besides 200 and 503+Retry-After: $(cat wrk.out)" ||
		return 1
	[ "$5" -gt 0 ] || fail "no 200 after the outage on the same connections" || return 1
	! grep -q 'Socket errors' wrk.out || fail "connections failed: $(cat wrk.out)" || return 1
	[ "$(worker_pids)" = "$before" ] || fail "workers restarted" ||
		return 1
	req GET /account && expect_status 200 && expect_body "$email"
}
