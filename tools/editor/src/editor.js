// warraq's body editor: progressive enhancement of the article form's body
// textarea with Tiptap 3. Built by ../build.sh into themes/admin/static/editor.js
// (one IIFE, no other file loaded at run time, no inline script or style: the
// page's CSP can be script-src 'self').
//
// The textarea stays the form's field: the editor writes its HTML back into it
// on every change and once more when the form is submitted, and the HTML source
// mode simply shows it. Without JavaScript, or when anything here fails, the
// textarea is what the page shows.
//
// Paragraphs, headings and list items carry dir="auto" (Tiptap's core
// `textDirection: 'auto'`, narrowed as the comment above ParagraphDir says), so
// the browser, here and on the site, lays out each by its own first strong
// letter: an English paragraph inside an Arabic article runs left to right.
//
// Interface strings come from the mount element's data-l-* attributes, which the
// template fills from themes/admin/locales/*.toml (editor_* keys).

import { Editor, Extension, Node, getHTMLFromFragment } from '@tiptap/core';
import { Fragment } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import Document from '@tiptap/extension-document';
import Paragraph from '@tiptap/extension-paragraph';
import Text from '@tiptap/extension-text';
import Heading from '@tiptap/extension-heading';
import Bold from '@tiptap/extension-bold';
import Italic from '@tiptap/extension-italic';
import Blockquote from '@tiptap/extension-blockquote';
import HardBreak from '@tiptap/extension-hard-break';
import { BulletList, ListItem, ListKeymap, OrderedList } from '@tiptap/extension-list';
import Link from '@tiptap/extension-link';
import Image from '@tiptap/extension-image';
import { Dropcursor, Gapcursor, UndoRedo } from '@tiptap/extensions';
import './editor.css';

// ---------------------------------------------------------------------------
// URLs

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

