// Browser checks of the newsroom's day (issue 11), at a desktop's 1280×900 and at
// a 390×844 phone: a contributor writes an Arabic article in the body editor — a
// subheading, a paragraph with a link, one English paragraph, an image with its
// caption — saves it, previews it, sees it autosaved (and not changed by that),
// and submits it for review; an editor finds it in the filtered article list,
// schedules it (through the form, to the minute, then two seconds ahead through
// the write API with the session's CSRF token) and, with no further request to
// the back office, it goes live on its own; on the site every block is laid out
// by its own language. Also the revisions screen's word-level diff and, at the
// desktop only, sending an article back with a note and the edit lock taken
// over by a second editor.
//
// Run from the repo root with `node --test tests/browser/newsroom.test.mjs` (or
// with the others: `node --test tests/browser/`). Starts its own warraq server
// (the demo newsroom on a fresh SQLite file, `require_second_factor = false`, so
// no TOTP step) and drives Debian's /usr/bin/chromium through playwright-core;
// full-page screenshots go to target/screenshots/newsroom-*.png. Shared helpers:
// harness.mjs and backoffice.mjs.
//
// Within one viewport the tests run in order and build on each other (one
// article, the same people): a failure early on fails the later ones too.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ROOT,
  VIEWPORT,
  assertDirection,
  assertNoHorizontalOverflow,
  assertNoProblems,
  cleanUp,
  goto,
  launch,
  openPage,
  settle,
  startServer,
} from './harness.mjs';
import { addUser, adminLocale, signIn, submit } from './backoffice.mjs';

// A slow two-core machine: argon2 on every sign-in, a debug build.
const ACTION_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 120_000;
const TIME_ZONE = 'Asia/Beirut'; // written into the test server's config below
const SHOT_DIR = path.join(ROOT, 'target', 'screenshots');
const DESKTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// The back office's Arabic strings, and the public theme's (the checks follow the
// wording rather than repeat it).
const AR = adminLocale('ar');
const SITE_AR = await (async () => {
  const text = await readFile(path.join(ROOT, 'themes/default/locales/ar.toml'), 'utf8');
  const table = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^([A-Za-z0-9_]+)\s*=\s*("(?:[^"\\]|\\.)*")\s*$/);
    if (m) table[m[1]] = JSON.parse(m[2]);
  }
  return table;
})();

const VIEWPORTS = [
  {
    name: 'desktop',
    size: { width: 1280, height: 900 },
    tag: '1280',
    desktop: true,
    writer: { email: 'layla@example.com', name: 'رشا العطّار', password: 'deadline at six sharp' },
    editor: { email: 'nader@example.com', name: 'نادر سليم', password: 'the desk never sleeps' },
    editor2: { email: 'maryam@example.com', name: 'مريم عيسى', password: 'second pair of eyes' },
    text: {
      headline: 'بلدية بيروت تفتتح حديقة عامة جديدة في الأشرفية',
      search: 'الأشرفية',
      standfirst: 'افتتحت البلدية حديقة على مساحة خمسة آلاف متر مربع بعد سنتين من الأعمال.',
      // The autosaved (then submitted) change: one word, for the revision's diff.
      standfirst2: 'افتتحت البلدية حديقة على مساحة ستة آلاف متر مربع بعد سنتين من الأعمال.',
      removed: 'خمسة',
      added: 'ستة',
      p1: 'قال رئيس البلدية إن الحديقة ستفتح أبوابها يومياً من السابعة صباحاً حتى العاشرة ليلاً.',
      h2: 'مساحة خضراء نادرة',
      linkText: 'خريطة الحدائق العامة',
      linkAfter: ' منشورة على موقع البلدية.',
      href: 'https://www.beirut.gov.lb/ar/',
      en: 'A resident told reporters the new park was the first green space within walking distance of her home.',
      imgAlt: 'أشجار ومقاعد في الحديقة الجديدة',
      caption: 'الحديقة الجديدة في الأشرفية (صورة توضيحية)',
      note: 'أضيفوا رأي السكان في الفقرة الأولى من فضلكم.',
    },
  },
  {
    name: 'phone',
    size: VIEWPORT,
    tag: '390',
    desktop: false,
    writer: { email: 'yousef@example.com', name: 'يوسف الحلبي', password: 'copy filed from the field' },
    editor: { email: 'salma@example.com', name: 'سلمى فارس', password: 'red pen and green tea' },
    text: {
      headline: 'إعادة افتتاح مكتبة طرابلس العامة بعد ترميمها',
      search: 'طرابلس',
      standfirst: 'عادت المكتبة إلى استقبال القرّاء بعد ثلاث سنوات من الإغلاق والترميم.',
      standfirst2: 'عادت المكتبة إلى استقبال القرّاء بعد أربع سنوات من الإغلاق والترميم.',
      removed: 'ثلاث',
      added: 'أربع',
      p1: 'تضم المكتبة أكثر من أربعين ألف كتاب، بينها مخطوطات تعود إلى القرن التاسع عشر.',
      h2: 'قاعة جديدة للأطفال',
      linkText: 'مواعيد الدوام',
      linkAfter: ' متاحة على صفحة المكتبة.',
      href: 'https://example.org/library/',
      en: 'The librarian said the reading room would stay open late on Thursdays for students.',
      imgAlt: 'رفوف كتب في قاعة المطالعة',
      caption: 'قاعة المطالعة بعد الترميم (صورة توضيحية)',
    },
  },
];

