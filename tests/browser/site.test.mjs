// Browser checks of the public site, as a reader on a phone sees it.
//
// Run from the repo root with `node --test tests/browser/` (or tests/browser/run.sh,
// which installs what is missing first). Starts its own warraq server with the demo
// newsroom on a fresh SQLite file, drives Debian's /usr/bin/chromium through
// playwright-core (no downloaded browsers), and saves full-page screenshots to
// target/browser/.
// The server, the browser contexts and the checks made on every page are in
// harness.mjs, shared with the other files here.
//
// Env: WARRAQ_BIN   path to the warraq binary (default target/debug/warraq,
//                   relative paths are taken from the repo root)
//      CHROMIUM_BIN path to chromium (default /usr/bin/chromium)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  assertDirection,
  assertNoHorizontalOverflow,
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

let tmp; // temp dir holding the SQLite file and the browser profiles
let base; // http://127.0.0.1:PORT
let browser; // JS-enabled persistent context
let noJs; // JS-disabled persistent context

// The server's count of accepted view hits, from its Prometheus metrics.
async function acceptedHits() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('warraq_hits_accepted_total '));
  assert.ok(line, 'no warraq_hits_accepted_total in /metrics');
  return Number(line.split(' ')[1]);
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

// ---------------------------------------------------------------------------

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'warraq-browser-'));
  base = await startServer(`sqlite://${path.join(tmp, 'site.db')}`);
  browser = await launch(tmp, 'js');
  noJs = await launch(tmp, 'nojs', { javaScriptEnabled: false });
});

after(() => cleanUp({ contexts: [browser, noJs], tmp }));

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
      await settle(page);
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