// A link or image address the toolbar accepts: http(s), or relative to the site.
// Returns the address to use (a bare "example.org/x" gets https://), or null.
export function acceptUrl(input) {
  const url = (input || '').trim();
  if (!url || /[\s<>"]/.test(url)) return null;
  if (SCHEME.test(url)) return /^https?:\/\/[^/?#\s]+/i.test(url) ? url : null;
  if (url.startsWith('//')) return null;
  if (/^[/?#.]/.test(url)) return url;
  // "example.org/path": a host without its scheme.
  if (/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+(:\d+)?([/?#]|$)/u.test(url)) return `https://${url}`;
  return null;
}

// What links already in a body may point to (what the server's sanitiser keeps),
// so that opening an article does not drop its mailto: and tel: links.
function storedUrlAllowed(url) {
  if (!url) return false;
  if (!SCHEME.test(url)) return true;
  return /^(https?|mailto|tel):/i.test(url);
}

// The video pages the server turns into a player (crates/warraq/src/render/
// shortcodes/media.rs, `player`): YouTube watch pages and youtu.be, Vimeo.
export function acceptEmbed(input) {
  const url = (input || '').trim();
  const m = url.match(/^https?:\/\/([^/?#]+)(\/[^\s]*)?$/i);
  if (!m) return null;
  const host = m[1].toLowerCase().replace(/^www\./, '').replace(/^m\./, '');
  const path = (m[2] || '').slice(1);
  const id = /^[A-Za-z0-9_-]+$/;
  if (host === 'youtube.com') {
    const q = path.startsWith('watch?') ? path.slice(6) : null;
    const v = q && q.split('&').find((kv) => kv.startsWith('v='));
    return v && id.test(v.slice(2)) ? url : null;
  }
  if (host === 'youtu.be') return id.test(path.split(/[?/]/)[0]) ? url : null;
  if (host === 'vimeo.com') return /^\d+$/.test(path.split(/[?/]/)[0]) ? url : null;
  return null;
}

// ---------------------------------------------------------------------------
// Pasted markup

// Word and Google Docs put their formatting in attributes and wrappers; the
// editor's schema keeps only what it knows, and this removes the rest first:
// Google's <b style="font-weight:normal" id="docs-internal-guid-…"> wrapper,
// Word's <o:p> and other namespaced elements, conditional comments, and every
// style, class, id, lang and dir (each block gets dir="auto" instead). Bold and
// italic that Google Docs writes as styled spans become <strong> and <em>.
export function cleanPastedHTML(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const body = doc.body;
  const unwrap = (el) => el.replaceWith(...el.childNodes);

  for (const el of [...body.querySelectorAll('[id^="docs-internal-guid"]')]) unwrap(el);
  for (const el of [...body.querySelectorAll('style, script, meta, link, title, xml, template')]) el.remove();
  for (const el of [...body.getElementsByTagName('*')]) {
    if (el.tagName.includes(':')) el.remove(); // <o:p>, <v:shape>, <w:…>
  }
  // Comments, among them Word's <!--[if !supportLists]--> and its <![if …]>.
  const walker = doc.createTreeWalker(body, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.remove();

  for (const span of [...body.querySelectorAll('span[style]')]) {
    const weight = span.style.fontWeight;
    const bold = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
    const italic = span.style.fontStyle === 'italic';
    let inner = span;
    for (const [on, tag] of [[bold, 'strong'], [italic, 'em']]) {
      if (!on) continue;
      const wrap = doc.createElement(tag);
      wrap.append(...inner.childNodes);
      inner.append(wrap);
      inner = wrap;
    }
  }
  for (const el of [...body.getElementsByTagName('*')]) {
    for (const name of el.getAttributeNames()) {
      if (/^(style|class|id|lang|dir|align|face|color|size|width|height|border|valign|data-.*|on.*|aria-.*)$/i.test(name)) {
        el.removeAttribute(name);
      }
    }
    if (el.tagName === 'IMG' && !acceptUrl(el.getAttribute('src') || '')) el.remove(); // file:///C:/…, data:
  }
  return body.innerHTML;
}

// ---------------------------------------------------------------------------
// Stored markup the schema cannot hold

// Tags the editor's schema round-trips. A body with anything else (a table, a
// <pre>, a <span lang>) opens in HTML source mode so that saving it unchanged
// loses nothing; the writer may still switch to the rich editor.
const KEPT_TAGS = new Set([
  'P', 'H2', 'H3', 'H4', 'H5', 'H6', 'STRONG', 'B', 'EM', 'I', 'A', 'BLOCKQUOTE',
  'UL', 'OL', 'LI', 'BR', 'IMG', 'FIGURE', 'FIGCAPTION',
]);

export function unsupportedMarkup(html) {
  const tpl = document.createElement('template');
  tpl.innerHTML = html;
  for (const el of tpl.content.querySelectorAll('*')) {
    const tag = el.tagName;
    if (KEPT_TAGS.has(tag)) {
      if (tag === 'FIGURE' && !el.querySelector('img')) return tag.toLowerCase();
      continue;
    }
    // A bare <span> or <div> only groups text: its content survives.
    if ((tag === 'SPAN' || tag === 'DIV') && el.attributes.length === 0) continue;
    return tag.toLowerCase();
  }
  return null;
}

// ---------------------------------------------------------------------------
// Schema

// An image with a caption: <figure><img src alt><figcaption>…</figcaption></figure>.
// The caption is the node's own content, edited in place.
const Figure = Node.create({
  name: 'figure',
  group: 'block',
  content: 'inline*',
  draggable: true,
  isolating: true,
  addAttributes() {
    const fromImg = (name) => ({
      default: null,
      parseHTML: (el) => el.querySelector('img')?.getAttribute(name) ?? null,
      renderHTML: () => ({}),
    });
    return { src: fromImg('src'), alt: fromImg('alt'), width: fromImg('width'), height: fromImg('height') };
  },
  parseHTML() {
    return [
      {
        tag: 'figure',
        getAttrs: (el) => (el.querySelector('img[src]') ? null : false),
        contentElement: (el) => el.querySelector('figcaption') || el.ownerDocument.createElement('figcaption'),
      },
    ];
  },
  renderHTML({ node, HTMLAttributes }) {
    const { src, alt, width, height } = node.attrs;
    const img = { src, alt: alt ?? '' };
    if (width) img.width = width;
    if (height) img.height = height;
    return ['figure', HTMLAttributes, ['img', img], ['figcaption', 0]];
  },
});

// Where dir="auto" goes. Tiptap's textDirection puts it on every node, but a
// dir="auto" element takes its direction from its own text *skipping descendants
// that have a dir attribute*: an <li dir="auto"> whose <p> has dir="auto" too, or
// a <ul dir="auto"> of such items, finds no letter and comes out left to right
// (bullets and the quote bar on the left of Arabic text). So: dir="auto" on each
// paragraph, heading, list item and figure; none on lists and quotations (they
// follow the article, their paragraphs their own language) nor on the paragraph
// that is a list item's text (it follows its item). An explicit ltr or rtl stays.
// '' is "no dir": Tiptap drops a null from a parsed attribute and keeps the global
// 'auto', it keeps an empty string, and renders nothing for it.
const NO_DIR = '';
const explicitDir = (el) => {
  const d = (el.getAttribute('dir') || '').toLowerCase();
  return d === 'ltr' || d === 'rtl' ? d : null;
};
const containerDir = {
  dir: {
    default: NO_DIR,
    parseHTML: (el) => explicitDir(el) ?? NO_DIR,
    renderHTML: (attrs) => (attrs.dir ? { dir: attrs.dir } : {}),
  },
};
const ParagraphDir = Paragraph.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      dir: {
        default: 'auto',
        parseHTML: (el) => explicitDir(el) ?? (el.parentElement?.tagName === 'LI' ? NO_DIR : 'auto'),
        renderHTML: (attrs) => (attrs.dir ? { dir: attrs.dir } : {}),
      },
    };
  },
});
const withContainerDir = (ext) =>
  ext.extend({
    addAttributes() {
      return { ...this.parent?.(), ...containerDir };
    },
  });

// Keeps that rule through edits: a paragraph made a list item's text loses its
// dir="auto", one lifted out of a list gets it back.
const DirRule = Extension.create({
  name: 'warraqDirRule',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('warraqDirRule'),
        appendTransaction: (transactions, _old, state) => {
          if (!transactions.some((tr) => tr.docChanged)) return null;
          const tr = state.tr;
          state.doc.descendants((node, pos, parent) => {
            let want = null;
            if (node.type.name === 'paragraph') {
              const inItem = parent?.type.name === 'listItem';
              if (inItem && node.attrs.dir === 'auto') want = NO_DIR;
              if (!inItem && node.attrs.dir === NO_DIR) want = 'auto';
            } else if (['bulletList', 'orderedList', 'blockquote'].includes(node.type.name) && node.attrs.dir === 'auto') {
              want = NO_DIR;
            }
            if (want !== null) tr.setNodeMarkup(pos, undefined, { ...node.attrs, dir: want });
          });
          return tr.steps.length ? tr : null;
        },
      }),
    ];
  },
});

// The language of a block (lang="en" on one paragraph), kept as stored.
const BlockLang = Extension.create({
  name: 'blockLang',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph', 'heading', 'blockquote', 'listItem', 'bulletList', 'orderedList', 'figure'],
        attributes: {
          lang: {
            default: null,
            parseHTML: (el) => el.getAttribute('lang') || null,
            renderHTML: (attrs) => (attrs.lang ? { lang: attrs.lang } : {}),
          },
        },
      },
    ];
  },
});

// Ctrl/Cmd+K opens the link dialog, Alt+F10 moves to the toolbar.
const Shortcuts = Extension.create({
  name: 'warraqShortcuts',
  addOptions() {
    return { link: () => false, toolbar: () => false };
  },
  addKeyboardShortcuts() {
    return {
      'Mod-k': () => this.options.link(),
      'Alt-F10': () => this.options.toolbar(),
    };
  },
});

// ---------------------------------------------------------------------------
// DOM helpers

const SVG = 'http://www.w3.org/2000/svg';
const RTL_LANGS = /^(ar|arc|ckb|dv|fa|he|ks|ku|ps|sd|ug|ur|yi)(-|$)/i;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children);
  return node;
}