let tmp;
let dbUrl;
let base;
let mediaUrl; // an image of the demo's media library, for the body

// ---------------------------------------------------------------------------
// helpers

async function shot(page, name) {
  await mkdir(SHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOT_DIR, name), fullPage: true });
}

// A browser of its own (cookie jar, profile) for one person, at `vp`'s size.
function browserFor(vp, name) {
  const options = { server: base, timeout: ACTION_TIMEOUT_MS, locale: 'ar', viewport: vp.size };
  if (vp.desktop) options.userAgent = DESKTOP_UA;
  return launch(tmp, `${vp.name}-${name}`, options);
}

async function signInAs(context, who, where) {
  const { page, problems } = await openPage(context);
  try {
    await signIn(page, base, who, { where });
    assertNoProblems(problems, where);
  } finally {
    await page.close();
  }
}

// Leaves the article form the way a person does (to the dashboard), so the page
// lets go of its edit lock (the script's pagehide beacon), then closes the tab.
async function leave(page) {
  await goto(page, `${base}/admin/`);
  await page.close();
}

const editorArea = (page) => page.locator('#body-editor .ed-content');
const toolbarButton = (page, command) => page.locator(`#body-editor .ed-toolbar button[data-command="${command}"]`);
const actionButton = (page, action) => page.locator(`.article-actions button[name="action"][value="${action}"]`);
const actionsOf = (page) => page.locator('.article-actions button[name="action"]').evaluateAll((bs) => bs.map((b) => b.value));
const statusLabel = async (page) => (await page.locator('.status-line .status').innerText()).trim();

async function editorReady(page, where) {
  await page.locator('#body-editor[data-mounted="true"]').waitFor({ state: 'attached', timeout: 10_000 }).catch(() => {
    assert.fail(`${where}: the body editor did not mount`);
  });
}

async function fillDialog(page, values) {
  const dialog = page.locator('dialog.ed-dialog[open]');
  await dialog.waitFor({ timeout: 5_000 });
  for (const [name, value] of Object.entries(values)) await dialog.locator(`input[name="${name}"]`).fill(value);
  await dialog.locator('button[type="submit"]').click();
  await page.locator('dialog.ed-dialog[open]').waitFor({ state: 'detached', timeout: 5_000 });
}

// The article as the write API gives it to the signed-in user of `page`.
async function apiArticle(page, id) {
  const r = await page.evaluate(async (url) => {
    const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    return { status: res.status, body: await res.text() };
  }, `${base}/api/v1/articles/${id}`);
  assert.equal(r.status, 200, `GET /api/v1/articles/${id}: ${r.body.slice(0, 500)}`);
  return JSON.parse(r.body);
}

// A path on the test server for an article's `url` (absolute on the configured
// base_url, or already a path).
const onTestServer = (url) => {
  const u = new URL(url, base);
  return `${base}${u.pathname}${u.search}`;
};

// A reader's request, outside the browser: the status only.
async function readerStatus(url) {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
}

// "YYYY-MM-DDTHH:MM" in the newsroom's time zone, as a datetime-local field holds it.
function localMinute(ms) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

