// Browser checks of the body editor (tools/editor, themes/admin/static/editor.js):
// an author writes an Arabic article in the Tiptap editor — paragraphs, headings,
// a link, a list, a quotation, an image with its caption and one English
// paragraph — and publishes it; on the site every block carries dir="auto" and is
// laid out right to left when Arabic, left to right when English. Also: the
// toolbar's labels, states and keyboard use, the dialogs' refusals, the HTML
// source mode, pasted Word and Google Docs markup, a stored body the editor
// cannot hold (opened as HTML), and the page without JavaScript (the textarea).
//
// Run from the repo root with `node --test tests/browser/` (or tests/browser/run.sh).
// Starts its own warraq server with the demo newsroom on a fresh SQLite file and
// drives Debian's /usr/bin/chromium through playwright-core; screenshots go to
// target/browser/editor-*.png. Helpers shared with the other files: harness.mjs,
// and backoffice.mjs (shared with admin.test.mjs).
//
// The tests run in order and build on each other (one author, one browser
// profile): a failure early on fails the later ones too.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  VIEWPORT,
  assertDirection,
  assertNoProblems,
  cleanUp,
  goto,
  launch,
  openPage,
  screenshot,
  startServer,
} from './harness.mjs';
import { addUser, adminLocale, assertFits, signIn, submit } from './backoffice.mjs';

const ACTION_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 180_000;
const WIDE = { width: 1280, height: 900 };

const AUTHOR = { email: 'huda@example.com', name: 'هدى القاسم', password: 'the presses roll at midnight' };

// What the author writes, block by block, and how the site must lay it out.
const TEXT = {
  headline: 'المصرف المركزي يُبقي الفائدة دون تغيير للمرة الثالثة',
  standfirst: 'قرّر المصرف المركزي تثبيت سعر الفائدة، مشيراً إلى تباطؤ التضخم وارتفاع الصادرات.',
  p1: 'أبقى المصرف المركزي سعر الفائدة الرئيسي عند ٥٫٥ في المئة، في قرار توقّعه معظم المحللين.',
  h2: 'ردود فعل الأسواق',
  p2: 'ارتفعت أسهم المصارف في بورصة عمّان بعد الإعلان، وتراجع سعر السندات قليلاً.',
  linkText: 'بيان المصرف الكامل',
  linkAfter: ' منشور على موقعه.',
  href: 'https://www.cbj.gov.jo/ar/',
  en: 'The governor told reporters that inflation had slowed to 2.1% and that rates would stay on hold.',
  h3: 'ما الذي ينتظره المستثمرون؟',
  li1: 'بيانات التضخم لشهر آذار',
  li2: 'اجتماع اللجنة النقدية المقبل',
  li3: 'Oil prices on the world markets',
  quote: 'لن نتسرّع في خفض الفائدة قبل أن نرى استقراراً مستداماً في الأسعار.',
  imgSrc: '/media/editor/bank.png', // made by makePng() in the server's media_dir
  imgAlt: 'مبنى المصرف المركزي في عمّان',
  caption: 'مقر المصرف المركزي (صورة توضيحية)',
};

// The back office's Arabic strings (the checks follow the wording rather than repeat it).
const AR = adminLocale('ar');

// The toolbar, in order: data-command, its locale key, whether it toggles (aria-pressed).
const TOOLBAR = [
  ['paragraph', 'editor_paragraph', true],
  ['h2', 'editor_h2', true],
  ['h3', 'editor_h3', true],
  ['bold', 'editor_bold', true],
  ['italic', 'editor_italic', true],
  ['link', 'editor_link', true],
  ['quote', 'editor_quote', true],
  ['bulletList', 'editor_bullet_list', true],
  ['orderedList', 'editor_ordered_list', true],
  ['image', 'editor_image', false],
  ['embed', 'editor_embed', false],
  ['source', 'editor_source', true],
];

let tmp;
let dbUrl;
let base;
let browser; // JavaScript on, Arabic, 390 px
let noJs; // the same newsroom with JavaScript off
let articleId; // the article written in the editor
let tableArticleId; // one whose body holds a table, written without JavaScript

// ---------------------------------------------------------------------------
// helpers