// A 20×20 icon from path data (stroked) and optional filled shapes.
function icon(paths, { fill = [], mirror = false } = {}) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', mirror ? 'ed-icon ed-mirror' : 'ed-icon');
  for (const d of paths) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  for (const d of fill) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    p.setAttribute('class', 'ed-fill');
    svg.append(p);
  }
  return svg;
}

const ICONS = {
  link: () => icon(['M8.5 11.5l3-3', 'M9 6.5l1.5-1.5a3 3 0 0 1 4.5 4.5L13.5 11', 'M11 13.5L9.5 15A3 3 0 0 1 5 10.5L6.5 9']),
  bulletList: () =>
    icon(['M8 5.5h9', 'M8 10h9', 'M8 14.5h9'], {
      fill: ['M3 5.5a1.3 1.3 0 1 0 2.6 0a1.3 1.3 0 1 0-2.6 0', 'M3 10a1.3 1.3 0 1 0 2.6 0a1.3 1.3 0 1 0-2.6 0', 'M3 14.5a1.3 1.3 0 1 0 2.6 0a1.3 1.3 0 1 0-2.6 0'],
      mirror: true,
    }),
  orderedList: () => icon(['M8 5.5h9', 'M8 10h9', 'M8 14.5h9', 'M3 4l1.2-.8V7.5', 'M2.8 9.2a1 1 0 0 1 1.9.4c0 .8-1.9 1.6-1.9 2.4h2'], { mirror: true }),
  image: () => icon(['M3 4.5h14v11H3z', 'M3 13l4-4 3.5 3.5L13 10l4 4'], { fill: ['M12 7.2a1.2 1.2 0 1 0 2.4 0a1.2 1.2 0 1 0-2.4 0'] }),
  embed: () => icon(['M2.5 4.5h15v11h-15z'], { fill: ['M8.2 7.2v5.6L13 10z'] }),
};

