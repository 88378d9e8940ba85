# test-api-tokens.sh: API clients — JWT logins with rotating refresh tokens,
# personal tokens with scopes, rate limits, ETags and CORS.

JSON='Content-Type: application/json'

# jwt_login EMAIL: POST /api/v1/auth/login as a client without cookies;
# sets AT (access) and RT (refresh)
jwt_login() {
	JAR=/dev/null req POST /api/v1/auth/login -H "$JSON" --data "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" &&
		expect_status 200 || return 1
	AT=$(json 'd["access_token"]') RT=$(json 'd["refresh_token"]')
}

# bearer TOKEN METHOD PATH [curl args]: a request with no cookies at all
bearer() {
	_bt=$1; shift
	JAR=/dev/null req "$@" -H "Authorization: Bearer $_bt"
}

# sign_jwt HEADER_JSON PAYLOAD_JSON: a token signed with this server's secret
sign_jwt() {
	python3 - "$1" "$2" "$(sed -n 's/^jwt_secret = //p' "$CONF")" <<'PY'
import base64, hashlib, hmac, sys
b = lambda s: base64.urlsafe_b64encode(s).rstrip(b"=").decode()
msg = b(sys.argv[1].encode()) + "." + b(sys.argv[2].encode())
print(msg + "." + b(hmac.new(sys.argv[3].encode(), msg.encode(), hashlib.sha256).digest()))
PY
}

# new_token NAME SCOPES-JSON-ARRAY: a personal token of the jar's user (JWT $AT)
new_token() {
	bearer "$AT" POST /api/v1/me/tokens -H "$JSON" --data "{\"name\":\"$1\",\"scopes\":$2}" &&
		expect_status 201 || return 1
	json 'd["token"]'
}

test_jwt_login_refresh_rotation_and_reuse() {
	email=$(new_email)
	register "$email" && jwt_login "$email" || return 1
	[ "$(json 'd["token_type"], d["expires_in"], d["user"]["email"]')" = "Bearer 900 $email" ] ||
		fail "login answer" || return 1
	bearer "$AT" GET /api/v1/me && expect_status 200 && [ "$(json 'd["email"]')" = "$email" ] ||
		return 1
	old=$RT
	JAR=/dev/null req POST /api/v1/auth/refresh -H "$JSON" --data "{\"refresh_token\":\"$old\"}" &&
		expect_status 200 || return 1
	new=$(json 'd["refresh_token"]') at2=$(json 'd["access_token"]')
	[ "$new" != "$old" ] || fail "refresh token did not rotate" || return 1
	bearer "$at2" GET /api/v1/me && expect_status 200 || return 1
	# the spent token shown again: refused, and its whole family revoked
	JAR=/dev/null req POST /api/v1/auth/refresh -H "$JSON" --data "{\"refresh_token\":\"$old\"}" &&
		expect_status 401 || return 1
	JAR=/dev/null req POST /api/v1/auth/refresh -H "$JSON" --data "{\"refresh_token\":\"$new\"}" &&
		expect_status 401 || fail "reuse did not revoke the family" || return 1
	# logout revokes a fresh login's refresh token
	jwt_login "$email" || return 1
	JAR=/dev/null req POST /api/v1/auth/logout -H "$JSON" --data "{\"refresh_token\":\"$RT\"}" &&
		expect_status 204 || return 1
	JAR=/dev/null req POST /api/v1/auth/refresh -H "$JSON" --data "{\"refresh_token\":\"$RT\"}" &&
		expect_status 401 || return 1
	[ "$(sql "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL AND user_id =
	  (SELECT id FROM users WHERE email = '$email')")" = 0 ] || fail "live refresh tokens left"
}

test_jwt_expired_tampered_and_alg_none_are_401() {
	email=$(new_email)
	register "$email" && jwt_login "$email" || return 1
	sub=$(json 'd["user"]["id"]') now=$(date +%s)
	good=$(sign_jwt '{"alg":"HS256","typ":"JWT"}' \
		"{\"sub\":\"$sub\",\"iat\":$now,\"exp\":$((now + 60)),\"jti\":\"t1\"}")
	bearer "$good" GET /api/v1/me && expect_status 200 || fail "a well-signed token" || return 1
	expired=$(sign_jwt '{"alg":"HS256","typ":"JWT"}' \
		"{\"sub\":\"$sub\",\"iat\":$((now - 120)),\"exp\":$((now - 60)),\"jti\":\"t2\"}")
	bearer "$expired" GET /api/v1/me && expect_status 401 &&
		expect_header 'WWW-Authenticate: Bearer' || return 1
	none=$(printf '%s' "$good" | python3 -c '
import base64, json, sys
h, p, s = sys.stdin.read().split(".")
print(base64.urlsafe_b64encode(b"{\"alg\":\"none\",\"typ\":\"JWT\"}").rstrip(b"=").decode() + "." + p + ".")')
	bearer "$none" GET /api/v1/me && expect_status 401 || fail "alg none accepted" || return 1
	hs512=$(sign_jwt '{"alg":"HS512","typ":"JWT"}' \
		"{\"sub\":\"$sub\",\"iat\":$now,\"exp\":$((now + 60)),\"jti\":\"t3\"}")
	bearer "$hs512" GET /api/v1/me && expect_status 401 || return 1
	# another user's id in a payload signed by someone else
	tampered=$(printf '%s' "$AT" | python3 -c '
import base64, json, sys
h, p, s = sys.stdin.read().split(".")
c = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))); c["exp"] += 3600
print(h + "." + base64.urlsafe_b64encode(json.dumps(c).encode()).rstrip(b"=").decode() + "." + s)')
	bearer "$tampered" GET /api/v1/me && expect_status 401 || return 1
	bearer "not-a-token" GET /api/v1/me && expect_status 401 || return 1
	JAR=/dev/null req GET /api/v1/me -H "Authorization: Basic Zm9vOmJhcg==" && expect_status 401
}