// Waits (bounded) until `read()` gives something `ok` accepts; resolves to it.
async function until(read, ok, { timeout, every = 200, what }) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeout} ms (last: ${JSON.stringify(last)})`);
    await sleep(every);
  }
}

// Direction and dir of the body's blocks that hold one of `texts`.
async function bodyBlocks(page, selector, texts) {
  return page.locator(selector).evaluate(
    (root, wanted) =>
      [...root.querySelectorAll('p, h2, h3, figure')]
        .map((el) => ({
          tag: el.tagName.toLowerCase(),
          dir: el.getAttribute('dir'),
          direction: getComputedStyle(el).direction,
          text: el.textContent.trim(),
        }))
        .filter((b) => wanted.some((w) => b.text.startsWith(w))),
    texts,
  );
}

// ---------------------------------------------------------------------------

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'warraq-newsroom-browser-'));
  dbUrl = `sqlite://${path.join(tmp, 'site.db')}`;
  const config = path.join(tmp, 'warraq.toml');
  await writeFile(config, `time_zone = "${TIME_ZONE}"\n\n[admin]\nrequire_second_factor = false\n`);
  base = await startServer(dbUrl, ['--config', config]);
  // The demo loads only into an empty database: people are added once it runs.
  for (const vp of VIEWPORTS) {
    await addUser(dbUrl, vp.writer, 'contributor', ['--author', 'new']);
    await addUser(dbUrl, vp.editor, 'editor');
    if (vp.editor2) await addUser(dbUrl, vp.editor2, 'editor');
  }
});

after(() => cleanUp({ tmp }));

