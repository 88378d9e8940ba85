// flows.mjs: what a person does, step by step, in one browser context.
// The same steps run with JavaScript (drag-and-drop, progress bars, copy
// buttons) and without it (plain forms); `js` tells them apart. Selectors
// are labels, roles and ids, so the steps hold in English and Spanish.
import { check, env, fixture, newEmail, review, sql, step, submit, visit } from "./lib.mjs";

const PHOTOS = ["cat.jpg", "coffee.jpg", "motorcycle.jpg"];

export async function register(page, email) {
  await page.goto(env.base + "/register");
  await page.fill("#email", email);
  await page.fill("#password", env.password);
  await submit(page, page.locator("main form button[type=submit]"));
  check(!page.url().endsWith("/register"), `still on ${page.url()}`);
  check((await page.locator("header nav").innerText()).includes(email), "the header does not show the account");
}

export async function login(page, email) {
  await page.goto(env.base + "/login");
  await page.fill("#email", email);
  await page.fill("#password", env.password);
  await submit(page, page.locator("main form button[type=submit]"));
  check(!page.url().includes("/login"), `login refused: ${page.url()}`);
}

// upload by drag-and-drop: every file gets a progress bar that reaches 100
// %, then its card with the hashtags replaces the bar
async function dropPhotos(page) {
  await page.evaluate(() => {
    window.__bars = [];
    new MutationObserver((ms) => {
      for (const m of ms) for (const n of m.addedNodes)
        if (n.querySelectorAll) window.__bars.push(...n.querySelectorAll("progress"));
    }).observe(document.getElementById("progress"), { childList: true, subtree: true });
  });
  const files = PHOTOS.map(fixture).map((f) => ({ name: f.name, type: f.mimeType, b64: f.buffer.toString("base64") }));
  const dt = await page.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      d.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return d;
  }, files);
  await page.dispatchEvent("#drop", "dragenter", { dataTransfer: dt });
  await page.dispatchEvent("#drop", "drop", { dataTransfer: dt });
  await page.waitForFunction((n) => document.querySelectorAll("#progress .photo-card .tag-list").length === n, PHOTOS.length, { timeout: 30000 });
  const bars = await page.evaluate(() => window.__bars.map((b) => b.value));
  check(bars.length === PHOTOS.length, `${bars.length} progress bars for ${PHOTOS.length} files`);
  check(bars.every((v) => v === 100), `progress bars ended at ${bars}`);
}

// upload with the plain form: the answer page lists the photos, with their
// hashtags or, when the tagger is slower than the server waits, "pending"
async function formPhotos(page) {
  await page.setInputFiles("#file", PHOTOS.map(fixture));
  await submit(page, page.locator("#upload-form button[type=submit]"));
  const cards = page.locator("main .photo-grid .photo-card");
  check((await cards.count()) === PHOTOS.length, `${await cards.count()} photos in the answer`);
  const done = await page.locator("main .photo-grid .photo-card:has(.tags), main .photo-grid .photo-card:has(.pending)").count();
  check(done === PHOTOS.length, `${PHOTOS.length - done} cards show neither hashtags nor "pending"`);
}

// untilTagged(page, path): open a photo's page, reloading like a person
// would while its hashtags are still being found (at most 60 s)
async function untilTagged(page, path) {
  const res = await page.goto(env.base + path);
  check(res.status() === 200, `${path}: status ${res.status()}`);
  for (let i = 0; i < 60 && (await page.locator("#tags .pending").count()) > 0; i++) {
    await page.waitForTimeout(1000);
    await page.reload();
  }
  check((await page.locator("#tags .tag-item").count()) > 0, `${path}: no hashtags after a minute`);
}

// pickLanguage(page, code): the header's language selector (a form that
// comes back to the same page, with or without JavaScript); the page is
// then in that language.
export async function pickLanguage(page, code) {
  await submit(page, page.locator(`header form.lang-picker button[value="${code}"]`));
  const lang = await page.getAttribute("html", "lang");
  check(lang === code, `<html lang="${lang}"> after choosing ${code}`);
}

