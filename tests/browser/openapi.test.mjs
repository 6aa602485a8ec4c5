// The OpenAPI document at /api/openapi.json, checked by a validator that is not the
// code that made it (utoipa): @seriousme/openapi-schema-validator holds it against
// the OpenAPI 3.1 JSON schema and checks that every $ref resolves. Then the document
// is held against the server: each GET path it lists must be routed and must not
// fail, so a path renamed in the router but not in the annotations shows here.
//
// Run from the repo root with `node --test tests/browser/` (or tests/browser/run.sh).
// Starts its own warraq server with the demo newsroom on a fresh SQLite file; no
// browser. Env: WARRAQ_BIN, as in harness.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { cleanUp, run, serverLogTail, startServer } from './harness.mjs';

const ADMIN = { email: 'api@example.com', name: 'API check', password: 'a token for the document check' };

let tmp; // temp dir holding the SQLite file
let base; // http://127.0.0.1:PORT
let token; // an admin's API token, for the operations that take no anonymous caller
let doc; // the document, as the server gives it

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'warraq-openapi-'));
  const dbUrl = `sqlite://${path.join(tmp, 'site.db')}`;
  // /api/v1/audit is for admins only: without credentials it answers 401, which
  // says nothing about whether it works. The account and its token are made before
  // the server starts: this file checks the document, not the command line next to
  // a running server (admin.test.mjs does that).
  await run(
    ['user', 'add', '--database', dbUrl, '--email', ADMIN.email, '--name', ADMIN.name, '--role', 'admin', '--password-stdin'],
    `${ADMIN.password}\n`,
  );
  // The token is printed alone on the last line.
  const out = await run(['token', 'create', '--database', dbUrl, '--user', ADMIN.email, '--name', 'openapi check']);
  token = out.trim().split('\n').pop().trim();
  assert.ok(token && !/\s/.test(token), `no token in the output of warraq token create:\n${out}`);
  base = await startServer(dbUrl);
});

after(() => cleanUp({ tmp }));

// The operation's `security`: anonymous callers are allowed when it is absent or
// lists an empty requirement ({}), as utoipa writes "public, or with a token".
function anonymousAllowed(op, document) {
  const security = op.security ?? document.security;
  return !security || security.some((req) => Object.keys(req).length === 0);
}

async function get(urlPath, { auth = false } = {}) {
  const headers = auth ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${base}${urlPath}`, { headers });
  const body = await res.text();
  return { status: res.status, body };
}

function failure(what, { status, body }) {
  const tail = status >= 500 ? `\n  server log (tail):\n${serverLogTail()}` : '';
  return `${what} answered ${status}: ${body.slice(0, 500)}${tail}`;
}

describe('the OpenAPI document', () => {
  test('/api/openapi.json is a valid OpenAPI 3.1 document', async (t) => {
    const res = await fetch(`${base}/api/openapi.json`);
    assert.equal(res.status, 200, 'GET /api/openapi.json');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, 'content type');
    doc = await res.json();
    assert.equal(doc.openapi, '3.1.0', 'openapi version');
    const validator = new Validator();
    const result = await validator.validate(doc);
    t.diagnostic(`validated as OpenAPI ${validator.version}: ${Object.keys(doc.paths ?? {}).length} paths`);
    assert.ok(result.valid, `the document does not validate:\n${JSON.stringify(result.errors, null, 2)}`);
  });

  test('every documented GET path without path parameters answers 200 or 400', async (t) => {
    assert.ok(doc, 'no document from the first test');
    const checked = [];
    const wrong = [];
    for (const [urlPath, item] of Object.entries(doc.paths)) {
      const op = item.get;
      if (!op || urlPath.includes('{')) continue;
      // Required query parameters are left out on purpose: a 400 for them is the
      // documented answer, a 404 or 500 never is.
      const auth = !anonymousAllowed(op, doc);
      const answer = await get(urlPath, { auth });
      checked.push(`${urlPath}${auth ? ' (token)' : ''} ${answer.status}`);
      if (answer.status !== 200 && answer.status !== 400) wrong.push(failure(`GET ${urlPath}`, answer));
    }
    t.diagnostic(`checked: ${checked.join(', ')}`);
    assert.ok(checked.length > 0, 'the document lists no GET path without path parameters');
    assert.deepEqual(wrong, [], `documented paths that do not work:\n  ${wrong.join('\n  ')}`);
  });

  test('/api/v1/articles/{id} answers 200 for article 1', async () => {
    assert.ok(doc, 'no document from the first test');
    assert.ok(doc.paths['/api/v1/articles/{id}']?.get, 'the document has no GET /api/v1/articles/{id}');
    const answer = await get('/api/v1/articles/1');
    assert.equal(answer.status, 200, failure('GET /api/v1/articles/1', answer));
    assert.equal(JSON.parse(answer.body).id, 1, 'GET /api/v1/articles/1: id of the article');
  });
});
