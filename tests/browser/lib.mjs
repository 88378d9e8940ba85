// lib.mjs: the browser suite's runner and helpers — a sequential runner
// that prints "ok"/"FAIL" per step and the summary line, and visit(): load a
// page, check its status, run axe-core (no serious or critical violation
// allowed) and save screenshots at phone and desktop width.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";

export const env = {
  base: process.env.HT_BASE,
  shots: process.env.HT_SHOTS,
  fixtures: process.env.HT_FIXTURES,
  admin: process.env.HT_ADMIN,
  password: process.env.HT_PASSWORD,
  chromium: process.env.HT_CHROMIUM,
};

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

let passed = 0;
let failed = 0;
const pages = []; // [name, files] of every page checked

export function fail(msg) {
  throw new Error(msg);
}

export function check(cond, msg) {
  if (!cond) fail(msg);
}

// step(name, fn): run one step (at most STEP_MS); a failure is printed
// with a screenshot and does not stop the next steps (each starts from a
// known URL).
const STEP_MS = 90000;
export async function step(page, name, fn) {
  let timer;
  try {
    await Promise.race([fn(), new Promise((_, no) => { timer = setTimeout(() => no(new Error(`step took over ${STEP_MS / 1000} s`)), STEP_MS); })]);
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n    ${String(e && e.stack ? e.stack : e).split("\n").slice(0, 6).join("\n    ")}`);
    if (page) {
      const file = join(env.shots, `FAIL-${name.replace(/[^a-z0-9]+/gi, "-")}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`    screenshot ${file}; page ${page.url()}`);
    }
  } finally {
    clearTimeout(timer);
  }
}

export function summary() {
  console.log("pages checked (axe + screenshots):");
  for (const [name, files] of pages) console.log(`  ${name}: ${files.join(" ")}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0;
}

// axe needs script in the page: a page without JavaScript is checked as a
// copy (its HTML, scripts removed, stylesheets from the server) in the
// checker page, a JavaScript-enabled page set by setChecker().
let checker = null;
export function setChecker(page) {
  checker = page;
}

// axe(page): fail on any serious or critical violation, naming each.
export async function axe(page, name) {
  let target = page;
  if (checker) {
    const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");
    await checker.setViewportSize(page.viewportSize());
    await checker.setContent(html.replace(/<head>/i, `<head><base href="${page.url()}">`), { waitUntil: "load" });
    target = checker;
  }
  const r = await new AxeBuilder({ page: target }).analyze();
  const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length)
    fail(`${name}: ${bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`).join("; ")}`);
}

// shoot(page, name): full-page screenshots at phone and desktop width,
// recorded for the summary; leaves the page at desktop width.
export async function shoot(page, name) {
  const files = [];
  for (const [label, size] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    await page.setViewportSize(size);
    const file = join(env.shots, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file.replace(/^.*\/build\//, "build/"));
  }
  pages.push([name, files]);
}

// visit(page, name, path, status): open path, expect status (default 200),
// then check accessibility and take the screenshots.
export async function visit(page, name, path, status = 200) {
  const res = await page.goto(env.base + path);
  check(res.status() === status, `${path}: status ${res.status()}, expected ${status}`);
  await review(page, name);
}

// review(page, name): axe + screenshots of the page as it is now.
export async function review(page, name) {
  await axe(page, name);
  await shoot(page, name);
}

// submit(page, form locator's button): click and wait for the navigation.
export async function submit(page, button) {
  await Promise.all([page.waitForLoadState("load"), page.waitForNavigation(), button.click()]);
}

// sql(query): one value from the test database (psql -tA).
export function sql(query) {
  const [cmd, ...args] = process.env.HT_PSQL.split(" ");
  return execFileSync(cmd, [...args, "-c", query], { encoding: "utf8" }).trim();
}

export function fixture(name) {
  return { name, mimeType: name.endsWith(".png") ? "image/png" : "image/jpeg", buffer: readFileSync(join(env.fixtures, name)) };
}

let emails = 0;
export function newEmail() {
  return `user${process.pid}-${++emails}@example.org`;
}
