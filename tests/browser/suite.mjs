// suite.mjs: the browser suite — the flows of flows.mjs with JavaScript on
// (clipboard allowed) and again with it off, in Debian's Chromium
// (headless, no sandbox: CI runs as root). Prints "N passed, N failed".
// HT_JS=1 or HT_JS=0 runs only one of the two passes.
import { chromium } from "playwright-core";
import { adminFlows, userFlows } from "./flows.mjs";
import { DESKTOP, env, setChecker, summary } from "./lib.mjs";

const browser = await chromium.launch({ executablePath: env.chromium, headless: true, args: ["--no-sandbox"] });
const checking = await browser.newContext({ viewport: DESKTOP });
try {
  for (const js of (process.env.HT_JS ? [process.env.HT_JS === "1"] : [true, false])) {
    setChecker(js ? null : await checking.newPage());
    const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: DESKTOP, locale: "en-GB" });
    if (js) await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.base });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15000);
    await userFlows(page, ctx, js);
    await ctx.close();
    const adm = await browser.newContext({ javaScriptEnabled: js, viewport: DESKTOP, locale: "en-GB" });
    await adminFlows(await adm.newPage(), js);
    await adm.close();
  }
} finally {
  await checking.close();
  await browser.close();
}
process.exit(summary() ? 0 : 1);