// ---------------------------------------------------------------------------
// The editor

function mount(root) {
  const textarea = document.getElementById(root.getAttribute('data-for'));
  if (!textarea || root.dataset.mounted) return;
  const form = textarea.form;
  const L = (key) => root.getAttribute(`data-l-${key}`) || key;
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const hint = document.getElementById('hint-' + textarea.id.replace(/^f-/, ''));
  const sourceHint = hint ? hint.textContent : '';

  // ---- the dialog for links, images and embeds (outside the form: no nesting)
  const dialog = el('dialog', { class: 'ed-dialog', 'aria-labelledby': 'ed-dialog-title' });
  document.body.append(dialog);

  // fields: [{name, label, hint, dir, value, type}]; check(values) returns an
  // error message or null; resolves to the values, or null when cancelled.
  function ask(title, fields, check) {
    return new Promise((resolve) => {
      const f = el('form', { method: 'dialog', class: 'ed-dialog-form', novalidate: true });
      const error = el('p', { class: 'ed-dialog-error', role: 'alert', id: 'ed-dialog-error' });
      f.append(el('h2', { id: 'ed-dialog-title', class: 'ed-dialog-title' }, title));
      const inputs = {};
      for (const spec of fields) {
        const id = `ed-field-${spec.name}`;
        const hintId = spec.hint ? `${id}-hint` : null;
        const input = el('input', {
          id,
          name: spec.name,
          type: spec.type || 'text',
          dir: spec.dir || 'auto',
          value: spec.value || '',
          autocomplete: 'off',
          spellcheck: spec.dir === 'ltr' ? 'false' : null,
          autocapitalize: spec.dir === 'ltr' ? 'none' : null,
          inputmode: spec.type === 'url' ? 'url' : null,
          'aria-describedby': [hintId, 'ed-dialog-error'].filter(Boolean).join(' '),
        });
        inputs[spec.name] = input;
        const field = el('div', { class: 'field' }, el('label', { for: id }, spec.label), input);
        if (spec.hint) field.append(el('p', { class: 'hint', id: hintId }, spec.hint));
        f.append(field);
      }
      const ok = el('button', { type: 'submit', class: 'button button-primary', value: 'ok' }, L('ok'));
      const cancel = el('button', { type: 'button', class: 'button', value: 'cancel' }, L('cancel'));
      f.append(error, el('div', { class: 'actions' }, ok, cancel));
      dialog.replaceChildren(f);

      let done = false;
      const finish = (value) => {
        if (done) return;
        done = true;
        if (dialog.open) dialog.close();
        resolve(value);
        editor.commands.focus();
      };
      f.addEventListener('submit', (e) => {
        e.preventDefault();
        const values = Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value.trim()]));
        const problem = check(values);
        if (problem) {
          error.textContent = problem.message;
          inputs[problem.field]?.setAttribute('aria-invalid', 'true');
          inputs[problem.field]?.focus();
          return;
        }
        finish(values);
      });
      cancel.addEventListener('click', () => finish(null));
      dialog.addEventListener('close', () => finish(null), { once: true });
      dialog.showModal();
      inputs[fields[0].name].focus();
      inputs[fields[0].name].select();
    });
  }

  // ---- actions
  const run = () => editor.chain().focus();

  async function editLink() {
    const current = editor.getAttributes('link').href || '';
    const values = await ask(L('link'), [{ name: 'href', label: L('url'), hint: L('link-hint'), dir: 'ltr', type: 'url', value: current }], ({ href }) =>
      href && !acceptUrl(href) ? { field: 'href', message: L('bad-url') } : null,
    );
    if (!values) return;
    if (!values.href) {
      run().extendMarkRange('link').unsetLink().run();
      return;
    }
    const href = acceptUrl(values.href);
    if (editor.state.selection.empty && !editor.isActive('link')) {
      // Nothing selected: the address itself becomes the link's text.
      run().insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    } else {
      run().extendMarkRange('link').setLink({ href }).run();
    }
  }

  async function insertImage() {
    const values = await ask(
      L('image'),
      [
        { name: 'src', label: L('image-url'), dir: 'ltr', type: 'url' },
        { name: 'alt', label: L('alt'), hint: L('alt-hint') },
        { name: 'caption', label: L('caption') },
      ],
      ({ src, alt }) => {
        if (!acceptUrl(src)) return { field: 'src', message: L('bad-url') };
        if (!alt) return { field: 'alt', message: L('alt-required') };
        return null;
      },
    );
    if (!values) return;
    const attrs = { src: acceptUrl(values.src), alt: values.alt };
    if (values.caption) {
      run().insertContent({ type: 'figure', attrs, content: [{ type: 'text', text: values.caption }] }).run();
    } else {
      run().insertContent({ type: 'paragraph', content: [{ type: 'image', attrs }] }).run();
    }
  }

  async function insertEmbed() {
    const values = await ask(L('embed'), [{ name: 'url', label: L('embed-url'), hint: L('embed-hint'), dir: 'ltr', type: 'url' }], ({ url }) =>
      acceptEmbed(url) ? null : { field: 'url', message: L('bad-embed') },
    );
    if (!values) return;
    run().insertContent({ type: 'paragraph', content: [{ type: 'text', text: `[embed]${acceptEmbed(values.url)}[/embed]` }] }).run();
  }

  // ---- toolbar
  // [name, label key, content, command, isActive]
  const BUTTONS = [
    ['paragraph', 'paragraph', () => '¶', () => run().setParagraph().run(), () => editor.isActive('paragraph') && !editor.isActive('listItem') && !editor.isActive('blockquote')],
    ['h2', 'h2', () => 'H2', () => run().toggleHeading({ level: 2 }).run(), () => editor.isActive('heading', { level: 2 })],
    ['h3', 'h3', () => 'H3', () => run().toggleHeading({ level: 3 }).run(), () => editor.isActive('heading', { level: 3 })],
    ['bold', 'bold', () => el('b', {}, 'B'), () => run().toggleBold().run(), () => editor.isActive('bold')],
    ['italic', 'italic', () => el('i', {}, 'I'), () => run().toggleItalic().run(), () => editor.isActive('italic')],
    ['link', 'link', ICONS.link, editLink, () => editor.isActive('link')],
    ['quote', 'quote', () => '“', () => run().toggleBlockquote().run(), () => editor.isActive('blockquote')],
    ['bulletList', 'bullet-list', ICONS.bulletList, () => run().toggleBulletList().run(), () => editor.isActive('bulletList')],
    ['orderedList', 'ordered-list', ICONS.orderedList, () => run().toggleOrderedList().run(), () => editor.isActive('orderedList')],
    ['image', 'image', ICONS.image, insertImage, null],
    ['embed', 'embed', ICONS.embed, insertEmbed, null],
    ['source', 'source', () => el('span', { dir: 'ltr' }, '</>'), () => setSource(!sourceMode), () => sourceMode],
  ];

  const toolbar = el('div', { class: 'ed-toolbar', role: 'toolbar', 'aria-label': L('toolbar'), 'aria-controls': 'body-editor-area' });
  const buttons = [];
  for (const [name, key, content, command, active] of BUTTONS) {
    const b = el('button', {
      type: 'button', // inside the article form: never a submit button
      class: `ed-button ed-${name}`,
      'data-command': name,
      'aria-label': L(key),
      title: L(key),
      tabindex: '-1',
    });
    b.append(content());
    if (active) b.setAttribute('aria-pressed', 'false');
    // Keep the editor's selection when a button is pressed with the mouse.
    b.addEventListener('mousedown', (e) => e.preventDefault());
    b.addEventListener('click', () => {
      focusIndex = buttons.indexOf(b);
      command();
      refresh();
    });
    b.active = active;
    buttons.push(b);
    toolbar.append(b);
    if (name === 'italic' || name === 'link' || name === 'orderedList' || name === 'embed') {
      toolbar.append(el('span', { class: 'ed-sep', 'aria-hidden': 'true' }));
    }
  }

  // One tab stop for the whole toolbar; arrow keys move along it (right to left
  // in an rtl page), Home and End jump, Escape returns to the text.
  let focusIndex = 0;
  const usable = () => buttons.filter((b) => !b.disabled);
  function moveFocus(to) {
    const list = usable();
    if (!list.length) return;
    const target = list[(to + list.length) % list.length];
    for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
    focusIndex = buttons.indexOf(target);
    target.focus();
  }
  toolbar.addEventListener('keydown', (e) => {
    const list = usable();
    const at = list.indexOf(document.activeElement);
    if (at < 0) return;
    const rtl = getComputedStyle(toolbar).direction === 'rtl';
    const next = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, ArrowDown: 1, ArrowUp: -1 }[e.key];
    if (next) moveFocus(at + next);
    else if (e.key === 'Home') moveFocus(0);
    else if (e.key === 'End') moveFocus(list.length - 1);
    else if (e.key === 'Escape' && !sourceMode) editor.commands.focus();
    else return;
    e.preventDefault();
  });
  toolbar.addEventListener('focusin', (e) => {
    const i = buttons.indexOf(e.target);
    if (i >= 0) focusIndex = i;
  });

  // ---- the editing area
  const area = el('div', { class: 'ed-area' });
  const notice = el('p', { class: 'notice notice-warn ed-notice', role: 'status', hidden: true });
  root.append(toolbar, notice, area);

  // The article's language is the form's lang select (or the textarea's lang).
  const langField = form?.elements.namedItem('lang');
  function articleDir() {
    const lang = (langField && 'value' in langField && langField.value) || textarea.lang || document.documentElement.lang || '';
    const rtl = RTL_LANGS.test(lang) || (!lang && document.documentElement.dir === 'rtl');
    return lang ? { lang, dir: rtl ? 'rtl' : 'ltr' } : { dir: rtl ? 'rtl' : 'ltr' };
  }
  langField?.addEventListener?.('change', () => {
    if (textarea.lang || langField.value) textarea.lang = langField.value;
    editor.view.dispatch(editor.state.tr.setMeta('addToHistory', false));
  });

  const initial = textarea.value;
  const lost = initial.trim() ? unsupportedMarkup(initial) : null;
  let sourceMode = false;
  let editor = null; // set once Tiptap has built it: refresh() runs on its first transactions

  editor = new Editor({
    element: area,
    injectCSS: false, // editor.css has Tiptap's rules: no <style> element, no inline style
    textDirection: 'auto',
    content: lost ? '' : initial,
    extensions: [
      Document,
      ParagraphDir,
      Text,
      Heading.configure({ levels: [2, 3, 4, 5, 6] }),
      Bold,
      Italic,
      withContainerDir(Blockquote),
      HardBreak.extend({ renderHTML: () => ['br'] }),
      withContainerDir(BulletList),
      withContainerDir(OrderedList),
      ListItem,
      ListKeymap,
      Link.extend({
        addAttributes() {
          return { ...this.parent?.(), hreflang: { default: null } };
        },
      }).configure({
        openOnClick: false,
        autolink: false, // an autolinked mark is inclusive: the text typed after a link would join it
        linkOnPaste: true,
        defaultProtocol: 'https',
        HTMLAttributes: { target: null, rel: null, class: null },
        isAllowedUri: (url) => storedUrlAllowed(url),
      }),
      Image.extend({
        renderHTML({ HTMLAttributes }) {
          const { dir, ...rest } = HTMLAttributes; // an <img> has no text to give a direction to
          return ['img', rest];
        },
      }).configure({ inline: true, allowBase64: false }),
      Figure,
      BlockLang,
      DirRule,
      UndoRedo,
      Dropcursor,
      Gapcursor,
      Shortcuts.configure({
        link: () => {
          editLink();
          return true;
        },
        toolbar: () => {
          moveFocus(Math.max(0, usable().indexOf(buttons[focusIndex])));
          return true;
        },
      }),
    ],
    editorProps: {
      // A function, so that a change of the article's language re-sets them.
      attributes: () => ({
        id: 'body-editor-area',
        class: 'ed-content',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': (label && label.textContent.trim()) || L('area'),
        'aria-describedby': textarea.getAttribute('aria-describedby') || '',
        ...(textarea.getAttribute('aria-invalid') ? { 'aria-invalid': textarea.getAttribute('aria-invalid') } : {}),
        // The article's own direction, as the site sets it: what a block without a
        // dir of its own (a list, a quotation) follows. Overrides textDirection's
        // dir="auto" on this element, which would find no letter of its own.
        ...articleDir(),
      }),
      transformPastedHTML: cleanPastedHTML,
    },
    onUpdate: () => {
      if (!sourceMode) write();
    },
    onSelectionUpdate: () => refresh(),
    onTransaction: () => refresh(),
  });

  // ---- textarea <-> editor
  // The HTML, one top-level block a line: readable in source mode, and in the
  // stored body and its revisions.
  function html() {
    if (editor.isEmpty) return '';
    const blocks = [];
    editor.state.doc.forEach((node) => blocks.push(getHTMLFromFragment(Fragment.from(node), editor.schema)));
    return blocks.join('\n');
  }
  function write() {
    textarea.value = html();
  }
  // Source mode shows markup: left to right and in a monospace font, whatever
  // the article's language (the textarea's own dir="auto" comes back after).
  const textareaDir = textarea.getAttribute('dir');
  function showSource(on) {
    textarea.hidden = !on;
    textarea.classList.toggle('ed-code', on);
    if (on) textarea.setAttribute('dir', 'ltr');
    else if (textareaDir === null) textarea.removeAttribute('dir');
    else textarea.setAttribute('dir', textareaDir);
  }

  function setSource(on) {
    if (on === sourceMode) return;
    sourceMode = on;
    if (on) {
      write();
      area.hidden = true;
      showSource(true);
      if (hint) hint.textContent = sourceHint;
      textarea.focus();
    } else {
      editor.commands.setContent(textarea.value, { emitUpdate: false });
      write();
      showSource(false);
      area.hidden = false;
      notice.hidden = true;
      if (hint) hint.textContent = L('hint');
      editor.commands.focus('start');
    }
    root.classList.toggle('is-source', on);
    refresh();
  }

  function refresh() {
    if (!editor) return;
    for (const b of buttons) {
      const isSource = b.dataset.command === 'source';
      b.disabled = sourceMode && !isSource;
      if (b.active) b.setAttribute('aria-pressed', String(!b.disabled && Boolean(b.active())));
    }
    // Keep exactly one tab stop, on an enabled button.
    const list = usable();
    const stop = list.includes(buttons[focusIndex]) ? buttons[focusIndex] : list[0];
    for (const b of buttons) b.tabIndex = b === stop ? 0 : -1;
  }

  // The form posts the textarea; make sure it holds the editor's last state.
  form?.addEventListener('submit', () => {
    if (!sourceMode) write();
  }, true);
  form?.addEventListener('formdata', (e) => {
    if (!sourceMode) e.formData.set(textarea.name, textarea.value);
  });

  // The field's label and the error summary's link lead to the editor.
  const focusBody = (e) => {
    if (sourceMode) return;
    e.preventDefault();
    editor.commands.focus();
    area.scrollIntoView({ block: 'nearest' });
  };
  label?.addEventListener('click', focusBody);
  for (const a of document.querySelectorAll(`a[href="#${textarea.id}"]`)) a.addEventListener('click', focusBody);

  root.dataset.mounted = 'true';
  root.hidden = false;
  if (lost) {
    // Opened as HTML so that nothing is lost; the editor starts empty until asked.
    sourceMode = true;
    area.hidden = true;
    showSource(true);
    root.classList.add('is-source');
    notice.textContent = L('source-kept');
    notice.hidden = false;
  } else {
    textarea.hidden = true;
    if (hint) hint.textContent = L('hint');
    if (initial.trim()) write();
  }
  // The textarea sits after the mount point: in source mode it shows under the toolbar.
  refresh();
  root.editor = editor; // for the browser tests and the console
}

function start() {
  for (const root of document.querySelectorAll('.body-editor[data-for]')) {
    try {
      mount(root);
    } catch (err) {
      // Whatever went wrong, the plain textarea still works.
      const textarea = document.getElementById(root.getAttribute('data-for'));
      if (textarea) textarea.hidden = false;
      root.hidden = true;
      console.error('warraq editor:', err);
    }
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
