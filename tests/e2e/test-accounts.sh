# test-accounts.sh: health, headers, errors, sign-up, login, account, logout.

test_health_and_info() {
	req GET /healthz && expect_status 200 && [ "$(json 'd["status"]')" = ok ] || return 1
	req GET /readyz && expect_status 200 && [ "$(json 'd["database"]')" = ok ] || return 1
	req GET /api/v1/info && expect_status 200 && expect_header 'Content-Type: application/json' &&
		[ "$(json 'd["name"]')" = hashtagger ] && [ -n "$(json 'd["version"]')" ]
}

test_security_headers_on_every_kind_of_response() {
	for p in / /login /nope /api/v1/nope /healthz; do
		req GET "$p"
		expect_header "Content-Security-Policy: default-src 'self'" &&
			expect_header 'X-Content-Type-Options: nosniff' &&
			expect_header 'X-Frame-Options: DENY' && expect_header 'Referrer-Policy: same-origin' &&
			expect_header 'X-Request-Id: [0-9a-f]{16}' || return 1
	done
}

test_static_served_by_web_server() {
	req GET /static/app.css && expect_status 200 && expect_header 'Content-Type: text/css' &&
		expect_header 'Cache-Control: public'
}

test_not_found_html_and_json() {
	req GET /no/such/page && expect_status 404 && expect_header 'Content-Type: text/html' &&
		expect_body 'Not Found' || return 1
	req GET /api/v1/no-such && expect_status 404 &&
		expect_header 'Content-Type: application/problem\+json' &&
		[ "$(json 'd["status"]')" = 404 ] && [ -n "$(json 'd["request_id"]')" ]
}

test_method_not_allowed() {
	req DELETE / && expect_status 405 && expect_header 'Allow: GET, HEAD'
}

test_head_matches_get() {
	req GET / && len=$(sed -n 's/^Content-Length: //Ip' h)
	STATUS=$(curl -sS -o /dev/null -D h -w '%{http_code}' -I "$BASE/")
	tr -d '\r' <h >h.tmp && mv h.tmp h
	expect_status 200 && expect_header "Content-Length: $len\$"
}

test_register_account_logout_flow() {
	email=$(new_email)
	register "$email" && expect_status 303 && expect_header 'Location: /$' || return 1
	grep -i '^Set-Cookie: ht_session=' h | grep -qi 'HttpOnly' &&
		grep -i '^Set-Cookie: ht_session=' h | grep -qi 'SameSite=Lax' &&
		grep -i '^Set-Cookie: ht_session=' h | grep -qi 'Path=/' ||
		fail "session cookie lacks HttpOnly/SameSite=Lax/Path" || return 1
	req GET / && expect_status 200 && expect_body "$email" && expect_body 'Welcome to hashtagger' ||
		return 1
	req GET /account && expect_status 200 && expect_body "$email" && expect_body 'Change password' ||
		return 1
	form /logout && expect_status 303 || return 1
	req GET /account && expect_status 303 && expect_header 'Location: /login\?next=/account'
}

test_login_wrong_password_and_unknown_email() {
	email=$(new_email)
	JAR=a.jar register "$email" || return 1
	login "$email" 'wrong password entirely' && expect_status 401 &&
		expect_body 'The email or password is not correct.' || return 1
	login "nobody-$email" "$PASSWORD" && expect_status 401 &&
		expect_body 'The email or password is not correct.' || return 1
	login "$(echo "$email" | tr a-z A-Z)" && expect_status 303
}

test_duplicate_email_case_insensitive() {
	email=$(new_email)
	JAR=a.jar register "$email" || return 1
	register "$(echo "$email" | tr a-z A-Z)" && expect_status 409 &&
		expect_body 'already exists' && expect_body 'aria-invalid="true"'
}

test_password_policy_messages() {
	email=$(new_email)
	register "$email" 'short' && expect_status 400 && expect_body 'at least 10 characters' ||
		return 1
	register "$email" "$email" && expect_status 400 || return 1
	register "$email" 'aaaaaaaaaaaa' && expect_status 400 || return 1
	register 'not-an-email' && expect_status 400 && expect_body 'Enter an email address'
}

test_csrf_missing_or_wrong_is_403() {
	req POST /login --data-urlencode "email=a@b.org" --data-urlencode "password=x" &&
		expect_status 403 || return 1
	req GET /login
	req POST /login --data-urlencode "email=a@b.org" --data-urlencode "password=x" \
		--data-urlencode "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" && expect_status 403 ||
		return 1
	register "$(new_email)" || return 1
	req POST /logout -d '' && expect_status 403 || return 1
	req POST /account/password --data-urlencode "current_password=$PASSWORD" \
		--data-urlencode "new_password=another long passphrase" && expect_status 403 || return 1
	req GET /account
	tok=$(csrf_of)
	req POST /logout --data-urlencode "csrf=$tok" -H 'Origin: http://evil.example' &&
		expect_status 403
}

