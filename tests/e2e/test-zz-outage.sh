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
