// mcpcred-remote end to end: the official SDK Client (the host, over stdio)
// <-> mcpcred-remote <-> the SDK's McpServer over Streamable HTTP, protected
// by the SDK's bearer auth with tokens that oidc-provider issues to the
// agent's oauth2 provider. What each test proves is said above it.
//
// Assertions never print a token: failure messages go through
// sandbox.hide(), and every token the server saw is noted as a secret.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

import { sleep } from '../../../../client/typescript/test/harness.mjs';
import { browserOnPath, setUp } from './setup.mjs';

/** Fails if any token the server was given appears in `text`. */
function assertNoToken(text, tokens, what) {
  for (const token of tokens) assert.ok(!text.includes(token), `a token leaked into ${what}`);
}

// Initialize, tools/list and tools/call relay both ways; the session id and
// protocol version travel; a token the server echoes reaches the host masked
// and the count is reported; a server-initiated notification arrives over
// the GET stream; closing the host ends the session with a DELETE.
test('relays a session: tools, masking, GET-stream notification, DELETE', { timeout: 120_000 }, async (t) => {
  const { sandbox, server, host } = await setUp(t);
  const mcp = await host();
  const seen = [];
  const tokens = () => [...seen];

  const tools = await mcp.client.listTools();
  assert.deepEqual(
    tools.tools.map((tool) => tool.name).sort(),
    ['announce', 'leak', 'whoami', 'write_note'],
  );
  assert.match(await mcp.call('whoami'), /^\S+ [0-9a-f]{16}$/);

  const leaked = await mcp.call('leak');
  assert.equal(leaked, 'your token is [REDACTED:mcp]', `the token was not masked: ${sandbox.hide(leaked)}`);
  const token = (await sandbox.cli(['token', 'mcp'])).stdout.trim();
  seen.push(sandbox.noteSecret(token));

  const listChanged = new Promise((done) => mcp.client.setNotificationHandler(ToolListChangedNotificationSchema, done));
  assert.equal(await mcp.call('announce'), 'soon');
  await Promise.race([listChanged, sleep(10_000).then(() => assert.fail('no tools/list_changed within 10 s'))]);
  assert.ok(server.stats.gets >= 1, 'the bridge opened no GET stream');
  assert.ok((await mcp.client.listTools()).tools.some((tool) => tool.name === 'late_1'));
  assert.deepEqual([...server.stats.protocolVersions], ['2025-11-25']);

  await mcp.close();
  assert.equal(server.stats.deletes, 1, 'the session was not DELETEd');
  assert.match(mcp.stderr, /masked 1 secret value in the server's output \(mcp: 1\)/);
  assertNoToken(mcp.stderr, tokens(), "mcpcred-remote's stderr");
  // ReportRedactions reached the agent's audit log.
  const audit = readFileSync(sandbox.path('state/mcpcred/audit.log'), 'utf8');
  assert.match(audit, /"credential":"mcp".*"masked 1"|"masked 1".*"credential":"mcp"/, 'no redaction report in the audit log');
});

// Without a login, a request gets a JSON-RPC error saying what to run (and
// stderr a line), at once: the host never hangs.
test('a needed login is an error naming the command, never a hang', { timeout: 60_000 }, async (t) => {
  const { host } = await setUp(t, { login: false });
  const mcp = await host({ connect: false });
  const started = Date.now();
  await assert.rejects(mcp.connect(), (error) => {
    assert.match(error.message, /run 'mcpcred login mcp'/);
    return true;
  });
  assert.ok(Date.now() - started < 10_000, 'the error took too long');
  await mcp.close();
  assert.match(mcp.stderr, /run 'mcpcred login mcp'/);
});

// Access tokens live 3 s: over a 12 s session the agent refreshes several
// times and the bridge sends each new token (the server sees several), with
// no failed call and no refresh token spent twice.
test('a rotation mid-session is invisible to the host', { timeout: 120_000 }, async (t) => {
  const { server, host, asStats } = await setUp(t, { accessTtl: 3 });
  const mcp = await host();
  const deadline = Date.now() + 12_000;
  let calls = 0;
  while (Date.now() < deadline) {
    await mcp.call('whoami');
    calls++;
    await sleep(200);
  }
  const stats = await asStats();
  assert.ok(server.stats.tokens.size >= 3, `the server saw ${server.stats.tokens.size} tokens in ${calls} calls`);
  assert.ok(stats.refresh_tokens_used >= 2, `only ${stats.refresh_tokens_used} refreshes`);
  assert.equal(stats.refresh_reuse_attempts.length, 0, 'a refresh token was used twice');
});

// Two bridges on one credential, both calling while tokens rotate every 3 s,
// and both rejected at once (401) mid-run: the agent is the only refresher,
// so oidc-provider never sees a refresh token presented twice, and every
// call succeeds.
test('two bridges on one credential never spend one refresh token twice', { timeout: 120_000 }, async (t) => {
  const { server, host, asStats } = await setUp(t, { accessTtl: 3 });
  const [a, b] = [await host(), await host()];
  const deadline = Date.now() + 10_000;
  let rejected = false;
  let calls = 0;
  while (Date.now() < deadline) {
    if (!rejected && Date.now() > deadline - 5_000) {
      server.rejectTokensSeen();
      rejected = true;
    }
    await Promise.all([a.call('whoami'), b.call('whoami'), a.call('whoami'), b.call('whoami')]);
    calls += 4;
    await sleep(100);
  }
  const stats = await asStats();
  assert.ok(server.stats.unauthorized >= 1, 'no 401 was provoked');
  assert.equal(stats.refresh_reuse_attempts.length, 0, `refresh token reuse: ${JSON.stringify(stats.refresh_reuse_attempts)}`);
  assert.equal(stats.provider_reuse_detections ?? 0, 0);
  assert.ok(stats.refresh_tokens_used >= 2, `only ${stats.refresh_tokens_used} refreshes in ${calls} calls`);
});

// A tool that needs mcp:write answers 403 insufficient_scope: the bridge
// asks the agent to re-authorize (a Login; with --open the browser, here the
// scripted one as xdg-open, approves) and retries once. With a LoginRequest
// that carries scopes the retry succeeds; with today's proto the agent logs
// in with the configured scopes only, so the retry gets the same challenge
// and the host gets an error naming the scope, at once.
test('step-up: a 403 insufficient_scope re-authorizes through the agent and retries once', { timeout: 120_000 }, async (t) => {
  const { sandbox, server, host, asStats } = await setUp(t);
  const mcp = await host({ args: ['--open'], env: browserOnPath(sandbox) });
  const before = (await asStats()).authorization_log.length;
  const result = await mcp.client
    .callTool({ name: 'write_note', arguments: { text: 'hi' } })
    .then((value) => ({ value }), (error) => ({ error }));
  const log = (await asStats()).authorization_log.slice(before);
  assert.equal(log.length, 1, 'the step-up made no authorization request');
  assert.match(mcp.stderr, /the server asks for scope "mcp:read mcp:write": re-authorizing mcp/);
  assert.match(mcp.stderr, /mcp re-authorized/);
  if (log[0].scope.split(' ').includes('mcp:write')) {
    assert.equal(result.value?.content?.[0]?.text, 'noted: hi');
    assert.equal(server.stats.writeAttempts, 2);
  } else {
    // Today's proto: the challenge stays, one retry only.
    assert.ok(result.error, 'the call did not fail');
    assert.match(result.error.message, /HTTP 403 \(insufficient_scope, scope "mcp:read mcp:write"\)/);
    assert.equal(server.stats.stepUpChallenges, 2, 'not exactly one retry');
  }
  // The other tools still work with the new token.
  assert.match(await mcp.call('whoami'), /^\S+ [0-9a-f]{16}$/);
});

// A server that refuses the Streamable HTTP POST (405) gets the old HTTP+SSE
// transport: GET for the endpoint event, POSTs there, answers on the stream.
test('falls back to the HTTP+SSE transport of 2024-11-05', { timeout: 60_000 }, async (t) => {
  const { server, host } = await setUp(t);
  const mcp = await host({ url: server.legacyUrl });
  assert.ok((await mcp.client.listTools()).tools.length === 4);
  assert.match(await mcp.call('whoami'), /^\S+ [0-9a-f]{16}$/);
  assert.ok(server.stats.legacyPosts >= 3);
  await mcp.close();
  assert.match(mcp.stderr, /trying the HTTP\+SSE transport of 2024-11-05/);
});

// A host may stop its servers with SIGTERM: the bridge still ends the
// session (DELETE) and exits 0.
test('SIGTERM ends the session in order', { timeout: 60_000 }, async (t) => {
  const { server, host } = await setUp(t);
  const mcp = await host();
  await mcp.call('whoami');
  const child = mcp.transport._process;
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
  assert.equal(server.stats.deletes, 1, 'the session was not DELETEd');
});
