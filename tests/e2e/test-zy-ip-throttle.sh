# test-zy-ip-throttle.sh: failed logins from one address are throttled even
# when each tries a different account (runs late: it blocks logins from
# 127.0.0.1 for the rest of the window).

test_login_throttled_per_address() {
	email=$(new_email)
	JAR=a.jar register "$email" || return 1
	n=0
	while [ "$n" -lt 20 ]; do
		n=$((n + 1))
		login "nobody$n-$email" 'some wrong password'
		[ "$STATUS" = 429 ] && break
		expect_status 401 || return 1
	done
	expect_status 429 && expect_header 'Retry-After: [0-9]+' || return 1
	# login_max_ip = 12 failures: the 13th attempt is refused at the latest (earlier
	# tests' failures from this address may still be inside the window)
	[ "$n" -le 13 ] || fail "throttled only after $n attempts (limit 12 failures)" || return 1
	# the right password for a real account is refused from this address now
	JAR=b.jar login "$email" && expect_status 429
}
