// What the checks in this folder share: the paths and settings, a warraq server of
// their own (started with the demo newsroom, stopped however the test process ends),
// Chromium contexts that refuse every request leaving the test server, pages that
// record what went wrong on them, and the layout checks made on every page.
//
// A plain module, not a *.test.mjs file: `node --test tests/browser/` imports it
// from the test files and does not run it on its own. Each test file is a process
// of its own under `node --test`, so the one server kept here is that file's.
//
// Env: WARRAQ_BIN   path to the warraq binary (default target/debug/warraq,
//                   relative paths are taken from the repo root)
//      CHROMIUM_BIN path to chromium (default /usr/bin/chromium)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const WARRAQ_BIN = path.resolve(ROOT, process.env.WARRAQ_BIN || 'target/debug/warraq');
export const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'target', 'browser');
export const VIEWPORT = { width: 390, height: 844 };
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

let server; // child process
let serverLog = '';

// ---------------------------------------------------------------------------
// server

function assertWarraq() {
  assert.ok(existsSync(WARRAQ_BIN), `warraq binary not found at ${WARRAQ_BIN} (cargo build, or set WARRAQ_BIN)`);
}

// Starts `warraq serve --demo` on a free port of 127.0.0.1 (one server per test
// file); resolves to its address, http://127.0.0.1:PORT, read from the line it
// prints once it listens.
export function startServer(dbUrl, extraArgs = []) {
  assertWarraq();
  assert.equal(server, undefined, 'one warraq server per test file');
  return new Promise((resolve, reject) => {
    const child = spawn(
      WARRAQ_BIN,
      ['serve', '--demo', '--database', dbUrl, '--listen', '127.0.0.1:0', ...extraArgs],
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

// The end of what the server wrote, for a failure message about a 5xx.
export function serverLogTail(chars = 3000) {
  return serverLog.slice(-chars);
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

export async function stopServer() {
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

// Runs a warraq command (`user add`, `token create`…) to its end with `input` on
// its standard input; resolves to what it printed, rejects when it fails.
export function run(args, input) {
  assertWarraq();
  return new Promise((resolve, reject) => {
    const child = spawn(WARRAQ_BIN, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`warraq ${args.join(' ')} exited with ${code}\n${out}`)),
    );
    child.stdin.end(input ?? '');
  });
}

// The after() of a test file: each step on its own so one failure does not leave
// the server running.
export async function cleanUp({ contexts = [], tmp }) {
  for (const ctx of contexts) {
    if (ctx) await ctx.close().catch((e) => console.error('closing chromium:', e));
  }
  await stopServer().catch((e) => console.error('stopping warraq:', e));
  if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
}

// ---------------------------------------------------------------------------
// browser

const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

// A persistent context (its profile under `dir`) in a phone-sized viewport.
// `server`: when given (the test server's address), requests to other ports of
// 127.0.0.1 are refused as well, not only other hosts. `timeout`: the default for
// actions and navigations, instead of playwright's. The rest goes to
// launchPersistentContext (javaScriptEnabled, locale…).
export async function launch(dir, name, { server: only, timeout, ...options } = {}) {
  assert.ok(existsSync(CHROMIUM_BIN), `chromium not found at ${CHROMIUM_BIN} (apt-get install chromium fonts-noto-core)`);
  const userDataDir = await mkdtemp(path.join(dir, `profile-${name}-`));
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
  if (timeout) {
    context.setDefaultTimeout(timeout);
    context.setDefaultNavigationTimeout(timeout);
  }
  // Every request leaves through here: anything not aimed at our own server is
  // recorded and refused, and the test that made it fails.
  const port = only && new URL(only).port;
  context.offsite = [];
  context.home = only ? 'the test server' : '127.0.0.1';
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && (!only || url.port === port)) return route.continue();
    context.offsite.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  return context;
}

// Opens a page and records what went wrong on it: console errors, uncaught
// exceptions, failed requests, HTTP errors (as "401 POST /admin/login/totp"),
// requests that left the test server.
export async function openPage(context) {
  const page = await context.newPage();
  const problems = { console: [], pageErrors: [], failed: [], httpErrors: [], home: context.home };
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
    if (res.status() >= 400) {
      problems.httpErrors.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
    }
  });
  problems.offsite = () => context.offsite.slice(offsiteBefore);
  return { page, problems };
}

// `expected` lists HTTP errors the test itself provoked ("401 POST /admin/login/totp"),
// each allowed once; Chromium's console line about such a document is allowed with it.
export function assertNoProblems(problems, where, expected = []) {
  const httpErrors = [...problems.httpErrors];
  let consoleErrors = [...problems.console];
  for (const e of expected) {
    const i = httpErrors.indexOf(e);
    assert.ok(i >= 0, `${where}: expected an HTTP ${e}, saw ${JSON.stringify(problems.httpErrors)}`);
    httpErrors.splice(i, 1);
    const status = e.split(' ')[0];
    const j = consoleErrors.findIndex((c) => c.startsWith(`Failed to load resource: the server responded with a status of ${status}`));
    if (j >= 0) consoleErrors.splice(j, 1);
  }
  const found = {
    [`requests to hosts other than ${problems.home}`]: problems.offsite(),
    'console errors': consoleErrors,
    'uncaught page errors': problems.pageErrors,
    'failed requests': problems.failed,
    'HTTP error responses': httpErrors,
  };
  const lines = Object.entries(found)
    .filter(([, list]) => list.length > 0)
    .map(([what, list]) => `  ${what}:\n${list.map((x) => `    ${x}`).join('\n')}`);
  if (httpErrors.some((e) => e.startsWith('5'))) lines.push(`  server log (tail):\n${serverLogTail()}`);
  assert.ok(lines.length === 0, `${where}:\n${lines.join('\n')}`);
}

export async function settle(page) {
  await page.waitForLoadState('load');
  // Let web fonts and late layout settle before measuring.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

export async function goto(page, url, status = 200) {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.ok(res, `no response for ${url}`);
  assert.equal(res.status(), status, `GET ${url}`);
  await settle(page);
  return res;
}

// `<html lang>` and the computed direction of <html> and <body>; with `attribute`,
// <html dir> too (the markup says it, not only the style sheet), with `main`, the
// computed direction of <main> too.
export async function assertDirection(page, lang, dir, where, { attribute = false, main = false } = {}) {
  const got = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
    html: getComputedStyle(document.documentElement).direction,
    body: getComputedStyle(document.body).direction,
    main: document.querySelector('main') && getComputedStyle(document.querySelector('main')).direction,
  }));
  assert.equal(got.lang, lang, `${where}: <html lang>`);
  if (attribute) assert.equal(got.dir, dir, `${where}: <html dir>`);
  assert.equal(got.html, dir, `${where}: computed direction of <html>`);
  assert.equal(got.body, dir, `${where}: computed direction of <body>`);
  if (main) assert.equal(got.main, dir, `${where}: computed direction of <main>`);
}

