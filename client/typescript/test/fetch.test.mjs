// mcpcredFetch: the credential's headers on every request, and after a 401
// one forced refresh by the agent and one retry (body and headers kept).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { test } from 'node:test';

import { CredentialCache, LoginRequiredError, mcpcredFetch } from '../dist/index.js';
import { Sandbox, cleanups, randomSecret, rotatingToml, startDemoAgent, staticToml } from './harness.mjs';

const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * An HTTP server that answers 401 to every Bearer token in `rejected` (token
 * hashes), to requests without one, and to all while `refuseAll` is set; else
 * 200 with what it received. It logs each request as
 * { status, token (hash), body, custom header }.
 */
async function startServer() {
  const rejected = new Set();
  const control = { refuseAll: false };
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const status = token === undefined || rejected.has(hash(token)) || control.refuseAll ? 401 : 200;
      requests.push({ status, token: token && hash(token), body, custom: req.headers['x-custom'] });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? `ok ${body.length}` : 'unauthorized');
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}/api`,
    control,
    rejected,
    requests,
    close: () => new Promise((done) => server.close(done)),
  };
}

test('mcpcredFetch: headers, one forced refresh and one retry after a 401', { timeout: 60_000 }, async (t) => {
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const secret = sandbox.noteSecret(randomSecret());
  const rot = rotatingToml('rot', sandbox, { expiresIn: 600 });
  sandbox.writeConfig(staticToml('demo', 'DEMO_API_KEY') + rot.toml);
  await sandbox.startAgent({ DEMO_API_KEY: secret });
  const server = await startServer();
  defer(() => server.close());
  const cache = new CredentialCache({ socket: sandbox.socket });
  defer(() => cache.close());
  cache.on('event', (event) => sandbox.noteSecret(event.credential?.token));
  const fetchRot = mcpcredFetch('rot', { cache });

  // Accepted at once: one request, with the credential's header.
  const first = await cache.ready('rot');
  sandbox.noteSecret(first.token);
  let response = await fetchRot(server.url, { method: 'POST', body: 'hello', headers: { 'x-custom': 'kept' } });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'ok 5');
  assert.deepEqual(server.requests, [{ status: 200, token: hash(first.token), body: 'hello', custom: 'kept' }]);

  // The server now refuses that token: 401, forced refresh, retry with the new one.
  server.rejected.add(hash(first.token));
  server.requests.length = 0;
  const runsBefore = rot.runs().length;
  response = await fetchRot(new Request(server.url, { method: 'POST', body: 'again', headers: { 'x-custom': 'kept' } }));
  assert.equal(response.status, 200);
  const fresh = cache.credential('rot');
  sandbox.noteSecret(fresh.token);
  assert.ok(fresh.version > first.version && fresh.token !== first.token, 'the cache does not hold a new token');
  assert.deepEqual(server.requests, [
    { status: 401, token: hash(first.token), body: 'again', custom: 'kept' },
    { status: 200, token: hash(fresh.token), body: 'again', custom: 'kept' },
  ]);
  assert.equal(rot.runs().length, runsBefore + 1, 'the agent did not refresh exactly once');

  // A server that refuses every token: one retry only, then its 401 is the answer.
  server.control.refuseAll = true;
  server.requests.length = 0;
  response = await fetchRot(server.url);
  sandbox.noteSecret(cache.credential('rot').token);
  assert.equal(response.status, 401);
  assert.deepEqual(
    server.requests.map((r) => r.status),
    [401, 401],
  );
  server.control.refuseAll = false;

  // A static secret cannot be refreshed: the typed error says what to do.
  const fetchDemo = mcpcredFetch('demo', { cache });
  server.rejected.add(hash(secret));
  await assert.rejects(fetchDemo(server.url), (error) => {
    assert.ok(error instanceof LoginRequiredError, `not a LoginRequiredError: ${sandbox.hide(error)}`);
    assert.match(error.message, /cannot refresh it/);
    return true;
  });
});

test('mcpcredFetch with a cache of its own, closed by close()', { timeout: 30_000 }, async (t) => {
  const defer = cleanups(t);
  const secret = randomSecret();
  const { sandbox } = await startDemoAgent(defer, secret);
  const server = await startServer();
  defer(() => server.close());

  const fetchDemo = mcpcredFetch('demo', { socket: sandbox.socket });
  const response = await fetchDemo(server.url);
  assert.equal(response.status, 200);
  assert.deepEqual(server.requests.map((r) => r.token), [hash(secret)]);
  await fetchDemo.close();
});
