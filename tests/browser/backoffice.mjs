// What the back-office checks (admin.test.mjs, editor.test.mjs) share on top of
// harness.mjs: the back office's strings, people added from the command line,
// forms sent and followed to where they lead, signing in, and the checks that a
// control can be tapped on a phone and that a page fits it.
//
// A plain module, not a *.test.mjs file: `node --test tests/browser/` does not run
// it on its own.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, VIEWPORT, assertNoHorizontalOverflow, goto, run, settle } from './harness.mjs';

// The back office's strings in `code`, from the locale file the binary embeds
// (themes/admin/locales/CODE.toml), so the checks follow the wording rather than
// repeat it. Asking for a key the file lacks throws.
export function adminLocale(code) {
  const file = `themes/admin/locales/${code}.toml`;
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const table = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^([A-Za-z0-9_]+)\s*=\s*("(?:[^"\\]|\\.)*")\s*$/);
    if (m) table[m[1]] = JSON.parse(m[2]);
  }
  return new Proxy(table, {
    get(t, key) {
      if (typeof key === 'string' && !(key in t)) throw new Error(`no key ${key} in ${file}`);
      return t[key];
    },
  });
}

// `warraq user add` for `who` ({ email, name, password }) with `role`; `extra`:
// more arguments (`--author new`…). Checks that it says it added them.
export async function addUser(dbUrl, who, role, extra = []) {
  const added = await run(
    ['user', 'add', '--database', dbUrl, '--email', who.email, '--name', who.name, '--role', role, ...extra, '--password-stdin'],
    `${who.password}\n`,
  );
  const email = who.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(added, new RegExp(`added ${email}`), 'warraq user add');
}

// The requests a navigation went through: ["POST /admin/login 303", "GET /admin/ 200"].
export function chainOf(res) {
  const chain = [];
  for (let req = res.request(); req; req = req.redirectedFrom()) {
    chain.unshift(`${req.method()} ${new URL(req.url()).pathname}`);
  }
  chain[chain.length - 1] += ` ${res.status()}`;
  return chain;
}

// The interesting part of a page, for a failure message.
function snippet(html) {
  const main = html.match(/<main[\s\S]*?<\/main>/)?.[0] ?? html;
  return main.replace(/\s+/g, ' ').slice(0, 1500);
}

// Clicks a submit button and waits for the page the form leads to (after any
// redirects); checks where it ended (`path`, a string or a RegExp) and with which
// status. Resolves to { res, chain, url }.
export async function submit(page, button, { path: expectPath, status = 200, where }) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  assert.ok(res, `${where}: the form led nowhere`);
  const chain = chainOf(res);
  const url = new URL(res.url());
  const pathOk = expectPath instanceof RegExp ? expectPath.test(url.pathname) : url.pathname === expectPath;
  if (res.status() !== status || !pathOk) {
    const html = await page.content().catch(() => '');
    assert.fail(
      `${where}: expected ${expectPath} with ${status}, got ${url.pathname}${url.search} with ${res.status()}\n` +
        `  requests: ${chain.join(' → ')}\n  page: ${snippet(html)}`,
    );
  }
  await settle(page);
  return { res, chain, url };
}

// Password step: opens `base`/admin/login, fills the form with `who`'s email and
// password and sends it, expecting `path` (default /admin/). `usable`: check the
// submit button with assertUsable first. Resolves to what submit() does.
export async function signIn(page, base, who, { path: expectPath = '/admin/', where, usable = false }) {
  await goto(page, `${base}/admin/login`);
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  const button = page.locator('form[action="/admin/login"] button[type="submit"]');
  if (usable) await assertUsable(page, button, where);
  return submit(page, button, { path: expectPath, where: `${where}: sign in as ${who.email}` });
}

// Visible, inside the viewport's width, and big enough to tap (WCAG 2.2's 24 px
// minimum target).
export async function assertUsable(page, locator, where) {
  const what = `${where}: ${locator}`;
  assert.ok((await locator.count()) > 0, `${what} is missing`);
  const el = locator.first();
  await el.scrollIntoViewIfNeeded();
  assert.ok(await el.isVisible(), `${what} is not visible`);
  assert.ok(await el.isEnabled(), `${what} is disabled`);
  const box = await el.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, `${what} has an empty box ${JSON.stringify(box)}`);
  assert.ok(
    box.x >= -0.5 && box.x + box.width <= VIEWPORT.width + 0.5,
    `${what} spans x=${box.x.toFixed(1)}..${(box.x + box.width).toFixed(1)}, outside 0..${VIEWPORT.width}`,
  );
  assert.ok(box.height >= 24 && box.width >= 24, `${what} is ${box.width.toFixed(0)}×${box.height.toFixed(0)} px, too small to tap`);
  // Nothing else is drawn over its middle (it would take the tap).
  const hit = await el.evaluate((node) => {
    const b = node.getBoundingClientRect();
    const top = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    return !top || node === top || node.contains(top) || top.contains(node) ? null : top.outerHTML.slice(0, 200);
  });
  assert.equal(hit, null, `${what} is covered by ${hit}`);
  return box;
}

// No sideways scrolling, in a viewport checked to be the phone's VIEWPORT.width
// (what assertUsable measures against).
export async function assertFits(page, where) {
  await assertNoHorizontalOverflow(page, where, { width: VIEWPORT.width });
}