// A small PNG (a sky-to-sand gradient with a dark band), for the image the author
// inserts: served from the server's media_dir, so the test needs no other host.
function makePng(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    const f = y / height;
    const band = y > height * 0.55 && y < height * 0.8;
    for (let x = 0; x < width; x++) {
      const px = band && (x % 40) < 30 ? [40, 52, 70] : [Math.round(120 + 110 * f), Math.round(170 + 40 * f), Math.round(230 - 120 * f)];
      row.set(px, 1 + x * 3);
    }
    rows.push(row);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

// The author signs in, on a page of its own in `context`.
async function signInAuthor(context, where) {
  const { page, problems } = await openPage(context);
  try {
    await signIn(page, base, AUTHOR, { where });
    assertNoProblems(problems, where);
  } finally {
    await page.close();
  }
}

const editorArea = (page) => page.locator('#body-editor .ed-content');
const button = (page, command) => page.locator(`#body-editor .ed-toolbar button[data-command="${command}"]`);
const bodyValue = (page) => page.locator('#f-body_html').inputValue();

// Waits until the script has mounted the editor on the page.
async function editorReady(page, where) {
  await page.locator('#body-editor[data-mounted="true"]').waitFor({ state: 'attached', timeout: 10_000 }).catch(() => {
    assert.fail(`${where}: the editor did not mount (is themes/admin/static/editor.js served and loaded?)`);
  });
}

// The rows the toolbar's buttons sit on (distinct tops), and whether they all fit.
async function toolbarLayout(page) {
  return page.locator('#body-editor .ed-toolbar').evaluate((bar) => {
    const vw = window.innerWidth;
    const tops = new Set();
    let inside = true;
    const small = [];
    for (const b of bar.querySelectorAll('button')) {
      const r = b.getBoundingClientRect();
      tops.add(Math.round(r.top));
      if (r.left < -0.5 || r.right > vw + 0.5) inside = false;
      if (r.width < 24 || r.height < 24) small.push(`${b.dataset.command} ${r.width}×${r.height}`);
    }
    return { rows: tops.size, inside, small, width: bar.getBoundingClientRect().width };
  });
}

// Direction and dir attribute of every block of a body: [{tag, dir, direction, text}].
async function blocks(page, selector) {
  return page.locator(selector).evaluate((root) =>
    [...root.querySelectorAll('p, h2, h3, li, blockquote, figure')].map((el) => ({
      tag: el.tagName.toLowerCase(),
      inItem: el.parentElement.tagName === 'LI',
      dir: el.getAttribute('dir'),
      direction: getComputedStyle(el).direction,
      text: el.textContent.trim(),
    })),
  );
}

// The body HTML as stored: read from the edit page's textarea as the server sent
// it (the editor rewrites the live textarea as soon as it mounts).
async function storedBody(page, id) {
  return page.evaluate(async (url) => {
    const html = await (await fetch(url, { credentials: 'same-origin' })).text();
    return new DOMParser().parseFromString(html, 'text/html').querySelector('#f-body_html').value;
  }, `${base}/admin/articles/${id}`);
}

// Every block as it should be: dir="auto" on paragraphs, headings, list items and
// figures, none on a list item's own paragraph (it follows its item: an element
// with dir="auto" skips children that have a dir of their own when it looks for
// its first letter) nor on a quotation (it follows the article); each laid out
// right to left when Arabic, left to right when English.
function assertBlocks(list, where) {
  const english = (text) => /^[A-Za-z]/.test(text);
  for (const b of list) {
    const what = `${where}: <${b.tag}> "${b.text.slice(0, 30)}"`;
    const dir = b.tag === 'blockquote' || (b.tag === 'p' && b.inItem) ? null : 'auto';
    assert.equal(b.dir, dir, `${what}: dir`);
    assert.equal(b.direction, english(b.text) ? 'ltr' : 'rtl', `${what}: computed direction`);
  }
}

// Starts a new article's required fields (everything but the body).
async function fillArticleFields(page) {
  await page.locator('#f-lang').selectOption('ar');
  await page.locator('#f-headline').fill(TEXT.headline);
  await page.locator('#f-standfirst').fill(TEXT.standfirst);
  await page.locator('#f-sections input[name="sections"]').first().check();
  await page.locator('#f-authors label.check', { hasText: AUTHOR.name }).locator('input[name="authors"]').check();
  for (const id of ['#f-cover_url', '#f-cover_alt', '#f-cover_caption']) await page.locator(id).fill('');
}

// Fills the editor's dialog and presses its insert button.
async function fillDialog(page, values) {
  const dialog = page.locator('dialog.ed-dialog[open]');
  await dialog.waitFor();
  for (const [name, value] of Object.entries(values)) await dialog.locator(`input[name="${name}"]`).fill(value);
  await dialog.locator('button[type="submit"]').click();
}

// ---------------------------------------------------------------------------

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'warraq-editor-browser-'));
  dbUrl = `sqlite://${path.join(tmp, 'site.db')}`;
  // The media_dir of a SQLite newsroom is beside its file.
  await mkdir(path.join(tmp, 'site.db.media', 'editor'), { recursive: true });
  await writeFile(path.join(tmp, 'site.db.media', 'editor', 'bank.png'), makePng(640, 360));
  // The demo newsroom (its sections) loads only into an empty database, and a new
  // byline makes it non-empty: the author is added once the server runs.
  base = await startServer(dbUrl);
  await addUser(dbUrl, AUTHOR, 'author', ['--author', 'new']);
  browser = await launch(tmp, 'editor', { server: base, timeout: ACTION_TIMEOUT_MS, locale: 'ar' });
  noJs = await launch(tmp, 'nojs', { server: base, timeout: ACTION_TIMEOUT_MS, locale: 'ar', javaScriptEnabled: false });
});