test_hostile_input_is_escaped() {
	req GET /register
	form /register "email=<script>'\"&x@example.org" "password=$PASSWORD" && expect_status 400 &&
		expect_no_body "<script>'" && expect_body '&lt;script&gt;&#39;&quot;&amp;x@example.org'
}

test_login_throttled_per_account() {
	email=$(new_email)
	JAR=a.jar register "$email" || return 1
	for i in 1 2 3 4; do
		login "$email" "wrong password number $i" && expect_status 401 || return 1
	done
	login "$email" && expect_status 429 && expect_header 'Retry-After: [0-9]+' &&
		expect_body 'Too many failed attempts' || return 1
	# another account from the same address is still fine
	other=$(new_email)
	JAR=b.jar register "$other" && JAR=c.jar login "$other" && expect_status 303
}

test_next_is_local_only() {
	email=$(new_email)
	JAR=a.jar register "$email" || return 1
	req GET '/login?next=/account'
	form /login "email=$email" "password=$PASSWORD" "next=/account" && expect_status 303 &&
		expect_header 'Location: /account' || return 1
	JAR=z.jar req GET /login
	JAR=z.jar form /login "email=$email" "password=$PASSWORD" "next=//evil.example/" &&
		expect_status 400
}

test_change_password_ends_other_sessions() {
	email=$(new_email)
	JAR=a.jar register "$email" || return 1
	JAR=b.jar login "$email" && expect_status 303 || return 1
	JAR=a.jar req GET /account
	JAR=a.jar form /account/password "current_password=wrong one here" \
		"new_password=a brand new passphrase" && expect_status 401 &&
		expect_body 'current password is not correct' || return 1
	JAR=a.jar req GET /account
	JAR=a.jar form /account/password "current_password=$PASSWORD" "new_password=short" &&
		expect_status 400 || return 1
	JAR=a.jar req GET /account
	JAR=a.jar form /account/password "current_password=$PASSWORD" \
		"new_password=a brand new passphrase" && expect_status 303 || return 1
	JAR=a.jar req GET /account && expect_status 200 && expect_body 'password was changed' ||
		return 1
	JAR=b.jar req GET /account && expect_status 303 || return 1
	JAR=c.jar login "$email" && expect_status 401 || return 1
	JAR=c.jar login "$email" 'a brand new passphrase' && expect_status 303
}

test_delete_account() {
	email=$(new_email)
	register "$email" || return 1
	req GET /account
	form /account/delete "password=$PASSWORD" && expect_status 400 &&
		expect_body 'Tick the box' || return 1
	form /account/delete "password=wrong password here" "confirm=yes" && expect_status 401 ||
		return 1
	form /account/delete "password=$PASSWORD" "confirm=yes" && expect_status 303 || return 1
	req GET / && expect_body 'deleted' || return 1
	JAR=x.jar login "$email" && expect_status 401
}

test_bad_requests_are_4xx() {
	req GET /login
	tok=$(csrf_of)
	req POST /login --data "csrf=$tok&email=%zz" && expect_status 400 || return 1
	head -c 100000 /dev/zero | tr '\0' a >big
	req POST /login --data-binary @big -H 'Content-Type: application/x-www-form-urlencoded' &&
		expect_status 413 || return 1
	req POST /login --data-binary '<x/>' -H 'Content-Type: text/xml' && expect_status 400 ||
		return 1
	req POST /login --data "csrf=$tok&email=a@b.org&email=c@d.org&password=x" &&
		expect_status 400 && expect_body 'more than once'
}

test_first_user_is_not_admin_and_cli_admin() {
	email=$(new_email)
	register "$email" || return 1
	req GET /api/v1/me && expect_status 200 && [ "$(json 'd["role"]')" = user ] || return 1
	admin=$(new_email)
	printf '%s\n' "$PASSWORD" | "$HT_BIN" user add --admin "$admin" >out 2>&1 ||
		{ cat out; return 1; }
	JAR=adm.jar login "$admin" && JAR=adm.jar req GET / && expect_body 'href="/admin"' || return 1
	printf 'short\n' | "$HT_BIN" user add "x$admin" >out 2>&1 && return 1
	grep -q '10 characters' out || { cat out; return 1; }
}
