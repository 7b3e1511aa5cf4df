// A live CredentialCache while its agent goes away and comes back on the same
// socket: it keeps serving what it holds, reconnects by itself, serves the new
// agent's state, and never leaves an unhandled rejection behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AgentUnavailableError, CredentialCache } from '../dist/index.js';
import { Sandbox, cleanups, randomSecret, staticToml, waitFor } from './harness.mjs';

/** Records unhandled rejections while the test runs. */
function watchRejections(defer) {
  const rejections = [];
  const record = (reason) => rejections.push(reason);
  process.on('unhandledRejection', record);
  defer(() => process.off('unhandledRejection', record));
  return rejections;
}

const bearer = (cache) => {
  try {
    return cache.headers('demo').Authorization;
  } catch {
    return undefined;
  }
};

test('cache: the agent restarts under a live cache', { timeout: 90_000 }, async (t) => {
  const defer = cleanups(t);
  const rejections = watchRejections(defer);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const before = sandbox.noteSecret(randomSecret());
  const after = sandbox.noteSecret(randomSecret());
  sandbox.writeConfig(staticToml('demo', 'DEMO_API_KEY'));
  const agent = await sandbox.startAgent({ DEMO_API_KEY: before });

  const cache = new CredentialCache({ socket: sandbox.socket, names: ['demo'] });
  defer(() => cache.close());
  let connects = 0;
  let disconnects = 0;
  cache.on('connected', () => connects++);
  cache.on('disconnected', () => disconnects++);
  await cache.ready('demo');
  assert.ok(
    await waitFor(() => cache.live, { limitMs: 10_000 }),
    "the cache's Watch stream never became live: the agent must implement WatchCredentials",
  );

  assert.equal(await agent.stop('SIGTERM'), 0, 'the agent did not stop cleanly');
  assert.ok(await waitFor(() => !cache.live && disconnects > 0, { limitMs: 10_000 }), 'the cache missed the end');

  // No agent: what is held (a credential that never expires) keeps serving.
  assert.ok(bearer(cache) === `Bearer ${before}`, 'the held credential is not served while the agent is down');
  assert.ok((await cache.ready('demo')).token === before, 'ready() does not fall back to the held credential');
  await assert.rejects(cache.ready('other'), AgentUnavailableError);

  // A new agent on the same socket, with a new secret value.
  const restarted = Date.now();
  await sandbox.startAgent({ DEMO_API_KEY: after });
  const started = Date.now();
  assert.ok(await waitFor(() => cache.live && connects >= 2, { limitMs: 15_000 }), 'the cache did not reconnect');
  const reconnected = Date.now();
  assert.ok(
    await waitFor(() => bearer(cache) === `Bearer ${after}`, { limitMs: 10_000 }),
    "the cache does not serve the new agent's credential",
  );
  console.log(
    `[figure] agent restart: started in ${started - restarted} ms; the cache was live again ` +
      `${reconnected - started} ms after the agent answered (backoff 100 ms doubling to 5 s)`,
  );
  assert.ok((await cache.ready('demo')).token === after);

  // Give any stray rejection the time to surface.
  await new Promise((done) => setTimeout(done, 200));
  assert.equal(rejections.length, 0, `unhandled rejections: ${sandbox.hide(rejections.map(String).join('; '))}`);
});

test('cache: started before any agent runs, it serves once one does', { timeout: 60_000 }, async (t) => {
  const defer = cleanups(t);
  const rejections = watchRejections(defer);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const secret = sandbox.noteSecret(randomSecret());
  sandbox.writeConfig(staticToml('demo', 'DEMO_API_KEY'));

  const cache = new CredentialCache({ socket: sandbox.socket, names: ['demo'] });
  defer(() => cache.close());
  await assert.rejects(cache.ready('demo'), AgentUnavailableError);
  assert.equal(bearer(cache), undefined);

  await sandbox.startAgent({ DEMO_API_KEY: secret });
  assert.ok(await waitFor(() => cache.live, { limitMs: 15_000 }), 'the cache did not connect');
  assert.ok((await cache.ready('demo')).token === secret);
  assert.ok(bearer(cache) === `Bearer ${secret}`);
  assert.equal(rejections.length, 0, `unhandled rejections: ${sandbox.hide(rejections.map(String).join('; '))}`);
});