after(() => cleanUp({ contexts: [browser, noJs], tmp }));

describe('the body editor', { timeout: 15 * 60_000 }, () => {
  test('the author signs in', { timeout: TEST_TIMEOUT_MS }, async () => {
    await signInAuthor(browser, 'sign in with JavaScript');
    await signInAuthor(noJs, 'sign in without JavaScript');
  });

  test('the editor takes the textarea\'s place, with a labelled toolbar that wraps at 390 px', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/new`);
      await editorReady(page, 'new article');
      const scripts = await page.evaluate(() => ({
        external: [...document.scripts].filter((s) => s.src).map((s) => new URL(s.src).pathname),
        inline: [...document.scripts].filter((s) => !s.src && s.type !== 'application/ld+json').length,
        styles: document.querySelectorAll('style').length,
      }));
      // The body editor, the form's autosave and lock, the media picker: files of the back office's own.
      assert.deepEqual(scripts.external.sort(), ['/admin/static/article.js', '/admin/static/editor.js', '/admin/static/media.js'], 'new article: scripts');
      assert.equal(scripts.inline, 0, 'new article: inline scripts (the CSP will be script-src \'self\')');
      assert.equal(scripts.styles, 0, 'new article: <style> elements (Tiptap\'s injectCSS must be off)');
      assert.ok(await page.locator('#body-editor').isVisible(), 'the editor is not shown');
      assert.equal(await page.locator('#f-body_html').isVisible(), false, 'the textarea is still shown next to the editor');
      assert.equal(await page.locator('#f-body_html').inputValue(), '', 'an empty editor writes an empty body');
      assert.equal((await page.locator('#hint-body_html').innerText()).trim(), AR.editor_hint, 'the body hint speaks of the editor');

      const area = editorArea(page);
      assert.equal(await area.getAttribute('contenteditable'), 'true');
      // The editing area has the article's direction (what a list or a quotation
      // follows, as on the site), and follows a change of the article's language.
      assert.equal(await page.locator('#f-lang').inputValue(), 'ar', 'a new article starts in Arabic');
      assert.deepEqual([await area.getAttribute('dir'), await area.getAttribute('lang')], ['rtl', 'ar'], 'the editing area: dir and lang');
      await page.locator('#f-lang').selectOption('en');
      assert.deepEqual([await area.getAttribute('dir'), await area.getAttribute('lang')], ['ltr', 'en'], 'the editing area of an English article');
      await page.locator('#f-lang').selectOption('ar');
      assert.equal(await area.getAttribute('dir'), 'rtl');
      assert.equal(await area.getAttribute('role'), 'textbox');
      assert.equal(await area.getAttribute('aria-label'), AR.field_body_html, 'the editing area is named by the field\'s label');
      assert.equal(await area.getAttribute('aria-describedby'), 'hint-body_html');
      await page.locator('label[for="f-body_html"]').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'body-editor-area', 'the field\'s label leads to the editor');

      const bar = page.locator('#body-editor [role="toolbar"]');
      assert.equal(await bar.getAttribute('aria-label'), AR.editor_toolbar);
      const got = await bar.locator('button').evaluateAll((bs) =>
        bs.map((b) => [b.dataset.command, b.getAttribute('aria-label'), b.getAttribute('type'), b.getAttribute('aria-pressed'), b.tabIndex]),
      );
      assert.deepEqual(
        got.map(([c, label, type, pressed]) => [c, label, type, pressed]),
        TOOLBAR.map(([c, key, toggles]) => [c, AR[key], 'button', toggles ? (c === 'paragraph' ? 'true' : 'false') : null]),
        'the toolbar: commands, labels from ar.toml, type=button, aria-pressed',
      );
      assert.equal(got.filter(([, , , , tab]) => tab === 0).length, 1, 'the toolbar has one tab stop');

      const narrow = await toolbarLayout(page);
      assert.ok(narrow.inside, 'at 390 px a toolbar button sticks out of the viewport');
      assert.ok(narrow.rows >= 2, `at 390 px the toolbar does not wrap (${narrow.rows} row)`);
      assert.deepEqual(narrow.small, [], 'toolbar buttons too small to tap');
      await assertFits(page, 'new article at 390 px');
      await assertDirection(page, 'ar', 'rtl', 'new article', { attribute: true });

      await page.setViewportSize(WIDE);
      const wide = await toolbarLayout(page);
      assert.equal(wide.rows, 1, 'at 1280 px the toolbar takes more than one row');
      await page.setViewportSize(VIEWPORT);
      assertNoProblems(problems, 'new article');
    } finally {
      await page.close();
    }
  });

  test('the author writes an Arabic article with an English paragraph and publishes it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/new`);
      await editorReady(page, 'new article');
      await fillArticleFields(page);

      const kb = page.keyboard;
      await editorArea(page).click();
      await kb.insertText(TEXT.p1);
      await kb.press('Enter');
      await button(page, 'h2').click();
      assert.equal(await button(page, 'h2').getAttribute('aria-pressed'), 'true', 'H2 pressed in a subheading');
      await kb.insertText(TEXT.h2);
      await kb.press('Enter');
      assert.equal(await button(page, 'paragraph').getAttribute('aria-pressed'), 'true', 'Enter after a heading starts a paragraph');
      await kb.insertText(TEXT.p2);
      await kb.press('Enter');

      // A link: the text, selected, then the link button and its dialog.
      await kb.insertText(TEXT.linkText);
      await kb.press('Shift+Home');
      await button(page, 'link').click();
      const dialog = page.locator('dialog.ed-dialog[open]');
      await dialog.waitFor();
      assert.equal((await dialog.locator('h2').innerText()).trim(), AR.editor_link, 'link dialog: title');
      assert.equal(await dialog.locator('label[for="ed-field-href"]').innerText(), AR.editor_url, 'link dialog: label');
      await dialog.locator('input[name="href"]').fill('javascript:alert(1)');
      await dialog.locator('button[type="submit"]').click();
      assert.equal((await dialog.locator('[role="alert"]').innerText()).trim(), AR.editor_bad_url, 'link dialog: javascript: refused');
      assert.ok(await dialog.isVisible(), 'link dialog closed on a refused address');
      await dialog.locator('input[name="href"]').fill(TEXT.href);
      await kb.press('Enter');
      await page.locator('dialog.ed-dialog[open]').waitFor({ state: 'detached' });
      assert.equal(await button(page, 'link').getAttribute('aria-pressed'), 'true', 'link pressed on a link');
      await kb.press('End');
      await kb.insertText(TEXT.linkAfter);
      await kb.press('Enter');

      await kb.type(TEXT.en);
      await kb.press('Enter');
      await button(page, 'h3').click();
      await kb.insertText(TEXT.h3);
      await kb.press('Enter');
      await button(page, 'bulletList').click();
      await kb.insertText(TEXT.li1);
      await kb.press('Enter');
      await kb.insertText(TEXT.li2);
      await kb.press('Enter');
      await kb.type(TEXT.li3);
      await kb.press('Enter');
      await kb.press('Enter'); // an empty item ends the list
      await button(page, 'quote').click();
      await kb.insertText(TEXT.quote);
      await kb.press('Enter');
      await kb.press('Enter'); // an empty paragraph leaves the quotation

      // An image with its caption: the address and the alt text are required.
      await button(page, 'image').click();
      await dialog.waitFor();
      await dialog.locator('input[name="src"]').fill(TEXT.imgSrc);
      await dialog.locator('button[type="submit"]').click();
      assert.equal((await dialog.locator('[role="alert"]').innerText()).trim(), AR.editor_alt_required, 'image dialog: alt text required');
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'editor-dialog-390.png');
      await fillDialog(page, { alt: TEXT.imgAlt, caption: TEXT.caption });
      await page.locator('dialog.ed-dialog[open]').waitFor({ state: 'detached' });

      // In the editor: every block dir="auto", laid out by its own language.
      const inEditor = await blocks(page, '#body-editor .ed-content');
      t.diagnostic(`editor blocks: ${JSON.stringify(inEditor.map((b) => `${b.tag} ${b.dir} ${b.direction}`))}`);
      const written = inEditor.filter((b) => b.text);
      assertBlocks(written, 'editor');

      // What goes to the server: the textarea, kept up to date by the editor.
      const html = await bodyValue(page);
      t.diagnostic(`body_html: ${html}`);
      for (const want of [
        `<p dir="auto">${TEXT.p1}</p>`,
        `<h2 dir="auto">${TEXT.h2}</h2>`,
        `<p dir="auto"><a href="${TEXT.href}">${TEXT.linkText}</a>${TEXT.linkAfter}</p>`,
        `<p dir="auto">${TEXT.en}</p>`,
        `<h3 dir="auto">${TEXT.h3}</h3>`,
        `<ul><li dir="auto"><p>${TEXT.li1}</p></li>`,
        `<li dir="auto"><p>${TEXT.li3}</p></li></ul>`,
        `<blockquote><p dir="auto">${TEXT.quote}</p></blockquote>`,
        `<figure dir="auto"><img src="${TEXT.imgSrc}" alt="${TEXT.imgAlt}"><figcaption>${TEXT.caption}</figcaption></figure>`,
      ]) {
        assert.ok(html.includes(want), `body_html lacks ${want}\n  got: ${html}`);
      }

      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'editor-390.png');
      await assertFits(page, 'written article at 390 px');
      await page.setViewportSize(WIDE);
      await screenshot(page, 'editor-1280.png');
      await page.setViewportSize(VIEWPORT);

      const publish = page.locator('.article-actions button[name="action"][value="publish"]');
      const { url: saved } = await submit(page, publish, { path: /^\/admin\/articles\/\d+$/, where: 'publish' });
      articleId = Number(saved.pathname.split('/').pop());
      assert.equal(saved.searchParams.get('done'), 'created');
      assert.equal((await page.locator('.status-line .status').innerText()).trim(), AR.status_published);

      // The server's sanitiser keeps what the editor sent, dir="auto" and all
      // (but for the rel it gives every link).
      const stored = await storedBody(page, articleId);
      t.diagnostic(`stored body: ${stored}`);
      assert.equal(stored, html.replace(/<a href="([^"]*)">/g, '<a href="$1" rel="noopener noreferrer">'), 'the stored body');
      // Opened again, the editor shows what was stored, block for block.
      await editorReady(page, 'saved article');
      const reopened = (await blocks(page, '#body-editor .ed-content')).filter((b) => b.text);
      assert.deepEqual(reopened.map((b) => [b.tag, b.text]), written.map((b) => [b.tag, b.text]), 'the saved article in the editor');

      // On the site, as a reader sees it.
      const href = await page.locator('main .page-head a', { hasText: AR.view_on_site }).getAttribute('href');
      await goto(page, new URL(href, page.url()).href);
      await assertDirection(page, 'ar', 'rtl', 'public article', { attribute: true });
      // Only what the author wrote: the site adds its own boxes (a "read also" line).
      const ours = new Set(written.map((b) => b.text));
      const onSite = (await blocks(page, '.story .body')).filter((b) => ours.has(b.text));
      t.diagnostic(`site blocks: ${JSON.stringify(onSite.map((b) => `${b.tag} ${b.dir} ${b.direction}`))}`);
      assert.deepEqual(onSite.map((b) => [b.tag, b.text]), written.map((b) => [b.tag, b.text]), 'public article: the blocks written');
      const paragraphs = onSite.filter((b) => b.tag === 'p');
      assert.equal(paragraphs.length, 8, `public article: ${paragraphs.length} paragraphs: ${JSON.stringify(paragraphs.map((p) => p.text))}`);
      assertBlocks(onSite, 'public article');
      assert.deepEqual(paragraphs.filter((p) => p.direction === 'ltr').map((p) => p.text), [TEXT.en, TEXT.li3], 'public article: the left-to-right paragraphs');
      const link = page.locator('.story .body a', { hasText: TEXT.linkText });
      assert.equal(await link.getAttribute('href'), TEXT.href, 'public article: the link');
      assert.equal(await page.locator('.story .body figure img').getAttribute('alt'), TEXT.imgAlt, 'public article: the image');
      assert.equal((await page.locator('.story .body figure figcaption').innerText()).trim(), TEXT.caption, 'public article: the caption');
      assert.ok(await page.locator('.story .body figure img').evaluate((img) => img.complete && img.naturalWidth > 0), 'public article: the image did not load');
      await screenshot(page, 'editor-public-390.png');
      assertNoProblems(problems, 'writing and publishing');
    } finally {
      await page.close();
    }
  });

  // The English item of the Arabic list is laid out left to right, so its bullet
  // stands on its left, outside the list's padding (which is on the right): the
  // public theme's lists need room on both sides for that.
  test('the article with a mixed-language list fits a 390 px phone', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/${articleId}`);
      const href = await page.locator('main .page-head a', { hasText: AR.view_on_site }).getAttribute('href');
      await goto(page, new URL(href, page.url()).href);
      await assertFits(page, 'public article');
    } finally {
      await page.close();
    }
  });

  test('the toolbar works from the keyboard', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/new`);
      await editorReady(page, 'new article');
      const focused = () => page.evaluate(() => document.activeElement?.dataset?.command ?? document.activeElement?.id ?? document.activeElement?.tagName);
      // Tab order: standfirst, the toolbar (one stop), the text.
      await page.locator('#f-standfirst').focus();
      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'paragraph', 'Tab from the standfirst reaches the toolbar');
      // In an rtl page the next button is to the left.
      await page.keyboard.press('ArrowLeft');
      assert.equal(await focused(), 'h2', 'ArrowLeft moves to the next button (rtl)');
      await page.keyboard.press('ArrowRight');
      assert.equal(await focused(), 'paragraph', 'ArrowRight moves back');
      await page.keyboard.press('End');
      assert.equal(await focused(), 'source', 'End');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await focused(), 'paragraph', 'the arrows wrap around');
      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'body-editor-area', 'Tab from the toolbar reaches the text');

      await page.keyboard.insertText('نص ');
      await page.keyboard.press('Alt+F10');
      assert.equal(await focused(), 'paragraph', 'Alt+F10 moves to the toolbar');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
      assert.equal(await focused(), 'bold');
      await page.keyboard.press('Space');
      assert.equal(await button(page, 'bold').getAttribute('aria-pressed'), 'true', 'Space on bold turns it on');
      assert.equal(await focused(), 'body-editor-area', 'after a command the text has the focus again');
      await page.keyboard.insertText('عريض');
      await page.keyboard.press('Control+b');
      assert.equal(await button(page, 'bold').getAttribute('aria-pressed'), 'false', 'Ctrl+B turns bold off');
      assert.equal(await bodyValue(page), '<p dir="auto">نص <strong>عريض</strong></p>');

      // Ctrl+K: the link dialog; Escape closes it and the text keeps the focus.
      await page.keyboard.press('Control+k');
      await page.locator('dialog.ed-dialog[open]').waitFor();
      assert.equal(await focused(), 'ed-field-href', 'Ctrl+K focuses the link address');
      await page.keyboard.press('Escape');
      await page.locator('dialog.ed-dialog[open]').waitFor({ state: 'detached' });
      assert.equal(await focused(), 'body-editor-area', 'Escape returns to the text');

      // An embed: only YouTube and Vimeo pages.
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await button(page, 'embed').click();
      const dialog = page.locator('dialog.ed-dialog[open]');
      await dialog.locator('input[name="url"]').fill('https://example.com/video/1');
      await page.keyboard.press('Enter');
      assert.equal((await dialog.locator('[role="alert"]').innerText()).trim(), AR.editor_bad_embed, 'embed dialog: other sites refused');
      await dialog.locator('input[name="url"]').fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
      await page.keyboard.press('Enter');
      await page.locator('dialog.ed-dialog[open]').waitFor({ state: 'detached' });
      assert.ok(
        (await bodyValue(page)).includes('<p dir="auto">[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]</p>'),
        `embed: ${await bodyValue(page)}`,
      );
      assertNoProblems(problems, 'keyboard');
    } finally {
      await page.close();
    }
  });

  test('HTML source mode shows the textarea, and switching back re-reads it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/${articleId}`);
      await editorReady(page, 'saved article');
      const source = button(page, 'source');
      await source.click();
      assert.equal(await source.getAttribute('aria-pressed'), 'true', 'source: pressed');
      assert.ok(await page.locator('#f-body_html').isVisible(), 'source: the textarea is shown');
      assert.equal(await editorArea(page).isVisible(), false, 'source: the rich editor is still shown');
      assert.equal(await button(page, 'bold').isDisabled(), true, 'source: formatting buttons are off');
      assert.equal((await page.locator('#hint-body_html').innerText()).trim(), AR.body_hint, 'source: the HTML hint is back');
      const html = await bodyValue(page);
      assert.ok(html.includes(`<h2 dir="auto">${TEXT.h2}</h2>`), `source: ${html}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'editor-source-390.png');
      await assertFits(page, 'source mode');

      // Written by hand: no dir, a <b>, a <span> with a style.
      await page.locator('#f-body_html').fill(`${html}\n<p>Added <b>by hand</b> in <span style="color:red">HTML</span>.</p>`);
      await source.click();
      assert.equal(await source.getAttribute('aria-pressed'), 'false');
      assert.equal(await page.locator('#f-body_html').isVisible(), false, 'rich: the textarea is hidden again');
      const last = editorArea(page).locator('p').last();
      assert.equal(await last.getAttribute('dir'), 'auto', 'a paragraph written in HTML gets dir="auto"');
      assert.equal(await last.evaluate((p) => getComputedStyle(p).direction), 'ltr');
      assert.ok((await bodyValue(page)).endsWith('<p dir="auto">Added <strong>by hand</strong> in HTML.</p>'), `re-read: ${await bodyValue(page)}`);
      assertNoProblems(problems, 'source mode');
    } finally {
      await page.close();
    }
  });

  test('pasted Word and Google Docs markup is reduced to the editor\'s schema', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/new`);
      await editorReady(page, 'new article');
      await editorArea(page).click();
      const paste = (html) =>
        editorArea(page).evaluate((el, h) => {
          const data = new DataTransfer();
          data.setData('text/html', h);
          data.setData('text/plain', h.replace(/<[^>]+>/g, ''));
          el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        }, html);
      const word =
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";}</style></head><body>' +
        '<!--StartFragment--><p class="MsoNormal" dir="RTL" style="mso-margin-top-alt:auto;text-align:right;direction:rtl">' +
        '<span lang="AR-SA" style="font-family:Arial;mso-ascii-font-family:Calibri">قال <b>الوزير</b> إن <i>الخطة</i> جاهزة</span><o:p>&nbsp;</o:p></p>' +
        '<p class="MsoListParagraph" style="mso-list:l0 level1 lfo1"><![if !supportLists]><span style="mso-list:Ignore">·</span><![endif]>بند</p><!--EndFragment--></body></html>';
      await paste(word);
      const google =
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b3c4d-7fff-1234-5678-9abcdef01234">' +
        '<p dir="ltr" style="line-height:1.38;margin-top:0pt"><span style="font-size:11pt;font-family:Arial;font-weight:700">Bold</span>' +
        '<span style="font-size:11pt;font-family:Arial;font-weight:400"> and </span><span style="font-style:italic">slanted</span></p></b>';
      await paste(google);
      const html = await bodyValue(page);
      for (const bad of ['style=', 'class=', 'mso-', 'o:p', 'docs-internal-guid', 'lang=', 'RTL', 'ltr', 'supportLists', '<span', '<meta']) {
        assert.ok(!html.includes(bad), `pasted markup kept ${bad}: ${html}`);
      }
      for (const want of ['قال <strong>الوزير</strong> إن <em>الخطة</em> جاهزة', '<strong>Bold</strong> and <em>slanted</em>']) {
        assert.ok(html.includes(want), `pasted text lost its ${want}: ${html}`);
      }
      assert.ok(!/<b[ >]/.test(html.replace(/<blockquote/g, '')), `Google's <b> wrapper kept: ${html}`);
      assertNoProblems(problems, 'paste');
    } finally {
      await page.close();
    }
  });

  test('without JavaScript the textarea is the body field, and it publishes', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = await openPage(noJs);
    try {
      await goto(page, `${base}/admin/articles/new`);
      const textarea = page.locator('#f-body_html');
      assert.ok(await textarea.isVisible(), 'no JavaScript: the body textarea is not shown');
      assert.equal(await page.locator('#body-editor').isVisible(), false, 'no JavaScript: the empty editor mount point shows');
      assert.equal((await page.locator('#hint-body_html').innerText()).trim(), AR.body_hint);
      await fillArticleFields(page);
      // Written as HTML: dir="auto" on each kind of block (the sanitiser must keep
      // it), and a table, which the rich editor cannot hold.
      const body = [
        '<p dir="auto">جدول الأسعار:</p>',
        '<h2 dir="auto">الخبز</h2>',
        '<h3 dir="auto">Bread</h3>',
        '<ul dir="auto"><li dir="auto">خبز عربي</li><li dir="auto">Baguette</li></ul>',
        '<blockquote dir="auto"><p dir="auto">الأسعار ثابتة.</p></blockquote>',
        '<table><tbody><tr><th>الصنف</th><th>السعر</th></tr><tr><td>خبز</td><td>١٠</td></tr></tbody></table>',
      ].join('\n');
      await textarea.fill(body);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'editor-nojs-390.png');
      const { url: saved } = await submit(page, page.locator('.article-actions button[value="publish"]'), { path: /^\/admin\/articles\/\d+$/, where: 'no JavaScript: publish' });
      tableArticleId = Number(saved.pathname.split('/').pop());
      const stored = await textarea.inputValue();
      assert.ok(stored.includes('<table>'), `no JavaScript: the table was not stored: ${stored}`);
      for (const tag of ['p', 'h2', 'h3', 'ul', 'li', 'blockquote']) {
        const opening = stored.match(new RegExp(`<${tag}\\b[^>]*>`, 'g')) || [];
        assert.ok(opening.length > 0, `stored body has no <${tag}>: ${stored}`);
        assert.deepEqual(opening.filter((o) => !o.includes('dir="auto"')), [], `the sanitiser dropped dir="auto" from <${tag}>`);
      }
      assertNoProblems(problems, 'no JavaScript');
    } finally {
      await page.close();
    }
  });

  test('a stored body the editor cannot hold opens as HTML, unchanged', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, problems } = await openPage(browser);
    try {
      await goto(page, `${base}/admin/articles/${tableArticleId}`);
      await editorReady(page, 'table article');
      const stored = await storedBody(page, tableArticleId);
      assert.equal(await bodyValue(page), stored, 'the textarea was rewritten');
      assert.ok(await page.locator('#f-body_html').isVisible(), 'the textarea is not shown');
      assert.equal(await button(page, 'source').getAttribute('aria-pressed'), 'true');
      assert.equal((await page.locator('#body-editor .ed-notice').innerText()).trim(), AR.editor_source_kept);
      assertNoProblems(problems, 'table article');
    } finally {
      await page.close();
    }
  });
});
