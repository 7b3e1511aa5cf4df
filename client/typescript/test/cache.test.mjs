// CredentialCache against a real agent: ready() then synchronous reads from
// memory, typed errors remembered, and rotations by the agent reaching the
// cache through the Watch stream (these need an agent with WatchCredentials
// and fail, saying so, without one).
//
// Assertions never compare credentials with assert.equal & co: a failure
// would print their fields, secrets included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';

import { CredentialCache, NotFoundError, NotReadyError, connect } from '../dist/index.js';
import { Sandbox, cleanups, randomSecret, rotatingToml, staticToml, waitFor } from './harness.mjs';

/** Waits until the cache's Watch stream is live; fails saying why it is not. */
async function expectLive(cache) {
  let lastError;
  const onDisconnect = (error) => (lastError = error);
  cache.on('disconnected', onDisconnect);
  const live = await waitFor(() => cache.live, { limitMs: 10_000 });
  cache.off('disconnected', onDisconnect);
  assert.ok(
    live,
    `the cache's Watch stream never became live: the agent must implement WatchCredentials ` +
      `(last stream error: ${lastError ? `${lastError.codeName}: ${lastError.message}` : 'none'})`,
  );
}

/** Resolves with the first cache event `match` accepts, stamped with its arrival time; rejects after `limitMs`. */
function nextEvent(cache, match, limitMs = 15_000) {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      cache.off('event', listener);
      fail(new Error(`no matching Watch event within ${limitMs} ms`));
    }, limitMs);
    function listener(event) {
      if (!match(event)) return;
      clearTimeout(timer);
      cache.off('event', listener);
      done({ event, at: Date.now() });
    }
    cache.on('event', listener);
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function setUp(t) {
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const secret = sandbox.noteSecret(randomSecret());
  const rot = rotatingToml('rot', sandbox);
  sandbox.writeConfig(staticToml('demo', 'DEMO_API_KEY') + rot.toml);
  await sandbox.startAgent({ DEMO_API_KEY: secret });
  const cache = new CredentialCache({ socket: sandbox.socket, names: ['demo', 'rot'] });
  defer(() => cache.close());
  cache.on('event', (event) => sandbox.noteSecret(event.credential?.token));
  return { sandbox, secret, rot, cache, defer };
}

test('cache: ready(), then headers/env/credential synchronously from memory', { timeout: 60_000 }, async (t) => {
  const { secret, cache } = await setUp(t);

  const credential = await cache.ready('demo');
  assert.ok(cache.headers('demo').Authorization === `Bearer ${secret}`, 'headers() is not the credential');
  assert.ok(cache.env('demo').DEMO_API_KEY === secret, 'env() is not the credential');
  assert.ok(cache.credential('demo').version === credential.version, 'credential() is not what ready() gave');
  assert.deepEqual(credential.secretEnvKeys, ['DEMO_API_KEY']);
  assert.deepEqual(credential.secretHeaderNames, ['Authorization']);
  assert.equal(credential.expiresAt, undefined);
  assert.ok(!inspect(credential).includes(secret), 'util.inspect shows the secret');

  await expectLive(cache);
  // Live: the snapshot filled memory, so a read needs no call to the agent.
  assert.ok(cache.headers('demo').Authorization === `Bearer ${secret}`);

  assert.throws(() => cache.headers('nope'), NotReadyError);
  await assert.rejects(cache.ready('nope'), NotFoundError);
  assert.throws(() => cache.headers('nope'), NotFoundError, 'the NOT_FOUND answer is not remembered');
});

test('cache: rotations by the agent reach the cache through the Watch stream', { timeout: 90_000 }, async (t) => {
  const { sandbox, cache, rot } = await setUp(t);
  await expectLive(cache);
  const first = await cache.ready('rot');

  // The agent refreshes "rot" (3 s tokens) at about half its lifetime; each
  // refresh runs the command, which logs when it finished.
  const latencies = [];
  let held = first;
  for (let i = 0; i < 4; i++) {
    const { event, at } = await nextEvent(
      cache,
      (e) => e.kind === 'refreshed' && e.name === 'rot' && e.credential.version > held.version,
    );
    const finished = rot.runs().filter((time) => time <= at).pop();
    latencies.push(at - finished);
    assert.ok(cache.credential('rot') === event.credential, 'the event did not replace the held credential');
    assert.ok(cache.credential('rot').token !== held.token, 'the rotated token is the old one');
    held = event.credential;
  }
  console.log(
    `[figure] agent refresh (command finished) -> cache updated: median ${median(latencies)} ms, ` +
      `max ${Math.max(...latencies)} ms over ${latencies.length} rotations`,
  );

  // A forced refresh by another client reaches this cache too.
  const other = await connect({ socket: sandbox.socket });
  t.after(() => other.close());
  const arrival = nextEvent(cache, (e) => e.name === 'rot' && e.credential && e.credential.version > held.version);
  const asked = Date.now();
  const forced = await other.getCredential('rot', {
    forceRefresh: true,
    rejectedVersion: cache.credential('rot').version,
  });
  const answered = Date.now();
  sandbox.noteSecret(forced.token);
  const { event, at } = await arrival;
  assert.ok(event.credential.version >= forced.version);
  console.log(
    `[figure] forced refresh by another client: answered after ${answered - asked} ms, ` +
      `cache updated ${at - asked} ms after the request`,
  );

  // refresh(): a forced refresh through the cache, held at once.
  const before = cache.credential('rot');
  const refreshed = await cache.refresh('rot');
  assert.ok(refreshed.version > before.version);
  assert.ok(cache.credential('rot').version >= refreshed.version);
});
