# test-i18n.sh: English and Spanish — the language of a page comes from the
# user's choice, else the lang cookie (the selector), else Accept-Language,
# else English; API problems follow the same rules; Spanish pages (the admin
# statistics, users, user and reset pages too) have no English left in
# their visible text; dates, sizes, hashtags and their reasons in the
# page's language.

ES='Accept-Language: es-ES,es;q=0.9,en;q=0.5'
EN='Accept-Language: en-GB,en;q=0.9'
I18N_CJ='Content-Type: application/json'

# i18n_lang: the lang of the last page's <html>
i18n_lang() { sed -n 's/.*<html lang="\([a-z]*\)">.*/\1/p' b | head -n 1; }

# i18n_expect_lang CODE: the last page is in CODE (<html lang> and Content-Language)
i18n_expect_lang() {
	[ "$(i18n_lang)" = "$1" ] || fail "expected <html lang=\"$1\">, got \"$(i18n_lang)\"" || return 1
	expect_header "Content-Language: $1"
}

# i18n_pick CODE [curl args]: the layout's language selector, from the last page
i18n_pick() {
	_code=$1; shift
	_next=$(sed -n 's/.*name="next" value="\([^"]*\)".*/\1/p' b | head -n 1)
	form /lang "lang=$_code" "next=$_next" "$@"
}

# i18n_tagged ID: wait (60 s at most) until tagd is done with the photo; the
# photo as the API shows it is then in ./b
i18n_tagged() {
	for _i in $(seq 60); do
		req GET "/api/v1/images/$1"
		[ "$(json 'd["status"]')" = tagged ] && return 0
		sleep 1
	done
	fail "photo $1 not tagged"
}

# i18n_csrf: the session's CSRF token (API writes)
i18n_csrf() { req GET /api/v1/me && json 'd["csrf"]'; }