// Fails when the page scrolls sideways, naming the elements that stick out the
// furthest (in rtl they stick out on the left, so both edges are measured).
// `width`: the viewport must be this wide, for checks that measure against it.
export async function assertNoHorizontalOverflow(page, where, { width } = {}) {
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
        if (getComputedStyle(p).overflowX !== 'visible') {
          clipped = true;
          break;
        }
      }
      if (clipped) continue;
      // Only the end side scrolls: overflow past the start edge (the left in ltr,
      // the right in rtl, e.g. an off-screen skip link) is unreachable, not a bug.
      const over = rtl ? -b.left : b.right - vw;
      if (over > 0.5) offenders.push({ over: Math.round(over), width: Math.round(b.width), what: describe(el) });
    }
    offenders.sort((a, b) => b.over - a.over || b.width - a.width);
    return { vw, scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 5) };
  });
  if (width !== undefined) assert.equal(r.vw, width, `${where}: viewport width`);
  assert.ok(
    r.scrollWidth <= r.vw,
    `${where}: page is ${r.scrollWidth}px wide in a ${r.vw}px viewport; widest offenders:\n` +
      (r.offenders.map((o) => `  ${o.what}: ${o.width}px wide, ${o.over}px past the edge`).join('\n') ||
        '  (none found outside scroll containers)'),
  );
}

// Which installed fonts Chromium actually used to draw an element's text.
export async function platformFonts(context, page, selector) {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    assert.ok(nodeId, `no ${selector} on ${page.url()}`);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts;
  } finally {
    await cdp.detach();
  }
}

// A full-page screenshot, target/browser/NAME.
export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}
