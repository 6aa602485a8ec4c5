// Browser checks of the public site, as a reader on a phone sees it.
//
// Run from the repo root with `node --test tests/browser/` (or tests/browser/run.sh,
// which installs what is missing first). Starts its own warraq server with the demo
// newsroom on a fresh SQLite file, drives Debian's /usr/bin/chromium through
// playwright-core (no downloaded browsers), and saves full-page screenshots to
// target/browser/.
//
// Env: WARRAQ_BIN   path to the warraq binary (default target/debug/warraq,
//                   relative paths are taken from the repo root)
//      CHROMIUM_BIN path to chromium (default /usr/bin/chromium)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const WARRAQ_BIN = path.resolve(ROOT, process.env.WARRAQ_BIN || 'target/debug/warraq');
const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'target', 'browser');
const VIEWPORT = { width: 390, height: 844 };
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SERVER_START_TIMEOUT_MS = 60_000;

let tmp; // temp dir holding the SQLite file and the browser profiles
let server; // child process
let serverLog = '';
let base; // http://127.0.0.1:PORT
let browser; // JS-enabled persistent context
let noJs; // JS-disabled persistent context

// ---------------------------------------------------------------------------
// server

function startServer(dbPath) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      WARRAQ_BIN,
      ['serve', '--demo', '--database', `sqlite://${dbPath}`, '--listen', '127.0.0.1:0'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server = child;
    let stdout = '';
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      reject(new Error(`warraq did not print its address within ${SERVER_START_TIMEOUT_MS} ms\n${serverLog}`));
    }, SERVER_START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      serverLog += chunk;
      stdout += chunk;
      const m = stdout.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.stderr.on('data', (chunk) => {
      serverLog += chunk;
    });
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`cannot start ${WARRAQ_BIN}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`warraq exited (code ${code}, signal ${signal}) before listening\n${serverLog}`));
    });
  });
}

// If the test process dies some other way, do not leave the server behind.
process.once('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
  });
}

async function stopServer() {
  const child = server;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5_000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

// ---------------------------------------------------------------------------
// browser

const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

// The server's count of accepted view hits, from its Prometheus metrics.
async function acceptedHits() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('warraq_hits_accepted_total '));
  assert.ok(line, 'no warraq_hits_accepted_total in /metrics');
  return Number(line.split(' ')[1]);
}

async function launch(name, options = {}) {
  const userDataDir = await mkdtemp(path.join(tmp, `profile-${name}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    // A reader's phone: headless Chromium's own user agent is on the bot
    // list and its views would rightly not be counted.
    userAgent: PHONE_UA,
    ...options,
  });
  // Every request leaves through here: anything not aimed at our own server is
  // recorded and refused, and the test that made it fails.
  context.offsite = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    context.offsite.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  return context;
}

