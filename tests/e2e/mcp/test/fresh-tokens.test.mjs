// (a) A long-lived stdio server that reads its token once, at start, behind
// mcpcred-exec: access tokens live 3 s, the host (the SDK's Client over
// StdioClientTransport) calls the server's tool every 100 ms for
// MCPCRED_RELAY_SESSION_SECONDS (default 60) and every call must succeed,
// which it can only if the relay puts the server on fresh tokens. At least
// 10 server instances must have been replaced behind the relay, and the host
// must not have noticed: no transport close, no stray or duplicate response
// (a second initialize result), every response id one it sent, the same
// server info throughout. Then the same for a server that re-reads its token
// on SIGHUP (--on-rotate=signal:HUP): one instance, every call succeeds.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

import { Sandbox, cleanups, connectHost, login, oauthEnvToml, serversDir, sleep, texts } from './relay-harness.mjs';

const SESSION_SECONDS = Number(process.env.MCPCRED_RELAY_SESSION_SECONDS ?? 60);
const CALL_EVERY_MS = 100;

async function loggedIn(t) {
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const peers = await sandbox.startPeers(['--access-ttl', '3']);
  sandbox.writeConfig(oauthEnvToml('res', peers));
  await sandbox.startAgent();
  await login(sandbox, 'res');
  return { defer, sandbox, peers };
}

// Calls the tool every CALL_EVERY_MS for `seconds`; returns the number of
// calls, the failures and the instances (pids) that answered.
async function callForSeconds(host, seconds) {
  const pids = new Set();
  let calls = 0;
  const failures = [];
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const started = Date.now();
    try {
      const result = await host.client.callTool({ name: 'fetch-resource', arguments: {} });
      if (result.isError) {
        failures.push(`call ${calls}: ${texts(result).join(' ')}`);
      } else {
        pids.add(JSON.parse(texts(result)[0]).pid);
      }
    } catch (error) {
      failures.push(`call ${calls}: ${error.message}`);
    }
    calls++;
    await sleep(Math.max(0, CALL_EVERY_MS - (Date.now() - started)));
  }
  return { calls, failures, pids };
}

test('a server that reads its token once stays on fresh tokens behind the relay', { timeout: (SESSION_SECONDS + 120) * 1000 }, async (t) => {
  const { defer, sandbox, peers } = await loggedIn(t);

  const startLog = sandbox.path('starts.log');
  const host = await connectHost(sandbox, ['res', '--', process.execPath, resolve(serversDir, 'resource-server.mjs')], {
    env: { RESOURCE_URL: peers.resource, START_LOG: startLog },
  });
  defer(() => host.client.close());
  const serverInfo = host.client.getServerVersion();
  assert.equal(serverInfo.name, 'mcpcred-relay-resource');

  const seenTokens = new Set();
  const { calls, failures, pids } = await callForSeconds(host, SESSION_SECONDS);
  const tokenLog = await (await fetch(`${peers.resource_test}/stats`)).json();
  for (const accepted of tokenLog.tokens_accepted ?? []) seenTokens.add(accepted.token ?? accepted.hash);

  const starts = readFileSync(startLog, 'utf8').trim().split('\n').length;
  assert.deepEqual(failures, [], `${failures.length} of ${calls} calls failed; the relay said:\n${sandbox.hide(host.stderr.slice(-3000))}`);
  assert.ok(starts >= 11, `only ${starts} server instances in ${SESSION_SECONDS} s: the relay replaced fewer than 10`);
  assert.ok(pids.size >= 11, `calls were served by ${pids.size} instances`);
  assert.ok(seenTokens.size >= 10, `the resource accepted only ${seenTokens.size} distinct tokens`);

  // What the host saw: one server.
  assert.equal(host.closed, false, 'the transport closed');
  assert.deepEqual(host.errors, [], 'the SDK client reported protocol errors');
  assert.deepEqual(host.client.getServerVersion(), serverInfo);
  let initializeResults = 0;
  for (const line of host.received) {
    const message = JSON.parse(line);
    if (message.result?.serverInfo) initializeResults++;
    if (message.id !== undefined && message.method === undefined) {
      assert.ok(host.sentIds.has(message.id), `a response with id ${message.id} the host never sent`);
    }
  }
  assert.equal(initializeResults, 0, 'a replayed initialize was answered to the host');
  assert.equal(host.received.length, calls, 'one response per call, nothing else');
  assert.match(host.stderr, /credential rotated/);

  t.diagnostic(`${calls} calls, ${starts} server instances, ${seenTokens.size} tokens accepted`);
});

test('a server that re-reads its token on SIGHUP stays on fresh tokens with one instance', { timeout: 120_000 }, async (t) => {
  const { defer, sandbox, peers } = await loggedIn(t);
  const startLog = sandbox.path('starts.log');
  const server = resolve(serversDir, 'resource-server.mjs');
  const host = await connectHost(sandbox, ['--on-rotate=signal:HUP', 'res', '--', process.execPath, server, '--reread-on-sighup'], {
    env: { RESOURCE_URL: peers.resource, START_LOG: startLog },
  });
  defer(() => host.client.close());
  const { calls, failures, pids } = await callForSeconds(host, 12);
  const log = readFileSync(startLog, 'utf8').trim().split('\n');
  assert.deepEqual(failures, [], `${failures.length} of ${calls} calls failed`);
  assert.equal(log.filter((line) => line.startsWith('start')).length, 1);
  assert.equal(pids.size, 1);
  assert.ok(log.filter((line) => line.startsWith('reread')).length >= 4, 'the server was signalled too rarely');
  assert.match(host.stderr, /MCPCRED_ENV_FILE rewritten and the server signalled/);
});
