// The article form's helpers, for when JavaScript runs (the form works
// without): an autosaved copy of the fields every few seconds when they
// changed, and the edit lock kept while the form is open. Strings come from
// the page (data-l-*), answers from the server.
(function () {
  'use strict';
  const form = document.getElementById('article-form');
  if (!form) return;
  const status = document.getElementById('autosave-status');
  const csrf = form.querySelector('input[name="csrf"]').value;
  const AUTOSAVE_EVERY = 5000;

  function fields() {
    const data = new URLSearchParams(new FormData(form));
    data.delete('action');
    return data;
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'accept': 'application/json' },
    }).then((r) => r.ok ? r.json() : Promise.reject(r.status));
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  // ---- autosave: only what differs from the last copy kept
  let last = fields().toString();
  let submitting = false;
  function autosave() {
    if (submitting || form.dataset.locked) return;
    const now = fields();
    const text = now.toString();
    if (text === last) return;
    post(form.dataset.autosave, now)
      .then((answer) => { last = text; say(answer.message); })
      .catch(() => say(form.dataset.lAutosaveFailed));
  }
  setInterval(autosave, AUTOSAVE_EVERY);

  // ---- the edit lock: reported while open; lost when someone takes over
  function lockLost(answer) {
    form.dataset.locked = '1';
    say(answer.message);
    form.querySelectorAll('button[name="action"]').forEach((b) => { b.disabled = true; });
    // Said where it is seen, above the form, not only beside the buttons.
    const notice = document.createElement('div');
    notice.className = 'notice notice-error';
    notice.id = 'lock-lost';
    notice.setAttribute('role', 'alert');
    notice.textContent = answer.message;
    form.before(notice);
  }
  if (form.dataset.lock && !form.dataset.locked) {
    const every = Number(form.dataset.lockEvery) || 20000;
    setInterval(() => {
      if (form.dataset.locked) return;
      const body = new URLSearchParams({ csrf });
      post(form.dataset.lock, body)
        .then((answer) => { if (!answer.held) lockLost(answer); })
        .catch(() => {});
    }, every);
    window.addEventListener('pagehide', () => {
      if (submitting || form.dataset.locked) return;
      navigator.sendBeacon(form.dataset.release, new URLSearchParams({ csrf }));
    });
  }
  // A save leaves the page; the preview button opens another tab and does not.
  form.addEventListener('submit', (e) => {
    if (!(e.submitter && e.submitter.formTarget === '_blank')) submitting = true;
  });
})();
