// Browser checks of the back office at /admin/, as the newsroom uses it on a phone:
// an admin signs in with a second factor (set up on the way in, because the config
// requires it), adds an author; the author signs in, sees the Arabic dashboard
// right to left at 390 px, and publishes an article that then shows on the site.
//
// Run from the repo root with `node --test tests/browser/` (or tests/browser/run.sh,
// which installs what is missing first). Starts its own warraq server with the demo
// newsroom on a fresh SQLite file and `[admin] require_second_factor = true`, drives
// Debian's /usr/bin/chromium through playwright-core (no downloaded browsers), and
// saves full-page screenshots to target/browser/admin-*.png.
// The server, the browser contexts and the checks made on every page are in
// harness.mjs, shared with the other files here; signing in, sending forms and
// the tap-size checks are in backoffice.mjs, shared with editor.test.mjs.
//
// Env: WARRAQ_BIN   path to the warraq binary (default target/debug/warraq,
//                   relative paths are taken from the repo root)
//      CHROMIUM_BIN path to chromium (default /usr/bin/chromium)
//
// The tests run in order and build on each other (one browser profile, one
// newsroom): a failure early on fails the later ones too.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  VIEWPORT,
  assertDirection,
  assertNoProblems,
  cleanUp,
  goto,
  launch,
  openPage,
  platformFonts,
  screenshot,
  settle,
  startServer,
} from './harness.mjs';
import { addUser, adminLocale, assertFits, assertUsable, signIn, submit } from './backoffice.mjs';

// A slow two-core machine: argon2 on every sign-in, a debug build.
const ACTION_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 120_000;

const ADMIN = { email: 'rania@example.com', name: 'رانيا الخوري', password: 'correct horse battery staple' };
const AUTHOR = { email: 'sami@example.com', name: 'سامي حداد', password: 'a long walk to the newsroom' };
const ARTICLE = {
  // Hamza forms, shadda and damma, Arabic-Indic digits.
  headline: 'الحكومة تُقرّ موازنة ٢٠٢٧ وسط احتجاجات',
  standfirst: 'أقرّ مجلس الوزراء مشروع الموازنة العامة بعد جلسة مطوّلة، فيما تجمّع محتجّون أمام البرلمان رفضاً لزيادة الضرائب.',
  body: '<p>أعلنت الحكومة إقرار موازنة عام ٢٠٢٧ بعجز أقل من المتوقع، وقالت إن الإنفاق على التعليم والصحة سيرتفع.</p>\n<p>وفي الخارج، رفع المحتجون لافتات تطالب بتخفيف الأعباء عن الأسر ذات الدخل المحدود.</p>',
};

// The back office's Arabic strings (the checks follow the wording rather than repeat it).
const AR = adminLocale('ar');

let tmp; // temp dir holding the SQLite file, the config and the browser profile
let dbUrl;
let base; // http://127.0.0.1:PORT
let browser; // persistent context: one browser, one cookie jar, used by both people in turn

// ---------------------------------------------------------------------------
// TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as an authenticator app

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${JSON.stringify(ch)} in ${JSON.stringify(text)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

const stepOf = (ms) => Math.floor(ms / 1000 / 30);

function totpAt(key, step, digits = 6) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

// ---------------------------------------------------------------------------
// browser

// The back office is Arabic throughout: the markup says rtl (<html dir>), not only
// the style sheet, and so does <main>.
async function assertRtl(page, where) {
  await assertDirection(page, 'ar', 'rtl', where, { attribute: true, main: true });
}

// A template given a null renders it as the word "None"; nothing an editor sees or
// would send back should say None, null or undefined on its own.
async function assertNoNullWords(page, where) {
  const found = await page.evaluate(() => {
    const bad = /(^|[^\p{L}])(None|none|null|undefined)([^\p{L}]|$)/u;
    const out = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
      if (bad.test(el.value)) out.push(`${el.tagName.toLowerCase()}#${el.id || el.name} = ${JSON.stringify(el.value)}`);
    }
    const text = document.body.innerText;
    const m = text.match(new RegExp(`.{0,30}${bad.source}.{0,30}`, 'u'));
    if (m) out.push(`text: ${JSON.stringify(m[0])}`);
    return out;
  });
  assert.deepEqual(found, [], `${where}: null rendered as a word:\n  ${found.join('\n  ')}`);
}