// inSpanish(page, tag, pages): switch to Español with the header selector,
// open each [name, path, status] in Spanish (html lang="es", the footer's
// Spanish sentence, no English footer), with axe and phone and desktop
// screenshots (tag-es-name), then switch back to English.
export async function inSpanish(page, tag, pages) {
  await pickLanguage(page, "es");
  check((await page.locator("footer").innerText()).includes("Tus fotos se quedan en este servidor."), "the footer is not in Spanish");
  try {
    for (const [name, path, status] of pages) {
      await visit(page, `${tag}-es-${name}`, path, status);
      check((await page.getAttribute("html", "lang")) === "es", `${path} is not in Spanish`);
      const foot = await page.locator("footer").innerText();
      check(foot.includes("entran fotos, salen hashtags") && !foot.includes("photos in"), `${path}: footer "${foot}"`);
    }
  } finally {
    await pickLanguage(page, "en");
  }
  check((await page.locator("footer").innerText()).includes("Your photos stay on this server."), "not back in English");
}

export async function userFlows(page, ctx, js) {
  const tag = js ? "js" : "nojs";
  const email = newEmail();
  let photoUrl;
  await step(page, `${tag}: home page logged out`, () => visit(page, `${tag}-home`, "/"));
  await step(page, `${tag}: logged out in Spanish and back`, () =>
    inSpanish(page, tag, [["home", "/"], ["login", "/login"], ["register", "/register"]]));
  await step(page, `${tag}: register`, async () => {
    await visit(page, `${tag}-register`, "/register");
    await register(page, email);
  });
  await step(page, `${tag}: log out and in again`, async () => {
    await submit(page, page.locator(`header form[action="/logout"] button[type=submit]`));
    check(!(await page.locator("header nav").innerText()).includes(email), "still logged in");
    await visit(page, `${tag}-login`, "/login");
    await login(page, email);
  });
  await step(page, `${tag}: upload ${PHOTOS.length} photos and see their hashtags`, async () => {
    await visit(page, `${tag}-upload`, "/upload");
    if (js) await dropPhotos(page);
    else await formPhotos(page);
    await review(page, `${tag}-upload-done`);
  });
  await step(page, `${tag}: photo page, keep and remove hashtags, add one`, async () => {
    const id = sql(`SELECT i.public_id FROM images i JOIN users u ON u.id = i.owner_id WHERE u.email = '${email}' AND i.original_name = 'cat.jpg'`);
    photoUrl = `/p/${id}`;
    await untilTagged(page, photoUrl);
    const text = await page.locator("#tags").innerText();
    check(text.includes("#cat"), "no #cat among the hashtags");
    check(/cat detected|gato detectado/i.test(text), "the hashtags are not explained");
    await review(page, `${tag}-photo`);
    await submit(page, page.locator("button[name=action][value=accept]").first());
    check((await page.locator(".tag-item.chosen").count()) === 1, "the kept hashtag is not marked");
    const before = await page.locator(".tag-item").count();
    await submit(page, page.locator(".tag-item:not(.chosen) button[name=action][value=reject]").first());
    check((await page.locator(".tag-item").count()) === before - 1, "the removed hashtag is still listed");
    await page.fill("#new-tag", "#MyBestShot");
    await submit(page, page.locator("form.add-tag button[type=submit]"));
    check((await page.locator(".tag-item .tag").allInnerTexts()).some((t) => /mybestshot/i.test(t)), "the added hashtag is missing");
    await review(page, `${tag}-photo-edited`);
  });
  await step(page, `${tag}: copy hashtags for Instagram`, async () => {
    await page.goto(env.base + photoUrl);
    const box = page.locator("#copy-instagram");
    const text = await box.inputValue();
    check(text.includes("#") && /mybestshot/i.test(text), `copy text: ${text}`);
    if (js) {
      await page.locator('.copy-button[data-copy="copy-instagram"]').click();
      await page.waitForFunction(() => document.querySelector(".copy-status").textContent.length > 0);
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      check(copied === text, `clipboard holds "${copied}"`);
    } else {
      check(await page.locator(".copy-button").first().isHidden(), "a copy button that cannot work is shown");
    }
  });
  await step(page, `${tag}: history and its filters`, async () => {
    await visit(page, `${tag}-history`, "/history");
    check((await page.locator("main .photo-card").count()) === PHOTOS.length, "history does not list every photo");
    await page.fill("#tag", "#mybestshot");
    await submit(page, page.locator("form.filters button[type=submit]"));
    check((await page.locator("main .photo-card").count()) === 1, "the hashtag filter did not narrow to one photo");
    await review(page, `${tag}-history-filtered`);
  });
  await step(page, `${tag}: collection with a share link, seen logged out`, async () => {
    await visit(page, `${tag}-collections`, "/collections");
    await page.fill("#name", "Holiday");
    await submit(page, page.locator("form.collection-new button[type=submit]"));
    await page.goto(env.base + photoUrl);
    await submit(page, page.locator("form.collect-form button[type=submit]"));
    const coll = sql(`SELECT c.public_id FROM collections c JOIN users u ON u.id = c.owner_id WHERE u.email = '${email}'`);
    await page.goto(`${env.base}/c/${coll}`);
    await submit(page, page.locator(`form[action="/c/${coll}/share"] button`));
    const link = await page.locator("#share-url").inputValue();
    await review(page, `${tag}-collection`);
    const anon = await ctx.browser().newContext({ javaScriptEnabled: js });
    const other = await anon.newPage();
    await visit(other, `${tag}-shared`, link.replace(/^https?:\/\/[^/]+/, ""));
    check((await other.locator("main img").count()) === 1, "the shared page does not show the photo");
    await anon.close();
  });
  await step(page, `${tag}: account page`, () => visit(page, `${tag}-account`, "/account"));
  await step(page, `${tag}: a missing page`, () => visit(page, `${tag}-not-found`, "/p/AAAAAAAAAAAAAAAA", 404));
  await step(page, `${tag}: the main pages in Spanish and back (the choice saved with the account)`, async () => {
    await page.goto(env.base + "/");
    await inSpanish(page, tag, [
      ["home", "/"], ["upload", "/upload"], ["history", "/history"], ["photo", photoUrl],
      ["collections", "/collections"], ["account", "/account"], ["not-found", "/p/AAAAAAAAAAAAAAAA", 404],
    ]);
    check(sql(`SELECT locale FROM users WHERE email = '${email}'`) === "en", "English not saved with the account");
  });
}