for (const vp of VIEWPORTS) {
  describe(`the newsroom's day at ${vp.size.width}×${vp.size.height}`, { timeout: 10 * 60_000 }, () => {
    const T = vp.text;
    const W = vp.tag;
    let writer; // the contributor's browser
    let editor; // the editor's
    let editor2; // a second editor's (desktop)
    let reader; // nobody signed in
    let articleId;
    let section; // { slug, name } ticked by the writer
    let publicUrl;
    let dueAt; // when the scheduled article is to go live (ms)

    before(async () => {
      writer = await browserFor(vp, 'writer');
      editor = await browserFor(vp, 'editor');
      reader = await browserFor(vp, 'reader');
      if (vp.editor2) editor2 = await browserFor(vp, 'editor2');
    });

    after(async () => {
      for (const ctx of [writer, editor, editor2, reader]) {
        if (ctx) await ctx.close().catch((e) => console.error('closing chromium:', e));
      }
    });

    test('a contributor writes an Arabic article with an English paragraph in the body editor and saves it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      await signInAs(writer, vp.writer, `${vp.name}: contributor`);
      const { page, problems } = await openPage(writer);
      try {
        // An image of the demo's media library, through the API with the session.
        if (!mediaUrl) {
          await goto(page, `${base}/admin/`);
          const media = await page.evaluate(async () => (await fetch('/api/v1/media', { headers: { accept: 'application/json' } })).json());
          mediaUrl = media.media?.[0]?.url;
          assert.match(mediaUrl ?? '', /^\/media\//, `GET /api/v1/media: ${JSON.stringify(media).slice(0, 300)}`);
        }

        await goto(page, `${base}/admin/articles/new`);
        await editorReady(page, 'new article');
        await page.locator('#f-lang').selectOption('ar');
        await page.locator('#f-headline').fill(T.headline);
        await page.locator('#f-standfirst').fill(T.standfirst);
        const firstSection = page.locator('#f-sections label.check').first();
        section = {
          slug: await firstSection.locator('input').getAttribute('value'),
          name: (await firstSection.innerText()).trim(),
        };
        await firstSection.locator('input').check();
        const byline = page.locator('#f-authors label.check', { hasText: vp.writer.name }).locator('input[name="authors"]');
        assert.equal(await byline.count(), 1, `the contributor's byline ${vp.writer.name} is not offered`);
        assert.ok(await byline.isChecked(), 'a new article does not start with the writer\'s own byline ticked');
        await byline.check();

        const kb = page.keyboard;
        await editorArea(page).click();
        await kb.insertText(T.p1);
        await kb.press('Enter');
        await toolbarButton(page, 'h2').click();
        assert.equal(await toolbarButton(page, 'h2').getAttribute('aria-pressed'), 'true', 'H2 is not pressed in a subheading');
        await kb.insertText(T.h2);
        await kb.press('Enter');
        // A link: its text, selected, then the link button and its dialog.
        await kb.insertText(T.linkText);
        await kb.press('Shift+Home');
        await toolbarButton(page, 'link').click();
        await fillDialog(page, { href: T.href });
        await kb.press('End');
        await kb.insertText(T.linkAfter);
        await kb.press('Enter');
        await kb.insertText(T.en);
        await kb.press('Enter');
        // The image button asks for the address, the alt text and the caption.
        await toolbarButton(page, 'image').click();
        await fillDialog(page, { src: mediaUrl, alt: T.imgAlt, caption: T.caption });

        const html = await page.locator('#f-body_html').inputValue();
        t.diagnostic(`body_html: ${html}`);
        for (const want of [
          `<p dir="auto">${T.p1}</p>`,
          `<h2 dir="auto">${T.h2}</h2>`,
          `<p dir="auto"><a href="${T.href}">${T.linkText}</a>${T.linkAfter}</p>`,
          `<p dir="auto">${T.en}</p>`,
          `<figure dir="auto"><img src="${mediaUrl}" alt="${T.imgAlt}"><figcaption>${T.caption}</figcaption></figure>`,
        ]) {
          assert.ok(html.includes(want), `body_html lacks ${want}\n  got: ${html}`);
        }
        // In the editor already, each block by its own language.
        const inEditor = await bodyBlocks(page, '#body-editor .ed-content', [T.p1, T.h2, T.linkText, T.en]);
        assert.deepEqual(
          inEditor.map((b) => [b.tag, b.direction]),
          [['p', 'rtl'], ['h2', 'rtl'], ['p', 'rtl'], ['p', 'ltr']],
          `the editor's blocks: ${JSON.stringify(inEditor)}`,
        );
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, `newsroom-editor-${W}.png`);
        await assertNoHorizontalOverflow(page, `${vp.name}: the article form`, { width: vp.size.width });

        // A contributor cannot publish: saving and submitting are the only ways on.
        const offered = await actionsOf(page);
        assert.deepEqual(offered.filter((a) => ['publish', 'schedule'].includes(a)), [], `a contributor is offered ${offered}`);
        assert.ok(offered.includes('submit'), `no submit button for a contributor: ${offered}`);

        const { url } = await submit(page, actionButton(page, 'save'), { path: /^\/admin\/articles\/\d+$/, where: 'save' });
        articleId = Number(url.pathname.split('/').pop());
        assert.equal(url.searchParams.get('done'), 'created');
        assert.equal(await statusLabel(page), AR.status_draft, 'saved: status');
        assert.deepEqual(
          (await actionsOf(page)).filter((a) => ['publish', 'schedule', 'send_back'].includes(a)),
          [],
          'a contributor\'s saved draft offers publishing',
        );
        assertNoProblems(problems, `${vp.name}: writing`);
      } finally {
        await page.close();
      }
    });

    test('the preview button opens a signed preview of the draft with its banner', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { page, problems } = await openPage(writer);
      try {
        await goto(page, `${base}/admin/articles/${articleId}`);
        await editorReady(page, 'draft');
        const previewButton = page.locator(`.article-actions button[formaction="/admin/articles/${articleId}/preview"]`);
        assert.equal((await previewButton.innerText()).trim(), AR.action_preview);
        assert.equal(await previewButton.getAttribute('formtarget'), '_blank');
        const [tab] = await Promise.all([writer.waitForEvent('page', { timeout: 15_000 }), previewButton.click()]);
        await tab.waitForLoadState('load');
        const previewUrl = new URL(tab.url());
        assert.equal(previewUrl.pathname, `/preview/${articleId}`, `the preview opened ${tab.url()}`);
        assert.match(previewUrl.searchParams.get('expires') ?? '', /^\d+$/, 'preview link: expires');
        assert.ok(previewUrl.searchParams.get('sig'), 'preview link: sig');
        await tab.close();
        // The link is for anyone who has it: a reader, not signed in, sees the draft.
        const { page: seen, problems: seenProblems } = await openPage(reader);
        try {
          await goto(seen, previewUrl.href);
          assert.equal((await seen.locator('.preview-banner').innerText()).trim(), SITE_AR.preview_banner, 'preview: banner');
          assert.equal((await seen.locator('.story h1').innerText()).trim(), T.headline, 'preview: headline');
          assert.ok(await seen.locator('.story .body a', { hasText: T.linkText }).count(), 'preview: the link');
          await shot(seen, `newsroom-preview-${W}.png`);
          await assertNoHorizontalOverflow(seen, `${vp.name}: preview`, { width: vp.size.width });
          assertNoProblems(seenProblems, `${vp.name}: preview`);
        } finally {
          await seen.close();
        }
        assertNoProblems(problems, `${vp.name}: the form, previewing`);
        await leave(page);
      } finally {
        if (!page.isClosed()) await page.close();
      }
    });

    test('autosave keeps a copy within seconds and leaves the article alone; then the contributor submits it', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { page, problems } = await openPage(writer);
      try {
        await goto(page, `${base}/admin/articles/${articleId}`);
        await editorReady(page, 'draft');
        assert.equal(await page.locator('#lock-notice').count(), 0, 'the writer\'s own draft says someone else has it open');
        const before = await apiArticle(page, articleId);
        assert.equal(before.status, 'draft');
        const status = page.locator('#autosave-status');
        assert.equal((await status.innerText()).trim(), '', 'the autosave line says something before anything changed');

        const autosaved = page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/admin/articles/${articleId}/autosave`,
          { timeout: 10_000 },
        );
        const typedAt = Date.now();
        await page.locator('#f-standfirst').fill(T.standfirst2);
        const res = await autosaved.catch(() => assert.fail('no autosave request within 10 s of typing'));
        assert.equal(res.status(), 200, 'autosave: status');
        const [pre, post] = AR.autosaved_at.split('{time}');
        const said = await until(
          async () => (await status.innerText()).trim(),
          (s) => s.startsWith(pre) && s.endsWith(post) && s.length > pre.length + post.length,
          { timeout: Math.max(1_000, 10_000 - (Date.now() - typedAt)), what: '#autosave-status after typing' },
        );
        assert.ok(said);

        // The copy is the user's, not the article: nothing saved, nothing public.
        const now = await apiArticle(page, articleId);
        assert.equal(now.revision, before.revision, 'autosave made a revision');
        assert.equal(now.standfirst, T.standfirst, 'autosave changed the article\'s standfirst');
        assert.equal(now.status, 'draft', 'autosave changed the status');
        assert.equal(await readerStatus(onTestServer(now.url)), 404, `the draft is public at ${now.url}`);

        const { url } = await submit(page, actionButton(page, 'submit'), { path: `/admin/articles/${articleId}`, where: 'submit' });
        assert.equal(url.searchParams.get('done'), 'saved');
        assert.equal(await statusLabel(page), AR.status_review, 'submitted: status');
        const submitted = await apiArticle(page, articleId);
        assert.equal(submitted.status, 'review');
        assert.equal(submitted.standfirst, T.standfirst2, 'the submitted form did not save the standfirst');
        assert.equal(submitted.revision, before.revision + 1, 'submitting: revisions');
        assertNoProblems(problems, `${vp.name}: autosave and submit`);
        await leave(page);
      } finally {
        if (!page.isClosed()) await page.close();
      }
    });

    if (vp.desktop) {
      test('an editor sends it back with a note; the contributor reads it and submits again', { timeout: TEST_TIMEOUT_MS }, async () => {
        await signInAs(editor, vp.editor, `${vp.name}: editor`);
        const { page, problems } = await openPage(editor);
        try {
          await goto(page, `${base}/admin/articles/${articleId}`);
          assert.equal(await page.locator('#lock-notice').count(), 0, 'the contributor left, yet the article is locked');
          assert.ok((await actionsOf(page)).includes('send_back'), `no send-back for an editor: ${await actionsOf(page)}`);
          await page.locator('#f-note').fill(T.note);
          const { url } = await submit(page, actionButton(page, 'send_back'), { path: `/admin/articles/${articleId}`, where: 'send back' });
          assert.equal(url.searchParams.get('done'), 'sent_back');
          assert.equal(await statusLabel(page), AR.status_draft, 'sent back: status');
          assertNoProblems(problems, 'send back');
          await leave(page);
        } finally {
          if (!page.isClosed()) await page.close();
        }

        const { page: own, problems: ownProblems } = await openPage(writer);
        try {
          await goto(own, `${base}/admin/articles/${articleId}`);
          assert.equal(await own.locator('#lock-notice').count(), 0, 'the editor left, yet the article is locked');
          const note = own.locator('#review-note');
          assert.ok(await note.isVisible(), 'the writer does not see the editor\'s note');
          assert.equal((await note.locator('p[dir="auto"]').innerText()).trim(), T.note);
          assert.equal((await note.locator('.notice-title').innerText()).trim(), AR.sent_back_title);
          await shot(own, `newsroom-sent-back-${W}.png`);
          await submit(own, actionButton(own, 'submit'), { path: `/admin/articles/${articleId}`, where: 'submit again' });
          assert.equal(await statusLabel(own), AR.status_review);
          assert.equal(await own.locator('#review-note').count(), 0, 'the note still shows once the article is back in review');
          assertNoProblems(ownProblems, 'submit again');
          await leave(own);
        } finally {
          if (!own.isClosed()) await own.close();
        }
      });
    }

    test('an editor finds it in the filtered review list and schedules it two seconds ahead', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      if (!vp.desktop) await signInAs(editor, vp.editor, `${vp.name}: editor`);
      const { page, problems } = await openPage(editor);
      try {
        await goto(page, `${base}/admin/articles?status=review`);
        assert.equal(await page.locator('#f-status').inputValue(), 'review', 'the list\'s status filter');
        // Narrowed further with the form: section, byline, a word of the headline.
        await page.locator('#f-section').selectOption(section.slug);
        await page.locator('#f-author').selectOption({ label: vp.writer.name });
        await page.locator('#f-lang').selectOption('ar');
        await page.locator('#q').fill(T.search);
        const filter = page.locator('form.filters button[type="submit"]');
        assert.equal((await filter.innerText()).trim(), AR.filter_apply);
        const { url } = await submit(page, filter, { path: '/admin/articles', where: 'filter' });
        assert.equal(url.searchParams.get('status'), 'review');
        assert.equal(url.searchParams.get('section'), section.slug);
        assert.equal(url.searchParams.get('q'), T.search);
        const rows = page.locator('ul.rows li.row');
        assert.deepEqual(
          await rows.locator('a.row-title').allInnerTexts(),
          [T.headline],
          'the filtered review list',
        );
        assert.equal((await rows.first().locator('.status').innerText()).trim(), AR.status_review);
        assert.equal((await page.locator('#found').innerText()).trim(), AR.articles_found.replace('{n}', '1'));
        await shot(page, `newsroom-list-${W}.png`);
        await assertNoHorizontalOverflow(page, `${vp.name}: the article list`, { width: vp.size.width });
        await submit(page, rows.first().locator('a.row-title'), { path: `/admin/articles/${articleId}`, where: 'open from the list' });
        await editorReady(page, 'in review');
        assert.equal(await page.locator('#lock-notice').count(), 0, 'the contributor left, yet the article is locked');
        const offered = await actionsOf(page);
        for (const a of ['save', 'send_back', 'publish', 'schedule']) assert.ok(offered.includes(a), `an editor is not offered ${a}: ${offered}`);
        assert.equal(await page.locator('#f-note').count(), 1, 'no note field for sending back');

        // Through the form: a datetime-local field, to the minute, in the newsroom's
        // time zone (ten minutes ahead: the form cannot say seconds).
        const later = Date.now() + 10 * 60_000;
        const typed = localMinute(later);
        await page.locator('#f-publish_at').fill(typed);
        await submit(page, actionButton(page, 'schedule'), { path: `/admin/articles/${articleId}`, where: 'schedule' });
        assert.equal(await statusLabel(page), AR.status_scheduled, 'scheduled: status');
        assert.equal(await page.locator('#f-publish_at').inputValue(), typed, 'the form shows another time than the one typed');
        const scheduled = await apiArticle(page, articleId);
        assert.equal(scheduled.status, 'scheduled');
        assert.equal(
          Date.parse(scheduled.published_at),
          Math.floor(later / 60_000) * 60_000,
          `${typed} in ${TIME_ZONE} was taken as ${scheduled.published_at}`,
        );

        // Seconds with datetime-local would fail the field's step (60 s) and the
        // browser would not send the form: the write API moves it to two seconds
        // from now, with the session and its CSRF token.
        const at = Math.ceil((Date.now() + 2_000) / 1000) * 1000;
        const patched = await page.evaluate(
          async ({ url, publishAt }) => {
            const form = document.getElementById('article-form');
            const res = await fetch(url, {
              method: 'PATCH',
              credentials: 'same-origin',
              headers: {
                'content-type': 'application/json',
                accept: 'application/json',
                'x-csrf-token': form.querySelector('input[name="csrf"]').value,
              },
              body: JSON.stringify({
                status: 'scheduled',
                publish_at: publishAt,
                revision: Number(form.querySelector('input[name="revision"]').value),
              }),
            });
            return { status: res.status, body: await res.text() };
          },
          { url: `${base}/api/v1/articles/${articleId}`, publishAt: new Date(at).toISOString().replace('.000Z', 'Z') },
        );
        assert.equal(patched.status, 200, `PATCH /api/v1/articles/${articleId}: ${patched.body.slice(0, 500)}`);
        const soon = JSON.parse(patched.body);
        assert.equal(soon.status, 'scheduled', 'two seconds ahead: not scheduled');
        assert.equal(Date.parse(soon.published_at), at, `publish_at sent ${new Date(at).toISOString()}, stored ${soon.published_at}`);
        publicUrl = onTestServer(soon.url);
        t.diagnostic(`public url ${publicUrl}, due ${new Date(at).toISOString()}`);
        dueAt = at;
        assertNoProblems(problems, `${vp.name}: list and schedule`);
        await leave(page);
      } finally {
        if (!page.isClosed()) await page.close();
      }
    });

    test('it goes live on its own at its time, not before', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      assert.ok(publicUrl && dueAt, 'nothing was scheduled');
      // A reader asking again and again; nobody touches the back office.
      const seen = [];
      const deadline = Date.now() + 20_000;
      let status;
      while (Date.now() < deadline) {
        const sent = Date.now();
        status = await readerStatus(publicUrl);
        seen.push({ status, sent, got: Date.now() });
        if (status === 200) break;
        await sleep(250);
      }
      const last = seen[seen.length - 1];
      t.diagnostic(`${seen.length} requests; live ${last.got - dueAt} ms after its time`);
      assert.equal(status, 200, `${publicUrl} did not go live within 20 s (statuses ${[...new Set(seen.map((s) => s.status))]})`);
      for (const s of seen.slice(0, -1)) assert.equal(s.status, 404, `before it was live ${publicUrl} answered ${s.status}`);
      // A second's rounding aside, not before its time.
      assert.ok(last.got >= dueAt - 50, `live ${dueAt - last.got} ms before its time`);
      assert.ok(seen.length > 1 || last.sent >= dueAt - 1000, 'it was already live when the polling began');
    });

    test('on the site every block is laid out by its own language, image with caption, nothing overflows', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { page, problems } = await openPage(reader);
      try {
        await goto(page, publicUrl);
        await assertDirection(page, 'ar', 'rtl', `${vp.name}: public article`, { attribute: true });
        assert.equal((await page.locator('.story h1').innerText()).trim(), T.headline, 'public: headline');
        assert.equal((await page.locator('.story .standfirst').innerText()).trim(), T.standfirst2, 'public: standfirst');
        assert.equal(await page.locator('.preview-banner').count(), 0, 'public: a preview banner on the live page');
        const blocks = await bodyBlocks(page, '.story .body', [T.p1, T.h2, T.linkText, T.en, T.caption]);
        assert.deepEqual(
          blocks.map((b) => [b.tag, b.dir, b.direction]),
          [
            ['p', 'auto', 'rtl'],
            ['h2', 'auto', 'rtl'],
            ['p', 'auto', 'rtl'],
            ['p', 'auto', 'ltr'],
            ['figure', 'auto', 'rtl'],
          ],
          `public: the blocks written (tag, dir, direction): ${JSON.stringify(blocks)}`,
        );
        const link = page.locator('.story .body a', { hasText: T.linkText });
        assert.equal(await link.count(), 1, 'public: the link');
        assert.equal(await link.getAttribute('href'), T.href, 'public: the link\'s address');
        const figure = page.locator('.story .body figure', { has: page.locator('figcaption') });
        assert.equal(await figure.count(), 1, 'public: no figure with a figcaption in the body');
        assert.equal((await figure.locator('figcaption').innerText()).trim(), T.caption, 'public: the caption');
        const img = figure.locator('img');
        assert.equal(await img.getAttribute('alt'), T.imgAlt, 'public: the image\'s alt');
        await img.scrollIntoViewIfNeeded();
        await until(() => img.evaluate((el) => el.complete && el.naturalWidth > 0), Boolean, { timeout: 10_000, what: 'public: the image loads' });
        await page.evaluate(() => window.scrollTo(0, 0));
        await settle(page);
        await shot(page, `newsroom-public-${W}.png`);
        await assertNoHorizontalOverflow(page, `${vp.name}: public article`, { width: vp.size.width });
        const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert.ok(widths[0] <= widths[1], `public: scrollWidth ${widths[0]} > innerWidth ${widths[1]}`);
        assertNoProblems(problems, `${vp.name}: public article`);
      } finally {
        await page.close();
      }
    });

    test('the revisions screen lists every save, and one shows a word-level diff', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { page, problems } = await openPage(editor);
      try {
        await goto(page, `${base}/admin/articles/${articleId}`);
        const revisionsLink = page.locator(`.page-head a[href="/admin/articles/${articleId}/revisions"]`);
        assert.equal((await revisionsLink.innerText()).trim(), AR.revisions);
        await submit(page, revisionsLink, { path: `/admin/articles/${articleId}/revisions`, where: 'revisions' });
        const listed = await page.locator('ol.revisions li.row a.row-title').allInnerTexts();
        const saves = vp.desktop ? 6 : 4; // save, submit, (send back, submit,) schedule, PATCH
        assert.equal(listed.length, saves, `revisions listed: ${JSON.stringify(listed)}`);
        assert.equal(await page.locator('ol.revisions .status', { hasText: AR.revision_current }).count(), 1, 'one revision is the current one');
        // The submit: the standfirst's one changed word.
        const second = page.locator('ol.revisions a.row-title', { hasText: AR.revision_n.replace('{n}', '2') });
        assert.equal(await second.count(), 1, `no link to revision 2 among ${JSON.stringify(listed)}`);
        await submit(page, second, { path: `/admin/articles/${articleId}/revisions/2`, where: 'revision 2' });
        assert.equal((await page.locator('main h1').innerText()).trim(), AR.revision_n.replace('{n}', '2'));
        const diff = page.locator('dl.diff dd.diff-standfirst');
        assert.equal(await diff.count(), 1, `revision 2: no standfirst diff in ${await page.locator('main').innerText()}`);
        assert.deepEqual(await diff.locator('del').allInnerTexts(), [T.removed], 'revision 2: deleted words');
        assert.deepEqual(await diff.locator('ins').allInnerTexts(), [T.added], 'revision 2: inserted words');
        assert.equal(await diff.getAttribute('dir'), 'auto');
        assert.equal(await diff.evaluate((el) => getComputedStyle(el).direction), 'rtl', 'revision 2: diff direction');
        await shot(page, `newsroom-revision-${W}.png`);
        await assertNoHorizontalOverflow(page, `${vp.name}: revision diff`, { width: vp.size.width });
        assertNoProblems(problems, `${vp.name}: revisions`);
      } finally {
        await page.close();
      }
    });

    if (vp.desktop) {
      test('a second editor sees the edit lock, takes over, and the first editor\'s form stops', { timeout: TEST_TIMEOUT_MS }, async () => {
        await signInAs(editor2, vp.editor2, `${vp.name}: second editor`);
        const first = await openPage(editor);
        const second = await openPage(editor2);
        try {
          // The first editor's heartbeat runs every 20 s: their page's clock is
          // driven by the test instead of waited for.
          await first.page.clock.install();
          await goto(first.page, `${base}/admin/articles/${articleId}`);
          assert.equal(await first.page.locator('#lock-notice').count(), 0, 'the first editor finds the article locked');
          const lockEvery = Number(await first.page.locator('#article-form').getAttribute('data-lock-every'));
          assert.ok(lockEvery > 0, 'the form has no heartbeat interval');

          await goto(second.page, `${base}/admin/articles/${articleId}`);
          const notice = second.page.locator('#lock-notice');
          assert.ok(await notice.isVisible(), 'the second editor is not told someone has the article open');
          assert.equal(
            (await notice.locator('.notice-title').innerText()).trim(),
            AR.locked_title.replace('{name}', vp.editor.name),
            'the lock notice does not name the first editor',
          );
          await shot(second.page, `newsroom-lock-${W}.png`);
          const takeOver = notice.locator(`form[action="/admin/articles/${articleId}/take-over"] button[type="submit"]`);
          assert.equal((await takeOver.innerText()).trim(), AR.take_over);
          const { url } = await submit(second.page, takeOver, { path: `/admin/articles/${articleId}`, where: 'take over' });
          assert.equal(url.searchParams.get('done'), 'taken_over');
          assert.equal(await second.page.locator('#lock-notice').count(), 0, 'after taking over, the lock notice is still there');

          // The first editor's next heartbeat: the lock is gone, and so is saving.
          const status = first.page.locator('#autosave-status');
          await first.page.clock.runFor(lockEvery + 500);
          const lost = AR.lock_lost.replace('{name}', vp.editor2.name);
          await until(async () => (await status.innerText()).trim(), (s) => s === lost, { timeout: 10_000, what: 'the lock-lost message' });
          const buttons = await first.page.locator('button[name="action"]').evaluateAll((bs) => bs.map((b) => [b.value, b.disabled]));
          assert.ok(buttons.length > 0);
          assert.deepEqual(buttons.filter(([, disabled]) => !disabled), [], 'action buttons still enabled after the lock was lost');
          await shot(first.page, `newsroom-lock-lost-${W}.png`);
          assertNoProblems(first.problems, 'first editor');
          assertNoProblems(second.problems, 'second editor');
        } finally {
          await first.page.close();
          await second.page.close();
        }
      });
    }
  });
}