# i18n_leftovers: English left in the visible text of the last page (text
# and the attributes people see or hear, including the messages JavaScript
# shows), judged against the English msgids po/es.po translates differently:
# a whole text equal to one, or a sentence-sized piece of one. Text in
# elements marked with another lang (the language selector) is not judged.
i18n_leftovers() {
	python3 - "$ROOT/po/es.po" b <<'EOF'
import html.parser, re, sys

def entries(path):
    text = open(path, encoding="utf-8").read()
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        def field(name):
            m = re.search(r"^%s (\".*\"(?:\n\".*\")*)" % re.escape(name), block, re.M)
            if not m:
                return None
            return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        ctx, mid = field("msgctxt"), field("msgid")
        mstr = field("msgstr") or field("msgstr[0]")
        if mid and ctx in (None, "reason") and mstr and mstr != mid:
            yield mid, mstr

def pieces(msgid):
    """The fixed parts of a msgid: without {{tags}}, markup and % conversions."""
    for p in re.split(r"\{\{[^}]*\}\}|<[^>]*>|%[-+ #0]*[0-9.*]*(?:ll|l|z|h)?[a-zA-Z%]|\{[a-z]+\}", msgid):
        p = p.strip(" .,:;()—")
        if p:
            yield p

class Visible(html.parser.HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    SEEN = {"alt", "title", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.texts, self.page_lang = [], [], None

    def other_lang(self):
        return any(s[1] for s in self.stack) or any(s[0] in ("script", "style") for s in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.page_lang = a.get("lang")
        # another language, or data marked translate="no" (hashtags, copy texts)
        foreign = ("lang" in a and tag != "html" and a["lang"] != self.page_lang) or a.get("translate") == "no"
        if not (self.other_lang() or foreign):
            for k, v in a.items():
                if v and (k in self.SEEN or (k.startswith("data-") and k not in ("data-csrf", "data-copy", "data-label"))):
                    self.texts.append(v)
        if tag not in self.VOID:
            self.stack.append((tag, foreign))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.other_lang() and data.strip():
            self.texts.append(data)

page = Visible()
page.feed(open(sys.argv[2], encoding="utf-8").read())
texts = [re.sub(r"\s+", " ", t).strip() for t in page.texts]
whole = " | ".join(texts)
bad = set()
for mid, mstr in entries(sys.argv[1]):
    for p in pieces(mid):
        if p in mstr:  # kept as it is by the translation (a code, a name)
            continue
        if p in texts or (len(p.split()) >= 3 and p in whole):
            bad.add(p)
for b in sorted(bad):
    print("  English on a Spanish page: " + b)
sys.exit(1 if bad else 0)
EOF
}

test_i18n_accept_language_picks_spanish() {
	JAR=a.jar req GET /register
	expect_status 200 && i18n_expect_lang en && expect_body 'Create your account' || return 1
	JAR=a.jar req GET /register -H "$ES"
	i18n_expect_lang es && expect_body 'Crea tu cuenta' && expect_body 'Registrarse' ||
		return 1
	expect_header 'Vary: Accept-Language' || return 1
	JAR=a.jar req GET /login -H 'Accept-Language: es-MX'
	i18n_expect_lang es && expect_body 'Iniciar sesión' || return 1
	# no language of ours, or Spanish refused: English
	JAR=a.jar req GET /login -H 'Accept-Language: fr-FR, de;q=0.8'
	i18n_expect_lang en || return 1
	JAR=a.jar req GET /login -H 'Accept-Language: es;q=0, en;q=0.1'
	i18n_expect_lang en || return 1
	JAR=a.jar req GET /login -H 'Accept-Language: en;q=0.4, es;q=0.6'
	i18n_expect_lang es || return 1
	# a 404 page too, before any route
	JAR=a.jar req GET /no/such/page -H "$ES"
	expect_status 404 && i18n_expect_lang es && expect_body 'No hay nada en esta dirección.'
}

test_i18n_cookie_overrides_accept_language() {
	JAR=c.jar req GET '/login?next=/upload' -H "$ES"
	i18n_expect_lang es || return 1
	# the selector: a form with the CSRF token that comes back to the same page
	expect_body 'action="/lang"' && expect_body 'value="/login?next=/upload"' || return 1
	JAR=c.jar i18n_pick en -H "$ES"
	expect_status 303 && expect_header 'Location: /login\?next=/upload' &&
		expect_header 'Set-Cookie: lang=en' || return 1
	JAR=c.jar req GET /login -H "$ES"
	i18n_expect_lang en && expect_body 'Log in' || return 1
	JAR=c.jar i18n_pick es -H "$EN"
	JAR=c.jar req GET /login -H "$EN"
	i18n_expect_lang es || return 1
	# without the CSRF token nothing changes
	JAR=c.jar req POST /lang --data 'lang=en&next=/login' -H "$EN"
	expect_status 403 || return 1
	# a language we do not have
	JAR=c.jar i18n_pick fr
	expect_status 400 || return 1
	# an open redirect is not possible through next
	JAR=c.jar req GET /login
	JAR=c.jar form /lang lang=es next=//evil.example
	expect_status 400 || return 1
}

test_i18n_user_preference_overrides_both() {
	email=$(new_email)
	JAR=u.jar register "$email" && expect_status 303 || return 1
	[ -z "$(sql "SELECT locale FROM users WHERE email = '$email'")" ] ||
		fail "a new account has a language before choosing one" || return 1
	# chosen on /account (the same selector form): stored with the account
	JAR=u.jar req GET /account -H "$EN"
	i18n_expect_lang en && expect_body 'Automatic: your browser' || return 1
	JAR=u.jar form /lang lang=es next=/account -H "$EN"
	expect_status 303 || return 1
	[ "$(sql "SELECT locale FROM users WHERE email = '$email'")" = es ] ||
		fail "users.locale not saved" || return 1
	JAR=u.jar req GET /account -H "$EN"
	i18n_expect_lang es && expect_body 'Tu idioma se ha guardado.' || return 1
	# a new browser (no cookie) that asks for English still gets Spanish once logged in
	rm -f u2.jar
	JAR=u2.jar req GET /login -H "$EN"
	i18n_expect_lang en || return 1
	JAR=u2.jar form /login "email=$email" "password=$PASSWORD" -H "$EN"
	JAR=u2.jar req GET /history -H "$EN"
	i18n_expect_lang es && expect_body 'Tus fotos' || return 1
	# the API's twin (PUT /api/v1/me/prefs): English beats the cookie and the header
	tok=$(JAR=u2.jar i18n_csrf)
	JAR=u2.jar req PUT /api/v1/me/prefs -H "X-CSRF-Token: $tok" -H "$I18N_CJ" \
		--data '{"locale":"en"}'
	expect_status 200 && [ "$(json 'd["locale"]')" = en ] || fail "PUT locale" || return 1
	JAR=u.jar req GET /history -H "$ES"
	i18n_expect_lang en || return 1
	JAR=u2.jar req PUT /api/v1/me/prefs -H "X-CSRF-Token: $tok" -H "$I18N_CJ" \
		--data '{"locale":"xx"}'
	expect_status 422 && [ "$(json 'list(d["errors"])')" = "['locale']" ] || return 1
	# automatic again: the browser decides
	JAR=u2.jar req PUT /api/v1/me/prefs -H "X-CSRF-Token: $tok" -H "$I18N_CJ" \
		--data '{"locale":"auto"}'
	expect_status 200 && [ "$(json 'd["locale"]')" = auto ] || return 1
	JAR=u2.jar req GET /api/v1/me -H "$ES"
	[ "$(json 'd["locale"]')" = None ] || fail "user.locale is not null" || return 1
	JAR=u2.jar req GET /history -H "$ES"
	i18n_expect_lang es || return 1
}

test_i18n_api_problems_follow_the_language() {
	rm -f p.jar
	JAR=p.jar req POST /api/v1/users -H "$I18N_CJ" -H "$ES" \
		--data '{"email":"nope","password":"correct horse battery staple"}'
	expect_status 422 && expect_header 'Content-Language: es' || return 1
	[ "$(json 'd["title"]')" = 'Contenido no procesable' ] &&
		[ "$(json 'd["errors"]["email"]')" = 'Escribe un correo electrónico como nombre@example.org.' ] &&
		[ "$(json 'd["detail"]')" = "$(json 'd["errors"]["email"]')" ] ||
		fail "a Spanish problem expected" || return 1
	# a composed field message, a 404, a 401
	JAR=p.jar req POST /api/v1/users -H "$I18N_CJ" -H "$ES" --data '{"email":"a@b.example"}'
	[ "$(json 'd["errors"]["password"]')" = 'Falta el campo «password».' ] ||
		fail "missing field in Spanish" || return 1
	JAR=p.jar req GET /api/v1/no-such-thing -H "$ES"
	expect_status 404 && [ "$(json 'd["title"]')" = 'No encontrado' ] || return 1
	JAR=p.jar req GET /api/v1/me -H "$ES"
	expect_status 401 && [ "$(json 'd["detail"]')" = 'Primero inicia sesión.' ] || return 1
	# the cookie decides for the API as for pages; without anything: English
	JAR=p.jar req GET /login && JAR=p.jar i18n_pick es
	JAR=p.jar req GET /api/v1/me -H "$EN"
	[ "$(json 'd["title"]')" = 'No autorizado' ] || fail "the cookie is ignored" || return 1
	rm -f p.jar
	JAR=p.jar req GET /api/v1/me
	[ "$(json 'd["title"]')" = 'Unauthorized' ] && [ "$(json 'd["detail"]')" = 'Log in first.' ] ||
		fail "the default is not English" || return 1
}

test_i18n_dates_sizes_hashtags_in_spanish() {
	# Spanish from the selector before signing up: a cookie, no users.locale
	rm -f h.jar
	JAR=h.jar req GET /register && JAR=h.jar i18n_pick es
	JAR=h.jar register "$(new_email)" && expect_status 303 || return 1
	JAR=h.jar api_upload "$FIX/cat.jpg"
	expect_status 201 || return 1
	id=$(json 'd["images"][0]["id"]')
	JAR=h.jar i18n_tagged "$id" || return 1
	# no hashtag language chosen: the upload's language gives Spanish hashtags
	json '[t["hashtag"] for t in d["tags"]]' | grep -q "'#gato'" ||
		fail "no #gato for a Spanish upload" || return 1
	! json '[t["hashtag"] for t in d["tags"]]' | grep -q "'#cat'" ||
		fail "English hashtags for a Spanish upload" || return 1
	json 'd["created_text"]' |
		grep -qE '^[0-9]{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic) [0-9]{4}, [0-9]{2}:[0-9]{2} UTC$' ||
		fail "created_text not a Spanish date" || return 1
	# reasons stored in English, shown in Spanish
	[ "$(sql "SELECT reason LIKE 'cat detected (%' FROM image_tags t
	  JOIN images i ON i.id = t.image_id WHERE i.public_id = '$id' AND t.tag = 'Gato'")" = t ] ||
		fail "the stored reason is not English" || return 1
	JAR=h.jar req GET "/p/$id"
	expect_body 'gato en la foto (' && expect_body 'objeto' || return 1
	# sizes: a decimal comma in Spanish, a point in English
	JAR=h.jar api_upload "$FIX/coffee-12mp.jpg"
	expect_status 201 && [ "$(json 'd["images"][0]["size"]')" = '1,8 MB' ] ||
		fail "Spanish size" || return 1
	big=$(json 'd["images"][0]["id"]')
	# automatic again (the cookie goes): the browser's English
	JAR=h.jar req GET /account && JAR=h.jar form /lang lang=auto next=/account
	JAR=h.jar req GET "/p/$id" -H "$EN"
	expect_body 'cat detected (' || return 1
	JAR=h.jar req GET "/api/v1/images/$big" -H "$EN"
	[ "$(json 'd["size"]')" = '1.8 MB' ] && json 'd["created_text"]' |
		grep -qE '^[0-9]{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4}, ' ||
		fail "English size or date" || return 1
}

test_i18n_no_english_leftovers_on_spanish_pages() {
	owner=$(new_email)
	JAR=s.jar register "$owner" && expect_status 303 || return 1
	JAR=s.jar req GET /account && JAR=s.jar form /lang lang=es next=/account
	JAR=s.jar api_upload "$FIX/cat.jpg" && expect_status 201 || return 1
	photo=$(json 'd["images"][0]["id"]')
	tok=$(JAR=s.jar i18n_csrf)
	JAR=s.jar req POST /api/v1/collections -H "X-CSRF-Token: $tok" -H "$I18N_CJ" \
		--data '{"name":"Playa"}'
	col=$(json 'd["id"]')
	JAR=s.jar req POST "/api/v1/collections/$col/images" -H "X-CSRF-Token: $tok" \
		-H "$I18N_CJ" --data "{\"image_id\":\"$photo\"}"
	JAR=s.jar req POST "/api/v1/collections/$col/share" -H "X-CSRF-Token: $tok" --data-binary ''
	share=$(json 'd["token"]')
	sql "UPDATE images SET flagged = true, nsfw = 0.9 WHERE public_id = '$photo'" >/dev/null
	admin=$(new_email)
	printf '%s\n' "$PASSWORD" | "$HT_BIN" user add --admin "$admin" >out 2>&1 || { cat out; return 1; }
	rm -f sa.jar
	JAR=sa.jar login "$admin" && expect_status 303 || return 1
	JAR=sa.jar req GET /account && JAR=sa.jar i18n_pick es
	JAR=sa.jar req GET /admin/moderation && JAR=sa.jar form "/admin/moderation/$photo/remove" \
		'reason=Prueba'
	expect_status 303 || return 1
	rm -f sx.jar
	for page in / /register /login "/s/$share" /no-such-page; do
		JAR=sx.jar req GET "$page" -H "$ES"
		i18n_expect_lang es && i18n_leftovers || fail "on $page (logged out)" || return 1
	done
	for page in / /upload /history "/p/$photo" /account /collections "/c/$col" \
		"/history?q=nothing-matches"; do
		JAR=s.jar req GET "$page" -H "$EN"
		expect_status 200 && i18n_expect_lang es && i18n_leftovers || fail "on $page" || return 1
	done
	# forms answered with errors
	JAR=s.jar req GET /account && JAR=s.jar form /account/password current_password=wrong-one \
		new_password=something-long-enough
	i18n_expect_lang es && expect_body 'Tu contraseña actual no es correcta.' && i18n_leftovers ||
		return 1
	JAR=s.jar req GET "/p/$photo" && JAR=s.jar form "/p/$photo/tags" action=add 'tag=two words'
	expect_status 422 && i18n_leftovers || return 1
	# the statistics show a failed job (its reason stored in English), put
	# back as it was afterwards
	for _i in $(seq 60); do
		[ "$(sql "SELECT j.state IN ('done', 'failed') FROM tag_jobs j
		  JOIN images i ON i.id = j.image_id WHERE i.public_id = '$photo'")" = t ] && break
		sleep 1
	done
	job=$(sql "SELECT j.image_id || '|' || j.state || '|' || j.attempts || '|' ||
	  coalesce(j.finished_at::text, '') FROM tag_jobs j JOIN images i ON i.id = j.image_id
	  WHERE i.public_id = '$photo'")
	sql "UPDATE tag_jobs SET state = 'failed', attempts = 3, finished_at = now(),
	  last_error = 'gave up after 2 attempts' WHERE image_id = ${job%%|*}" >/dev/null
	oid=$(sql "SELECT public_id FROM users WHERE email = '$owner'")
	_ok=0
	for page in /admin/moderation /admin/audit "/p/$photo" /admin /admin/users \
		"/admin/users?q=nothing-matches" "/admin/users/$oid"; do
		JAR=sa.jar req GET "$page" -H "$EN"
		i18n_expect_lang es && i18n_leftovers || fail "on $page (admin)" || { _ok=1; break; }
	done
	if [ $_ok = 0 ]; then
		JAR=sa.jar req GET /admin -H "$EN"
		expect_body 'abandonado tras 2 intentos' || _ok=1
	fi
	sql "UPDATE tag_jobs SET state = '$(echo "$job" | cut -d'|' -f2)',
	  attempts = $(echo "$job" | cut -d'|' -f3), last_error = NULL,
	  finished_at = nullif('$(echo "$job" | cut -d'|' -f4)', '')::timestamptz
	  WHERE image_id = ${job%%|*}" >/dev/null
	[ $_ok = 0 ] || return 1
	# a password reset link: the admin's page that shows it, the page it opens
	JAR=sa.jar req GET "/admin/users/$oid" && JAR=sa.jar form "/admin/users/$oid/reset-password"
	expect_status 200 && i18n_expect_lang es && i18n_leftovers || fail "on the reset link" ||
		return 1
	reset=$(sed -n 's|.*value="[^"]*/reset/\([A-Za-z0-9_-]*\)".*|\1|p' b | head -n 1)
	[ -n "$reset" ] || fail "no reset link shown" || return 1
	rm -f sr.jar
	JAR=sr.jar req GET "/reset/$reset" -H "$ES"
	expect_status 200 && i18n_expect_lang es && i18n_leftovers || fail "on /reset" || return 1
	JAR=sr.jar i18n_pick es && JAR=sr.jar req GET "/reset/$reset"
	JAR=sr.jar form "/reset/$reset" new_password=short
	expect_status 422 && i18n_expect_lang es && i18n_leftovers || fail "on /reset's error" ||
		return 1
	# the scan sees English when it is there
	JAR=sx.jar req GET /login -H "$EN"
	sed 's/<html lang="en">/<html lang="es">/' b >b.en && mv b.en b
	if i18n_leftovers >out; then
		fail "the scan found no English on an English page"
		return 1
	fi
}