test_personal_token_scopes_and_revocation() {
	email=$(new_email)
	register "$email" && jwt_login "$email" || return 1
	ro=$(new_token "read only" '["read"]') || return 1
	up=$(new_token "uploader" '["read","upload"]') || return 1
	[ "${ro#ht_}" != "$ro" ] && [ ${#ro} = 46 ] || fail "token shape: $ro" || return 1
	bearer "$ro" GET /api/v1/images && expect_status 200 || return 1
	bearer "$ro" POST /api/v1/images -F "file=@$FIX/cat.jpg" && expect_status 403 &&
		expect_body 'upload\" scope' || return 1
	bearer "$up" POST /api/v1/images -F "file=@$FIX/cat.jpg" && expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	bearer "$up" PATCH "/api/v1/images/$id/tags" -H "$JSON" \
		--data '{"tag":"cat","state":"accepted"}' && expect_status 403 || return 1
	# a personal token never manages the account or other tokens
	bearer "$up" GET /api/v1/me/tokens && expect_status 403 || return 1
	bearer "$up" POST /api/v1/me/password -H "$JSON" \
		--data "{\"current_password\":\"$PASSWORD\",\"new_password\":\"x-x-x-x-x-x-x\"}" &&
		expect_status 403 || return 1
	bearer "$AT" POST /api/v1/me/tokens -H "$JSON" --data '{"name":"x","scopes":["admin"]}' &&
		expect_status 422 || return 1
	bearer "$AT" POST /api/v1/me/tokens -H "$JSON" --data '{"name":"x","scopes":["write"]}' &&
		expect_status 422 && [ "$(json '"scopes" in d["errors"]')" = True ] || return 1
	bearer "$AT" GET /api/v1/me/tokens && expect_status 200 || return 1
	[ "$(json '[(t["name"], t["scopes"], t["last_used_at"] is not None) for t in d["tokens"]]')" = \
		"[('read only', ['read'], True), ('uploader', ['read', 'upload'], True)]" ] ||
		fail "token list" || return 1
	expect_no_body "$ro" || return 1
	[ "$(sql "SELECT count(*) FROM api_tokens WHERE token_hash = encode(sha256('$ro'), 'hex')")" = 1 ] ||
		fail "not stored hashed" || return 1
	tid=$(json 'd["tokens"][0]["id"]')
	bearer "$AT" DELETE "/api/v1/me/tokens/$tid" && expect_status 204 || return 1
	bearer "$ro" GET /api/v1/images && expect_status 401 || fail "revoked token still works"
}

test_bearer_tokens_never_authorise_pages() {
	email=$(new_email)
	register "$email" && jwt_login "$email" || return 1
	tok=$(new_token "script" '["read","upload","tags"]') || return 1
	for t in "$AT" "$tok"; do
		bearer "$t" GET /history && expect_status 303 || return 1
		bearer "$t" POST /account/tokens --data "name=evil&scope_read=yes" && expect_status 303 ||
			return 1
	done
	[ "$(sql "SELECT count(*) FROM api_tokens WHERE name = 'evil'")" = 0 ] || return 1
	# and a bearer request ignores the session cookie that comes with it
	req GET /api/v1/me -H "Authorization: Bearer ht_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" &&
		expect_status 401
}

test_token_of_one_user_never_reads_another() {
	a=$(new_email) b=$(new_email)
	JAR=b.jar register "$b" && JAR=b.jar api_upload "$FIX/rocket.jpg" && expect_status 201 || return 1
	bid=$(json 'd["images"][0]["id"]')
	JAR=a.jar register "$a" && JAR=a.jar jwt_login "$a" || return 1
	tok=$(new_token "mine" '["read","upload","tags"]') || return 1
	for t in "$AT" "$tok"; do
		bearer "$t" GET "/api/v1/images/$bid" && expect_status 404 || return 1
		bearer "$t" GET "/api/v1/images/$bid/xmp" && expect_status 404 || return 1
		bearer "$t" DELETE "/api/v1/images/$bid" && expect_status 404 || return 1
		bearer "$t" GET /api/v1/images && expect_status 200 &&
			[ "$(json 'len(d["images"])')" = 0 ] || return 1
	done
}

test_account_page_makes_and_revokes_tokens() {
	register "$(new_email)" || return 1
	req GET /account && expect_status 200 && expect_body 'API tokens' || return 1
	form /account/tokens "name=Backup <script>" scope_read=yes scope_upload=yes &&
		expect_status 200 || return 1
	tok=$(sed -n 's/.*id="new-token" type="text" readonly value="\(ht_[A-Za-z0-9_-]*\)".*/\1/p' b)
	[ ${#tok} = 46 ] || fail "token not shown once" || return 1
	expect_body 'Backup &lt;script&gt;' && expect_no_body 'Backup <script>' || return 1
	bearer "$tok" GET /api/v1/images && expect_status 200 || return 1
	req GET /account && expect_no_body "$tok" || return 1
	form /account/tokens "name=nothing" && expect_status 422 &&
		expect_body 'Choose at least one scope' || return 1
	form /account/tokens "name=sneaky" scope_admin=yes && expect_status 422 || return 1
	tid=$(sed -n 's#.*action="/account/tokens/\([A-Za-z0-9_-]*\)/delete".*#\1#p' b | head -n1)
	form "/account/tokens/$tid/delete" && expect_status 303 || return 1
	bearer "$tok" GET /api/v1/images && expect_status 401
}

test_rate_limit_hit_and_recovered() {
	email=$(new_email)
	register "$email" && jwt_login "$email" || return 1
	tok=$(new_token "busy" '["read"]') || return 1
	# the e2e stack allows 100 API requests per 10 s window per token: a
	# burst of 250 from 8 connections overruns any one window
	seq 250 | xargs -P 8 -I{} curl -s -o /dev/null -D hdr.{} -w '%{http_code}\n' \
		-H "Authorization: Bearer $tok" "$BASE/api/v1/me/prefs" >codes
	grep -q '^429$' codes || fail "codes: $(sort codes | uniq -c | tr '\n' ' ')" || return 1
	h429=$(grep -l '^HTTP/1.1 429' hdr.* | head -n1)
	tr -d '\r' <"$h429" >h
	expect_header 'Retry-After: [0-9]+' || return 1
	wait=$(sed -n 's/^Retry-After: //Ip' h)
	[ "$wait" -ge 1 ] && [ "$wait" -le 10 ] || fail "Retry-After $wait" || return 1
	# still over (the burst may have used up a later window too): wait as told
	bearer "$tok" GET /api/v1/me/prefs
	if [ "$STATUS" = 429 ]; then
		sleep "$(sed -n 's/^Retry-After: //Ip' h)"
		bearer "$tok" GET /api/v1/me/prefs
	fi
	expect_status 200 || fail "not recovered" || return 1
	# another client is not affected by this token's budget
	bearer "$AT" GET /api/v1/me/prefs && expect_status 200
}

test_etag_and_if_none_match() {
	email=$(new_email)
	register "$email" && jwt_login "$email" || return 1
	bearer "$AT" GET /api/v1/me && expect_status 200 && expect_header 'ETag: "[0-9a-f]{32}"' ||
		return 1
	etag=$(sed -n 's/^ETag: //Ip' h)
	bearer "$AT" GET /api/v1/me -H "If-None-Match: $etag" && expect_status 304 || return 1
	[ ! -s b ] || fail "304 with a body" || return 1
	bearer "$AT" GET /api/v1/me -H 'If-None-Match: "0000"' && expect_status 200
}

test_cors_only_for_allowed_origins() {
	JAR=/dev/null req OPTIONS /api/v1/images -H 'Origin: https://evil.example' \
		-H 'Access-Control-Request-Method: POST' && expect_status 403 &&
		expect_no_header 'Access-Control-Allow-Origin' || return 1
	JAR=/dev/null req OPTIONS /api/v1/images -H 'Origin: https://app.example' \
		-H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: authorization' &&
		expect_status 204 && expect_header 'Access-Control-Allow-Origin: https://app.example' &&
		expect_header 'Access-Control-Allow-Methods: .*POST' &&
		expect_header 'Access-Control-Allow-Headers: .*Authorization' || return 1
	expect_no_header 'Access-Control-Allow-Credentials' || return 1
	email=$(new_email)
	register "$email" && jwt_login "$email" || return 1
	bearer "$AT" GET /api/v1/me -H 'Origin: https://app.example' && expect_status 200 &&
		expect_header 'Access-Control-Allow-Origin: https://app.example' &&
		expect_header 'Vary: Origin' || return 1
	bearer "$AT" POST /api/v1/me/tokens -H 'Origin: https://app.example' -H "$JSON" \
		--data '{"name":"from the app","scopes":["read"]}' && expect_status 201 || return 1
	bearer "$AT" GET /api/v1/me -H 'Origin: https://evil.example' && expect_status 200 &&
		expect_no_header 'Access-Control-Allow-Origin' || return 1
	# pages never answer CORS
	req GET /login -H 'Origin: https://app.example' && expect_no_header 'Access-Control-Allow-Origin'
}