// The Arabic of `selector` is drawn with an Arabic font (fonts-noto-core), not boxes.
async function assertArabicGlyphs(t, page, selector, where) {
  const text = (await page.locator(selector).first().innerText()).trim();
  assert.match(text, /[\u0600-\u06FF]/, `${where}: ${selector} has no Arabic letters: ${JSON.stringify(text)}`);
  const fonts = await platformFonts(browser, page, selector);
  const names = fonts.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`).join(', ');
  t.diagnostic(`${where}: ${selector} drawn with ${names}`);
  assert.ok(
    fonts.some((f) => /arabic|naskh|kufi/i.test(f.familyName) && f.glyphCount > 0),
    `${where}: no Arabic font drew ${selector} (${names || 'no fonts'}); is fonts-noto-core installed?`,
  );
  return text;
}

async function sessionCookie() {
  return (await browser.cookies(base)).find((c) => c.name === 'warraq_session');
}

// The header's sign-out button, then the sign-in form.
async function signOut(page, where) {
  const button = page.locator('header form[action="/admin/logout"] button[type="submit"]');
  await assertUsable(page, button, where);
  await submit(page, button, { path: '/admin/login', where: `${where}: sign out` });
  assert.equal(await sessionCookie(), undefined, `${where}: the session cookie is still there after signing out`);
}

async function assertNav(page, where, { admin }) {
  const nav = page.locator('header nav.nav');
  assert.equal(await nav.count(), 1, `${where}: no navigation`);
  assert.ok(await nav.isVisible(), `${where}: the navigation is not visible`);
  for (const [href, label] of [
    ['/admin/', AR.dashboard],
    ['/admin/articles/new', AR.new_article],
    ['/admin/account', AR.account],
  ]) {
    const link = nav.locator(`a[href="${href}"]`);
    assert.equal(await link.count(), 1, `${where}: no ${href} link in the navigation`);
    assert.equal((await link.innerText()).trim(), label, `${where}: label of ${href}`);
    await assertUsable(page, link, where);
  }
  for (const href of ['/admin/users', '/admin/audit']) {
    assert.equal(await nav.locator(`a[href="${href}"]`).count(), admin ? 1 : 0, `${where}: ${href} link shown to ${admin ? 'an admin' : 'a non-admin'}`);
  }
}

// ---------------------------------------------------------------------------

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'warraq-admin-browser-'));
  dbUrl = `sqlite://${path.join(tmp, 'site.db')}`;
  const config = path.join(tmp, 'warraq.toml');
  await writeFile(config, '[admin]\nrequire_second_factor = true\n');
  base = await startServer(dbUrl, ['--config', config]);
  // The first admin, from the command line, while the server runs.
  await addUser(dbUrl, ADMIN, 'admin');
  browser = await launch(tmp, 'staff', { server: base, timeout: ACTION_TIMEOUT_MS, locale: 'ar' });
});

after(() => cleanUp({ contexts: [browser], tmp }));