// Opens a page and records what went wrong on it: console errors, uncaught
// exceptions, failed requests, HTTP errors, requests that left 127.0.0.1.
async function openPage(context) {
  const page = await context.newPage();
  const problems = { console: [], pageErrors: [], failed: [], httpErrors: [] };
  const offsiteBefore = context.offsite.length;
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      problems.console.push(`${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  page.on('requestfailed', (req) => problems.failed.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.httpErrors.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
  problems.offsite = () => context.offsite.slice(offsiteBefore);
  return { page, problems };
}

function assertNoProblems(problems, where) {
  const found = {
    'requests to hosts other than 127.0.0.1': problems.offsite(),
    'console errors': problems.console,
    'uncaught page errors': problems.pageErrors,
    'failed requests': problems.failed,
    'HTTP error responses': problems.httpErrors,
  };
  const lines = Object.entries(found)
    .filter(([, list]) => list.length > 0)
    .map(([what, list]) => `  ${what}:\n${list.map((x) => `    ${x}`).join('\n')}`);
  assert.ok(lines.length === 0, `${where}:\n${lines.join('\n')}`);
}

async function goto(page, url) {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.ok(res, `no response for ${url}`);
  assert.equal(res.status(), 200, `GET ${url}`);
  // Let web fonts and late layout settle before measuring.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return res;
}

async function assertDirection(page, lang, dir, where) {
  const got = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    html: getComputedStyle(document.documentElement).direction,
    body: getComputedStyle(document.body).direction,
  }));
  assert.equal(got.lang, lang, `${where}: <html lang>`);
  assert.equal(got.html, dir, `${where}: computed direction of <html>`);
  assert.equal(got.body, dir, `${where}: computed direction of <body>`);
}

// Fails when the page scrolls sideways, naming the elements that stick out the
// furthest (in rtl they stick out on the left, so both edges are measured).
async function assertNoHorizontalOverflow(page, where) {
  const r = await page.evaluate(() => {
    const vw = window.innerWidth;
    const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      if (el.classList.length) s += `.${[...el.classList].join('.')}`;
      const parent = el.parentElement;
      if (parent && parent !== document.body && parent !== document.documentElement) {
        let p = parent.tagName.toLowerCase();
        if (parent.classList.length) p += `.${[...parent.classList].join('.')}`;
        s = `${p} > ${s}`;
      }
      const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return text ? `${s} "${text}"` : s;
    };
    const offenders = [];
    for (const el of document.body.querySelectorAll('*')) {
      const b = el.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) continue;
      // Content inside a scroll container (e.g. the section nav) does not widen the page.
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox !== 'visible') { clipped = true; break; }
      }
      if (clipped) continue;
      // Only the end side scrolls: overflow past the start edge (the left in ltr,
      // the right in rtl, e.g. an off-screen skip link) is unreachable, not a bug.
      const over = rtl ? -b.left : b.right - vw;
      if (over > 0.5) offenders.push({ over: Math.round(over), width: Math.round(b.width), what: describe(el) });
    }
    offenders.sort((a, b) => b.over - a.over || b.width - a.width);
    return {
      vw,
      scrollWidth: document.documentElement.scrollWidth,
      offenders: offenders.slice(0, 5),
    };
  });
  assert.ok(
    r.scrollWidth <= r.vw,
    `${where}: page is ${r.scrollWidth}px wide in a ${r.vw}px viewport; widest offenders:\n` +
      (r.offenders.map((o) => `  ${o.what}: ${o.width}px wide, ${o.over}px past the edge`).join('\n') ||
        '  (none found outside scroll containers)'),
  );
}

// Visible, non-empty, and entirely inside the viewport's width.
async function assertVisibleInViewport(page, selector, where) {
  const loc = page.locator(selector).first();
  assert.ok((await loc.count()) > 0, `${where}: ${selector} is missing`);
  assert.ok(await loc.isVisible(), `${where}: ${selector} is not visible`);
  const box = await loc.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, `${where}: ${selector} has an empty box ${JSON.stringify(box)}`);
  const vw = await page.evaluate(() => window.innerWidth);
  assert.ok(
    box.x >= -0.5 && box.x + box.width <= vw + 0.5,
    `${where}: ${selector} spans x=${box.x.toFixed(1)}..${(box.x + box.width).toFixed(1)}, outside 0..${vw}`,
  );
  const text = (await loc.innerText()).trim();
  assert.ok(text.length > 0, `${where}: ${selector} has no text`);
  return text;
}

// Which installed fonts Chromium actually used to draw an element's text.
async function platformFonts(context, page, selector) {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts;
  } finally {
    await cdp.detach();
  }
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

// ---------------------------------------------------------------------------

before(async () => {
  assert.ok(existsSync(WARRAQ_BIN), `warraq binary not found at ${WARRAQ_BIN} (cargo build, or set WARRAQ_BIN)`);
  assert.ok(existsSync(CHROMIUM_BIN), `chromium not found at ${CHROMIUM_BIN} (apt-get install chromium fonts-noto-core)`);
  tmp = await mkdtemp(path.join(tmpdir(), 'warraq-browser-'));
  await mkdir(SHOTS, { recursive: true });
  base = await startServer(path.join(tmp, 'site.db'));
  browser = await launch('js');
  noJs = await launch('nojs', { javaScriptEnabled: false });
});

after(async () => {
  // Each step on its own so one failure does not leave the server running.
  for (const ctx of [browser, noJs]) {
    if (ctx) await ctx.close().catch((e) => console.error('closing chromium:', e));
  }
  await stopServer().catch((e) => console.error('stopping warraq:', e));
  if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
});

describe('public site in a 390px phone viewport', () => {
  let articleUrl; // the Arabic lead story, found on the Arabic home page

  test('Arabic home page is rtl, fits the screen, loads only local resources', async (t) => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/`);
      await assertDirection(page, 'ar', 'rtl', 'ar home');
      const lead = page.locator('.lead .card-title a').first();
      assert.ok(await lead.isVisible(), 'ar home: lead story headline is not visible');
      articleUrl = new URL(await lead.getAttribute('href'), page.url()).href;
      t.diagnostic(`lead story: ${decodeURI(articleUrl)}`);
      await screenshot(page, 'home-ar.png');
      await assertNoHorizontalOverflow(page, 'ar home');
      assertNoProblems(problems, 'ar home');
    } finally {
      await page.close();
    }
  });

  test('Arabic article page: rtl, headline, byline and date visible, nothing overflows', async (t) => {
    assert.ok(articleUrl, 'no lead story link found on the Arabic home page');
    const { page, problems } = await openPage(browser);
    try {
      // Follow the link as a reader would.
      await goto(page, `${base}/`);
      const before = await acceptedHits();
      // The page counts itself once, with a first-party beacon.
      const beacon = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/hit');
      await Promise.all([page.waitForURL(articleUrl), page.locator('.lead .card-title a').first().click()]);
      const hit = await beacon;
      assert.equal(hit.status(), 204, 'beacon answer');
      assert.match(hit.request().postData() ?? '', /^\{"id":\d+\}$/, 'beacon body');
      assert.equal(await acceptedHits(), before + 1, 'the view was counted once');
      await page.waitForLoadState('load');
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      assert.equal(page.url(), articleUrl);
      await assertDirection(page, 'ar', 'rtl', 'ar article');
      assert.equal(await page.locator('.story').count(), 1, 'ar article: no .story element');
      const headline = await assertVisibleInViewport(page, '.story h1', 'ar article');
      await assertVisibleInViewport(page, '.byline', 'ar article');
      await assertVisibleInViewport(page, '.dateline time', 'ar article');
      assert.match(headline, /[\u0600-\u06FF]/, 'ar article: headline has no Arabic letters');
      const fonts = await platformFonts(browser, page, '.story h1');
      t.diagnostic(`headline drawn with: ${fonts.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`).join(', ')}`);
      assert.ok(fonts.length > 0 && fonts.some((f) => f.glyphCount > 0), 'ar article: no font drew the headline');
      await screenshot(page, 'article-ar.png');
      await assertNoHorizontalOverflow(page, 'ar article');
      assertNoProblems(problems, 'ar article');
    } finally {
      await page.close();
    }
  });

  test('English home page is ltr, fits the screen, loads only local resources', async () => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/en/`);
      await assertDirection(page, 'en', 'ltr', 'en home');
      assert.ok(await page.locator('.lead .card-title a').first().isVisible(), 'en home: lead story headline is not visible');
      await screenshot(page, 'home-en.png');
      await assertNoHorizontalOverflow(page, 'en home');
      assertNoProblems(problems, 'en home');
    } finally {
      await page.close();
    }
  });

  test('Arabic search: a variant spelling finds articles, highlighted, rtl, nothing overflows', async () => {
    const { page, problems } = await openPage(browser);
    try {
      // "الميـاه" with a tatweel, as a reader might paste it.
      await goto(page, `${base}/search?q=${encodeURIComponent('ازمه الميـاه')}`);
      await assertDirection(page, 'ar', 'rtl', 'ar search');
      const hits = await page.locator('.hit').count();
      assert.ok(hits > 0, 'ar search: no results for a spelling variant');
      assert.ok(await page.locator('.hit .snippet b').first().isVisible(), 'ar search: no highlighted match');
      await screenshot(page, 'search-ar.png');
      await assertNoHorizontalOverflow(page, 'ar search');
      assertNoProblems(problems, 'ar search');
    } finally {
      await page.close();
    }
  });

  test('Arabic article works with JavaScript disabled', async () => {
    assert.ok(articleUrl, 'no lead story link found on the Arabic home page');
    const { page, problems } = await openPage(noJs);
    try {
      const pixel = page.waitForResponse((r) => new URL(r.url()).pathname === '/hit.gif');
      await goto(page, articleUrl);
      const gif = await pixel;
      assert.equal(gif.status(), 200, 'no-JS pixel answer');
      assert.equal(gif.headers()['content-type'], 'image/gif');
      // Playwright's own probes still run, so ask the page what it believes.
      assert.equal(
        await page.evaluate(() => matchMedia('(scripting: none)').matches),
        true,
        'no-JS context still has scripting enabled',
      );
      const dir = await page.locator('html').getAttribute('dir');
      assert.equal(dir, 'rtl', 'no-JS ar article: <html dir>');
      await assertVisibleInViewport(page, '.story h1', 'no-JS ar article');
      await assertVisibleInViewport(page, '.byline', 'no-JS ar article');
      assertNoProblems(problems, 'no-JS ar article');
    } finally {
      await page.close();
    }
  });
});