// adminFlows: the admin's pages; a photo the NSFW score flagged is approved
export async function adminFlows(page, js) {
  const tag = js ? "js" : "nojs";
  await step(page, `${tag}: admin statistics with charts`, async () => {
    await login(page, env.admin);
    await visit(page, `${tag}-admin-stats`, "/admin");
    check((await page.locator("main svg[role=img]").count()) >= 2, "no charts");
    const photos = Number(sql("SELECT count(*) FROM images"));
    check((await page.locator("main").innerText()).includes(String(photos)), `the page does not show the ${photos} photos`);
  });
  await step(page, `${tag}: admin users: "who signed up this week with at least 1 photo?", then a user's page`, async () => {
    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10);
    await visit(page, `${tag}-admin-users`, "/admin/users");
    await page.fill("#joined_from", weekAgo);
    await page.fill("#joined_to", today);
    await page.fill("#images_min", "1");
    await submit(page, page.locator("form.filters button[type=submit]"));
    const want = sql(`SELECT string_agg(email, ' ' ORDER BY email) FROM users u WHERE (created_at AT TIME ZONE 'UTC')::date BETWEEN '${weekAgo}' AND '${today}' AND (SELECT count(*) FROM images WHERE owner_id = u.id) >= 1`).split(" ");
    const got = (await page.locator("table.users tbody td:first-child a").allInnerTexts()).sort();
    check(JSON.stringify(got) === JSON.stringify(want), `listed ${got}, SQL says ${want}`);
    await review(page, `${tag}-admin-users-filtered`);
    await submit(page, page.locator("table.users tbody td:first-child a").first());
    await review(page, `${tag}-admin-user`);
  });
  await step(page, `${tag}: admin moderation queue, approve a photo`, async () => {
    const id = sql("UPDATE images SET flagged = true, nsfw = 0.93 WHERE id = (SELECT max(id) FROM images WHERE moderation IS NULL) RETURNING public_id");
    await visit(page, `${tag}-admin-moderation`, "/admin/moderation");
    await submit(page, page.locator(`form[action="/admin/moderation/${id}/approve"] button`));
    check(sql(`SELECT moderation FROM images WHERE public_id = '${id}'`) === "approved", "not approved");
  });
  await step(page, `${tag}: admin audit log`, async () => {
    await visit(page, `${tag}-admin-audit`, "/admin/audit");
    check((await page.locator("table.audit tbody tr").count()) >= 1, "no audit entry");
  });
  await step(page, `${tag}: the admin pages in Spanish and back`, async () => {
    const user = sql("SELECT u.public_id FROM users u WHERE EXISTS (SELECT 1 FROM images WHERE owner_id = u.id) ORDER BY u.id LIMIT 1");
    await page.goto(env.base + "/admin");
    await inSpanish(page, tag, [
      ["admin-stats", "/admin"], ["admin-users", "/admin/users"], ["admin-user", `/admin/users/${user}`],
      ["admin-moderation", "/admin/moderation"], ["admin-audit", "/admin/audit"],
    ]);
  });
}