describe('back office in a 390px phone viewport', { timeout: 10 * 60_000 }, () => {
  let key; // the admin's TOTP secret
  let enrolStep; // the 30-second step whose code turned the second factor on

  test('the TOTP helper gives RFC 6238 appendix B codes', () => {
    const rfcKey = Buffer.from('12345678901234567890');
    assert.equal(totpAt(rfcKey, stepOf(59_000), 8), '94287082');
    assert.equal(totpAt(rfcKey, stepOf(1_111_111_109_000), 8), '07081804');
    assert.equal(totpAt(rfcKey, stepOf(20_000_000_000_000), 8), '65353130');
    assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), rfcKey);
  });

  test('admin signs in and must set up a second factor first', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/login`);
      await assertRtl(page, 'login');
      assert.equal(await page.locator('header nav').count(), 0, 'login: navigation shown before signing in');
      assert.equal((await page.locator('main h1').innerText()).trim(), AR.sign_in, 'login: heading');
      await assertArabicGlyphs(t, page, 'main h1', 'login');
      await assertUsable(page, page.locator('#email'), 'login');
      await assertUsable(page, page.locator('#password'), 'login');
      await screenshot(page, 'admin-login.png');
      await assertFits(page, 'login');
      await assertNoNullWords(page, 'login');

      // require_second_factor: the password alone leads to the setup, nowhere else.
      const { chain } = await signIn(page, base, ADMIN, { path: '/admin/account', where: 'login', usable: true });
      t.diagnostic(`sign-in: ${chain.join(' → ')}`);
      assert.ok(await sessionCookie(), 'no session cookie after signing in');
      await assertRtl(page, 'enrol');
      assert.equal((await page.locator('main h1').innerText()).trim(), AR.enrol_title, 'enrol: heading');
      assert.equal(await page.locator('header nav').count(), 0, 'enrol: navigation shown before the second factor is set up');
      // Anything else sends them back here.
      await goto(page, `${base}/admin/users`);
      assert.equal(new URL(page.url()).pathname, '/admin/account', '/admin/users before enrolling');
      await assertFits(page, 'enrol');
      await assertNoNullWords(page, 'enrol');

      const setUp = page.locator('form[action="/admin/account/totp"] button[type="submit"]');
      await assertUsable(page, setUp, 'enrol');
      await submit(page, setUp, { path: '/admin/account/totp', where: 'enrol: set up' });
      const shown = (await page.locator('#totp-secret').innerText()).trim();
      const secret = shown.replace(/\s+/g, '');
      assert.match(secret, /^[A-Z2-7]{16,}$/, `enrol: #totp-secret is not base32: ${JSON.stringify(shown)}`);
      assert.equal(await page.locator('#totp-secret').getAttribute('dir'), 'ltr', 'enrol: the secret is not dir=ltr');
      assert.equal(
        await page.locator('form[action="/admin/account/totp/confirm"] input[name="secret"]').inputValue(),
        secret,
        'enrol: the hidden secret differs from the one shown',
      );
      const uri = await page.locator('.totp-setup a[href^="otpauth://totp/"]').getAttribute('href');
      assert.match(uri, new RegExp(`[?&]secret=${secret}(&|$)`), `enrol: the otpauth link carries another secret: ${uri}`);
      key = base32Decode(secret);
      await assertRtl(page, 'enrol setup');
      await screenshot(page, 'admin-enrol.png');
      await assertFits(page, 'enrol setup');
      await assertNoNullWords(page, 'enrol setup');

      // The authenticator app's code, now.
      enrolStep = stepOf(Date.now());
      await page.locator('#totp-confirm-code').fill(totpAt(key, enrolStep));
      const confirm = page.locator('form[action="/admin/account/totp/confirm"] button[type="submit"]');
      await assertUsable(page, confirm, 'enrol setup');
      await submit(page, confirm, { path: '/admin/account/totp/confirm', where: 'enrol: confirm' });
      assert.equal((await page.locator('[role="status"].notice-ok').first().innerText()).trim(), AR.totp_enabled_msg, 'enrol: flash');
      const codes = await page.locator('.recovery-code').allInnerTexts();
      assert.equal(codes.length, 10, `enrol: ${codes.length} recovery codes shown`);
      for (const c of codes) assert.match(c.trim(), /^[a-z0-9]{5}-[a-z0-9]{5}$/, `enrol: recovery code ${JSON.stringify(c)}`);
      assert.equal(new Set(codes).size, codes.length, 'enrol: recovery codes repeat');
      // Set up: the codes stay on the enrolment page until the admin goes on,
      // and then the rest of the back office opens, with the navigation.
      await screenshot(page, 'admin-recovery.png');
      await assertFits(page, 'enrol done');
      await assertNoNullWords(page, 'enrol done');
      const onward = page.locator('main a[href="/admin/"]', { hasText: AR.enrol_continue });
      await assertUsable(page, onward, 'enrol done');
      await Promise.all([page.waitForURL(`${base}/admin/`), onward.click()]);
      await assertNav(page, 'enrol done', { admin: true });
      assertNoProblems(problems, 'enrolment');
    } finally {
      await page.close();
    }
  });

  test('admin signs out, then in again with password and TOTP', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(key, 'no TOTP secret from the enrolment');
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/account`);
      await signOut(page, 'account');
      const before = (await browser.cookies(base)).length;
      t.diagnostic(`cookies after sign-out: ${before}`);

      await signIn(page, base, ADMIN, { path: '/admin/login/totp', where: 'sign-in again', usable: true });
      await assertRtl(page, 'totp');
      assert.equal((await page.locator('main h1').innerText()).trim(), AR.totp_title, 'totp: heading');
      assert.equal(await page.locator('header nav').count(), 0, 'totp: navigation shown before the second step');
      const code = page.locator('form[action="/admin/login/totp"] #code');
      assert.equal(await code.getAttribute('autocomplete'), 'one-time-code', 'totp: autocomplete of the code field');
      await assertUsable(page, code, 'totp');
      await screenshot(page, 'admin-totp.png');
      await assertFits(page, 'totp');
      await assertNoNullWords(page, 'totp');
      // Half signed in is not signed in.
      await goto(page, `${base}/admin/`);
      assert.equal(new URL(page.url()).pathname, '/admin/login', '/admin/ between the password and the code');
      await goto(page, `${base}/admin/login/totp`);

      // The code used at enrolment is spent, even within its window.
      const verify = page.locator('form[action="/admin/login/totp"] button[type="submit"]');
      assert.ok(stepOf(Date.now()) <= enrolStep + 1, 'the enrolment code left its window before it could be tried again');
      await code.fill(totpAt(key, enrolStep));
      await submit(page, verify, { path: '/admin/login/totp', status: 401, where: 'totp: reused code' });
      assert.equal((await page.locator('[role="alert"]').innerText()).trim(), AR.totp_wrong, 'totp: message for a reused code');

      // An authenticator shows the next code when the next 30-second step begins.
      const wait = (enrolStep + 1) * 30_000 - Date.now() + 300;
      if (wait > 0) {
        t.diagnostic(`waiting ${(wait / 1000).toFixed(1)} s for the next TOTP step`);
        await sleep(wait);
      }
      const step = stepOf(Date.now());
      assert.ok(step > enrolStep);
      await code.fill(totpAt(key, step));
      const { chain } = await submit(page, verify, { path: '/admin/', where: 'totp: fresh code' });
      t.diagnostic(`second step: ${chain.join(' → ')}`);

      await assertRtl(page, 'admin dashboard');
      assert.equal((await page.locator('main h1').innerText()).trim(), AR.dashboard, 'admin dashboard: heading');
      await assertNav(page, 'admin dashboard', { admin: true });
      assert.equal(await page.locator('header .who-name').innerText(), ADMIN.name, 'admin dashboard: who is signed in');
      for (const k of ['dash_drafts', 'dash_review', 'dash_scheduled', 'dash_published']) {
        const h2 = page.locator('main .dash h2', { hasText: AR[k] });
        assert.equal(await h2.count(), 1, `admin dashboard: no ${k} heading`);
      }
      await screenshot(page, 'admin-dashboard.png');
      await assertFits(page, 'admin dashboard');
      await assertNoNullWords(page, 'admin dashboard');
      assertNoProblems(problems, 'admin sign-in with TOTP', ['401 POST /admin/login/totp']);
    } finally {
      await page.close();
    }
  });

  test('admin adds an author with a new byline', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/users`);
      await assertRtl(page, 'users');
      assert.equal((await page.locator('main h1').innerText()).trim(), AR.users, 'users: heading');
      assert.equal(await page.locator('nav a[href="/admin/users"]').getAttribute('aria-current'), 'page', 'users: nav item not marked current');
      await page.locator('#nu-name').fill(AUTHOR.name);
      await page.locator('#nu-email').fill(AUTHOR.email);
      await page.locator('#nu-role').selectOption('author');
      await page.locator('#nu-password').fill(AUTHOR.password);
      await page.locator('#nu-lang').selectOption('ar');
      await page.locator('#nu-author').selectOption('new');
      for (const id of ['#nu-name', '#nu-email', '#nu-role', '#nu-password', '#nu-lang', '#nu-author']) {
        await assertUsable(page, page.locator(id), 'users form');
      }
      const add = page.locator('form[action="/admin/users"] button[type="submit"]');
      await assertUsable(page, add, 'users form');
      await submit(page, add, { path: '/admin/users', where: 'users: add' });
      assert.equal(new URL(page.url()).searchParams.get('done'), 'user_added');
      assert.equal((await page.locator('main [role="status"]').innerText()).trim(), AR.user_added, 'users: flash');

      const card = page.locator('.cards > li.card', { hasText: AUTHOR.email });
      assert.equal(await card.count(), 1, `users: ${AUTHOR.email} not in the list once`);
      assert.equal((await card.locator('.card-title [dir="auto"]').innerText()).trim(), AUTHOR.name, 'users: name in the card');
      const badges = (await card.locator('.badges').innerText()).replace(/\s+/g, ' ');
      assert.ok(badges.includes(AR.role_author), `users: the card does not say ${AR.role_author}: ${badges}`);
      assert.ok(badges.includes(AUTHOR.name), `users: the card does not show the new byline: ${badges}`);
      assert.equal(await card.locator('select[name="role"]').inputValue(), 'author', 'users: role select of the new user');
      assert.equal(await page.locator('.cards > li.card').count(), 2, 'users: two accounts');
      await assertUsable(page, card.locator('button[value="disable"]'), 'users list');
      await assertUsable(page, card.locator('button[value="role"]'), 'users list');
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'admin-users.png');
      await assertFits(page, 'users');
      await assertNoNullWords(page, 'users');
      assertNoProblems(problems, 'users');
    } finally {
      await page.close();
    }
  });

  test('the author signs in and sees the Arabic dashboard right to left', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/`);
      await signOut(page, 'admin dashboard');
      // No second factor is required of authors: the password leads straight in.
      const { chain } = await signIn(page, base, AUTHOR, { path: '/admin/', where: 'author sign-in', usable: true });
      t.diagnostic(`author sign-in: ${chain.join(' → ')}`);

      await assertRtl(page, 'author dashboard');
      const heading = await assertArabicGlyphs(t, page, 'main h1', 'author dashboard');
      assert.equal(heading, AR.dashboard, 'author dashboard: heading');
      await assertNav(page, 'author dashboard', { admin: false });
      assert.equal(await page.locator('header .who-name').innerText(), AUTHOR.name, 'author dashboard: who is signed in');
      assert.equal((await page.locator('header .who .badge').innerText()).trim(), AR.role_author, 'author dashboard: role badge');
      for (const k of ['dash_drafts', 'dash_review', 'dash_scheduled', 'dash_published']) {
        assert.equal(await page.locator('main .dash h2', { hasText: AR[k] }).count(), 1, `author dashboard: no ${k} heading`);
      }
      // Their own lists are empty; the newsroom's recently published are not.
      assert.equal(await page.locator('section[aria-labelledby="dash-drafts"] .rows > li').count(), 0, 'author dashboard: drafts of a new author');
      const published = page.locator('section[aria-labelledby="dash-published"] .rows > li');
      assert.ok((await published.count()) > 0, 'author dashboard: no recently published articles');
      await assertArabicGlyphs(t, page, 'section[aria-labelledby="dash-published"] .row-title', 'author dashboard');
      await assertUsable(page, page.locator('main .page-head a[href="/admin/articles/new"]'), 'author dashboard');
      await assertUsable(page, page.locator('header form[action="/admin/logout"] button'), 'author dashboard');
      // The start of an rtl line is its right edge: the heading sits at the right.
      const h1 = await page.locator('main h1').boundingBox();
      assert.ok(h1.x + h1.width > VIEWPORT.width / 2, `author dashboard: heading at x=${h1.x.toFixed(0)}..${(h1.x + h1.width).toFixed(0)}, not on the right`);
      // Authors do not manage people.
      await goto(page, `${base}/admin/users`, 403);
      await goto(page, `${base}/admin/`);
      await screenshot(page, 'admin-author-dashboard.png');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= VIEWPORT.width, `author dashboard: scrollWidth ${width} > ${VIEWPORT.width}`);
      await assertFits(page, 'author dashboard');
      await assertNoNullWords(page, 'author dashboard');
      assertNoProblems(problems, 'author dashboard', ['403 GET /admin/users']);
    } finally {
      await page.close();
    }
  });

  test('the new-article form starts empty, under the author\'s own byline', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/new`);
      const wrong = [];
      for (const id of ['f-headline', 'f-standfirst', 'f-body_html', 'f-slug', 'f-tags', 'f-publish_at', 'f-cover_url', 'f-cover_alt', 'f-cover_caption']) {
        const value = await page.locator(`#${id}`).inputValue();
        if (value !== '') {
          const html = await page.locator(`#${id}`).evaluate((el) => el.outerHTML);
          wrong.push(`#${id} starts with ${JSON.stringify(value)}: ${html}`);
        }
      }
      const mine = page.locator('#f-authors label.check', { hasText: AUTHOR.name }).locator('input[name="authors"]');
      assert.equal(await mine.count(), 1, `article form: no byline checkbox for ${AUTHOR.name}`);
      if (!(await mine.isChecked())) {
        wrong.push(
          `the author's own byline (${await mine.getAttribute('value')}) is not ticked, so publishing as it stands ` +
            'fails with "a published article needs an author": ' +
            (await page.locator('#f-authors label.check', { hasText: AUTHOR.name }).evaluate((el) => el.outerHTML)),
        );
      }
      assert.deepEqual(wrong, [], `/admin/articles/new for a new author:\n  ${wrong.join('\n  ')}`);
      assertNoProblems(problems, 'article form');
    } finally {
      await page.close();
    }
  });

  test('a refused publish says what is missing, in Arabic', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/new`);
      await page.locator('#f-lang').selectOption('ar');
      await page.locator('#f-headline').fill(ARTICLE.headline);
      // No standfirst, no section: a published article needs both.
      await page.locator('#f-authors label.check', { hasText: AUTHOR.name }).locator('input[name="authors"]').check();
      for (const id of ['#f-cover_url', '#f-cover_alt', '#f-cover_caption']) await page.locator(id).fill('');
      const publish = page.locator('.article-actions button[name="action"][value="publish"]');
      await submit(page, publish, { path: '/admin/articles', status: 422, where: 'article form: publish without standfirst' });
      await assertRtl(page, 'refused article');
      assert.equal(await page.locator('#f-headline').inputValue(), ARTICLE.headline, 'refused article: the headline typed is kept');
      const items = await page.locator('main [role="alert"] li').allInnerTexts();
      t.diagnostic(`errors shown: ${JSON.stringify(items)}`);
      assert.ok(items.length >= 2, `refused article: ${items.length} errors listed: ${JSON.stringify(items)}`);
      const fields = await page.locator('main [role="alert"] li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const f of ['#f-standfirst', '#f-sections']) assert.ok(fields.includes(f), `refused article: no error linking to ${f} (${fields})`);
      await assertFits(page, 'refused article');
      const english = items.filter((i) => /[A-Za-z]{3,}/.test(i));
      assert.deepEqual(english, [], 'refused article: error messages in English in the Arabic back office');
      assertNoProblems(problems, 'refused article', ['422 POST /admin/articles']);
    } finally {
      await page.close();
    }
  });

  test('the author publishes an Arabic article from the form, and the site shows it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/new`);
      await assertRtl(page, 'article form');
      assert.equal((await page.locator('main h1').innerText()).trim(), AR.new_article, 'article form: heading');
      await page.locator('#f-lang').selectOption('ar');
      await page.locator('#f-headline').fill(ARTICLE.headline);
      await page.locator('#f-standfirst').fill(ARTICLE.standfirst);
      // The body editor hides the textarea; its HTML source mode shows it again.
      await page.locator('#body-editor button[data-command="source"]').click();
      await page.locator('#f-body_html').fill(ARTICLE.body);
      const section = page.locator('#f-sections input[name="sections"]').first();
      const sectionSlug = await section.getAttribute('value');
      const sectionName = (await page.locator('#f-sections label.check').first().innerText()).trim();
      await section.check();
      t.diagnostic(`section: ${sectionName} (${sectionSlug})`);
      // What "the new-article form starts empty" checks, set right here so the rest
      // of the way can be checked too: the author's own byline ticked, no cover.
      const mine = page.locator('#f-authors label.check', { hasText: AUTHOR.name }).locator('input[name="authors"]');
      await mine.check();
      for (const id of ['#f-cover_url', '#f-cover_alt', '#f-cover_caption']) await page.locator(id).fill('');
      for (const id of ['#f-headline', '#f-standfirst', '#f-body_html', '#f-lang', '#f-publish_at', '#f-tags', '#f-slug']) {
        await assertUsable(page, page.locator(id), 'article form');
      }
      const buttons = await page.locator('.article-actions button[name="action"]').evaluateAll((bs) => bs.map((b) => b.value));
      t.diagnostic(`actions offered to an author: ${buttons.join(', ')}`);
      assert.ok(buttons.includes('publish'), `article form: no publish button for an author (${buttons.join(', ')})`);
      const publish = page.locator('.article-actions button[name="action"][value="publish"]');
      await assertUsable(page, publish, 'article form');
      // The headline field shows the Arabic right to left (dir="auto").
      assert.equal(
        await page.locator('#f-headline').evaluate((el) => getComputedStyle(el).direction),
        'rtl',
        'article form: the headline field is not right to left with Arabic in it',
      );
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'admin-article-form.png');
      await assertFits(page, 'article form');

      await submit(page, publish, { path: /^\/admin\/articles\/\d+$/, where: 'article form: publish' });
      const saved = new URL(page.url());
      const articleId = Number(saved.pathname.split('/').pop());
      assert.equal(saved.searchParams.get('done'), 'created', 'article saved: flash key');
      assert.equal((await page.locator('main [role="status"]').first().innerText()).trim(), AR.created, 'article saved: flash');
      assert.equal((await page.locator('.status-line .status').innerText()).trim(), AR.status_published, 'article saved: status');
      assert.equal(await page.locator('#f-headline').inputValue(), ARTICLE.headline, 'article saved: headline as typed');
      const view = page.locator('main .page-head a', { hasText: AR.view_on_site });
      await assertUsable(page, view, 'article saved');
      const publicUrl = new URL(await view.getAttribute('href'), page.url()).href;
      t.diagnostic(`article ${articleId}: ${decodeURI(publicUrl)}`);
      await assertFits(page, 'article saved');
      // Saved again as it stands, the form must not turn into something else.
      const savedCover = {};
      for (const id of ['f-cover_url', 'f-cover_alt', 'f-cover_caption']) savedCover[id] = await page.locator(`#${id}`).inputValue();

      // On the dashboard, among the published.
      await goto(page, `${base}/admin/`);
      const row = page.locator('section[aria-labelledby="dash-published"] .row', { hasText: ARTICLE.headline });
      assert.equal(await row.count(), 1, 'author dashboard: the new article is not among the published');
      assert.equal(await row.locator('a.row-title').getAttribute('href'), `/admin/articles/${articleId}`);

      // And on the site, as a reader sees it.
      await Promise.all([page.waitForURL(publicUrl), row.locator('a.view-link').click()]);
      await settle(page);
      const h1 = (await page.locator('.story h1').innerText()).trim();
      assert.equal(h1.normalize('NFC'), ARTICLE.headline.normalize('NFC'), 'public article: headline');
      await assertArabicGlyphs(t, page, '.story h1', 'public article');
      const byline = (await page.locator('.byline').innerText()).trim();
      assert.ok(byline.includes(AUTHOR.name), `public article: byline ${JSON.stringify(byline)} does not name ${AUTHOR.name}`);
      const text = await page.locator('.story').innerText();
      assert.ok(text.includes('بعجز أقل من المتوقع'), 'public article: the body is not shown');
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl', 'public article: <html dir>');
      await screenshot(page, 'admin-article-public.png');
      await assertFits(page, 'public article');
      assertNoProblems(problems, 'publishing');
      assert.deepEqual(
        savedCover,
        { 'f-cover_url': '', 'f-cover_alt': '', 'f-cover_caption': '' },
        `/admin/articles/${articleId}: the edit form of an article without a cover fills the cover fields`,
      );
    } finally {
      await page.close();
    }
  });
});
