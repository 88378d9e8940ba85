# test-api-auth.sh: the JSON twins of the account pages.

test_api_register_login_me_logout() {
	email=$(new_email)
	req POST /api/v1/users -H 'Content-Type: application/json' \
		--data "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" && expect_status 201 &&
		[ "$(json 'd["email"]')" = "$email" ] && [ "$(json 'len(d["id"])')" = 16 ] || return 1
	req POST /api/v1/users -H 'Content-Type: application/json' \
		--data "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" && expect_status 409 &&
		[ "$(json 'd["errors"]["email"] != ""')" = True ] || return 1
	req POST /api/v1/session -H 'Content-Type: application/json' \
		--data "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" && expect_status 200 || return 1
	csrf=$(json 'd["csrf"]')
	req GET /api/v1/me && expect_status 200 && [ "$(json 'd["email"]')" = "$email" ] || return 1
	req POST /api/v1/me/password -H 'Content-Type: application/json' \
		--data "{\"current_password\":\"$PASSWORD\",\"new_password\":\"another fine passphrase\"}" &&
		expect_status 403 || return 1
	req POST /api/v1/me/password -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
		--data "{\"current_password\":\"$PASSWORD\",\"new_password\":\"another fine passphrase\"}" &&
		expect_status 204 || return 1
	req DELETE /api/v1/session -H "X-CSRF-Token: $csrf" && expect_status 204 || return 1
	req GET /api/v1/me && expect_status 401 &&
		expect_header 'Content-Type: application/problem\+json'
}

test_api_rejects_form_posts_without_session() {
	req POST /api/v1/session --data "email=a@b.org&password=x" && expect_status 403
}

test_api_bad_json_is_400() {
	req POST /api/v1/session -H 'Content-Type: application/json' --data '{"email": {"a": 1}}' &&
		expect_status 400 || return 1
	req POST /api/v1/session -H 'Content-Type: application/json' --data '{"email": 1.5}' &&
		expect_status 400 || return 1
	req POST /api/v1/session -H 'Content-Type: application/json' --data 'not json' &&
		expect_status 400 || return 1
	req POST /api/v1/users -H 'Content-Type: application/json' \
		--data '{"email":"bad","password":"correct horse battery staple"}' &&
		expect_status 422 && [ "$(json '"email" in d["errors"]')" = True ]
}
