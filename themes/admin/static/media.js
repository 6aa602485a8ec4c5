// The media library in the article form: choose (or upload) the cover, and
// insert an image with its caption into the body. Talks to /api/v1/media
// with the session's cookie and CSRF token (the X-CSRF-Token header). The
// strings are the data-l-* attributes of #media-picker; without JavaScript
// the cover fields are typed and the library is at /admin/media.
(function () {
  'use strict';
  const root = document.getElementById('media-picker');
  if (!root) return;
  const L = (key) => root.getAttribute(`data-l-${key}`) || key;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : v);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };

  // The copy a chooser shows: the narrowest at least 320 wide in the
  // image's own format, else the image.
  const thumb = (m) => (m.sizes.find((s) => s.type === m.mime && s.width >= 320) || m).url;

  let dialog = null;
  // Opens the chooser; resolves to the chosen image's record, or null.
  function choose() {
    return new Promise((resolve) => {
      if (dialog) dialog.remove();
      dialog = el('dialog', { class: 'media-dialog', 'aria-labelledby': 'media-dialog-title' });
      const grid = el('ul', { class: 'media-grid media-grid-pick' });
      const status = el('p', { class: 'media-status', role: 'status' });
      const q = el('input', { type: 'search', dir: 'auto', id: 'media-q' });
      const search = el('form', { class: 'media-search', role: 'search' },
        el('label', { for: 'media-q' }, L('search')), q,
        el('button', { type: 'submit', class: 'button button-small' }, L('search-button')));
      let done = false;
      const finish = (value) => {
        if (done) return;
        done = true;
        if (dialog.open) dialog.close();
        resolve(value);
      };

      async function load() {
        status.textContent = '';
        const r = await fetch(`/api/v1/media?q=${encodeURIComponent(q.value.trim())}`, { credentials: 'same-origin' });
        const body = await r.json().catch(() => ({}));
        grid.replaceChildren();
        if (!r.ok) {
          status.textContent = body.error?.message || L('failed');
          return;
        }
        if (body.media.length === 0) status.textContent = L('empty');
        for (const m of body.media) {
          const pick = el('button', { type: 'button', class: 'media-choice', 'aria-label': `${L('choose')}: ${m.alt || m.title}` },
            el('img', { src: thumb(m), alt: '', width: m.width, height: m.height, loading: 'lazy' }));
          pick.addEventListener('click', () => finish(m));
          grid.append(el('li', { class: 'media-card' }, pick,
            el('p', { class: 'media-meta', dir: 'auto' }, m.alt || L('no-alt'))));
        }
      }
      search.addEventListener('submit', (e) => {
        e.preventDefault();
        load();
      });

      // Uploading from here: the same form as the library page's.
      const file = el('input', { type: 'file', id: 'media-file', accept: 'image/jpeg,image/png,image/webp,image/gif', required: true });
      const words = ['alt', 'caption', 'credit'].map((name) => [name, el('input', { type: 'text', dir: 'auto', id: `media-${name}`, name })]);
      const upload = el('form', { class: 'form media-upload' },
        el('h3', {}, L('upload')),
        el('div', { class: 'field' }, el('label', { for: 'media-file' }, L('file')), file),
        ...words.map(([name, input]) => el('div', { class: 'field' }, el('label', { for: input.id }, L(name)), input,
          name === 'alt' ? el('p', { class: 'hint' }, L('alt-hint')) : null)),
        el('button', { type: 'submit', class: 'button button-primary' }, L('upload-button')));
      upload.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (!file.files[0]) return;
        const data = new FormData();
        data.append('file', file.files[0]);
        for (const [name, input] of words) data.append(name, input.value.trim());
        status.textContent = L('uploading');
        const r = await fetch('/api/v1/media', { method: 'POST', body: data, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } });
        const body = await r.json().catch(() => ({}));
        if (r.ok) finish(body);
        else status.textContent = body.error?.message || L('failed');
      });

      const close = el('button', { type: 'button', class: 'button' }, L('close'));
      close.addEventListener('click', () => finish(null));
      dialog.append(el('h2', { id: 'media-dialog-title' }, L('title')), search, status, grid, upload, el('div', { class: 'actions' }, close));
      dialog.addEventListener('close', () => finish(null), { once: true });
      document.body.append(dialog);
      dialog.showModal();
      load();
    });
  }

  // The cover: its fields take the chosen image's address and words (words
  // already typed stay).
  const cover = document.querySelector('[data-media-cover]');
  const coverUrl = document.getElementById('f-cover_url');
  if (cover && coverUrl) {
    const preview = cover.querySelector('.cover-preview');
    const show = (src) => {
      preview.hidden = !src;
      if (src) preview.src = src;
    };
    show(coverUrl.value.startsWith('/media/') ? coverUrl.value : '');
    cover.hidden = false;
    cover.querySelector('[data-media-pick="cover"]').addEventListener('click', async () => {
      const m = await choose();
      if (!m) return;
      coverUrl.value = m.url;
      for (const [field, value] of [['f-cover_alt', m.alt], ['f-cover_caption', m.caption]]) {
        const input = document.getElementById(field);
        if (input && !input.value.trim()) input.value = value;
      }
      show(thumb(m));
      coverUrl.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }

  // The body: a figure with the image's size (no layout shift on the site)
  // and its caption, through the rich editor when it runs, else as HTML at
  // the textarea's cursor.
  const body = document.querySelector('[data-media-body]');
  const textarea = document.getElementById('f-body_html');
  if (body && textarea) {
    body.hidden = false;
    body.querySelector('[data-media-pick="body"]').addEventListener('click', async () => {
      const m = await choose();
      if (!m) return;
      const attrs = { src: m.url, alt: m.alt, width: m.width, height: m.height };
      const editor = document.getElementById('body-editor')?.editor;
      if (editor && !textarea.offsetParent) {
        editor.chain().focus().insertContent({ type: 'figure', attrs, content: m.caption ? [{ type: 'text', text: m.caption }] : [] }).run();
        return;
      }
      const img = el('img', attrs);
      const figure = el('figure', {}, img, el('figcaption', {}, m.caption));
      const at = textarea.selectionStart ?? textarea.value.length;
      textarea.setRangeText(`\n${figure.outerHTML}\n`, at, at, 'end');
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }
})();
