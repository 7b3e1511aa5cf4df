// The official MCP SDK (Client + StreamableHTTPClientTransport) with
// mcpcredAuthProvider, against an SDK McpServer whose bearer check introspects
// every token at the peers' authorization server. Access tokens live 4 s, so
// a session of MCPCRED_TS_SESSION_SECONDS (default 60) calling a tool every
// 200 ms crosses many expiries; every call must succeed. Then a token the
// server refuses (401) must cost one forced refresh and a retry, unseen by the
// host; after `mcpcred logout` a call fails saying `mcpcred login NAME`; with
// `login: true` the provider logs in through the agent; and mcpcredFetch as
// the transport's fetch does the same job.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { CredentialCache, LoginRequiredError, connect, mcpcredAuthProvider, mcpcredFetch } from '../dist/index.js';
import { Sandbox, cleanups, oauthToml, sleep } from './harness.mjs';
import { startMcpServer } from './mcp-server.mjs';

const SESSION_SECONDS = Number(process.env.MCPCRED_TS_SESSION_SECONDS ?? 60);
const CALL_EVERY_MS = 200;

async function mcpSession(url, transportOptions) {
  const transport = new StreamableHTTPClientTransport(url, transportOptions);
  const mcp = new Client({ name: 'mcpcred-ts-test-host', version: '1.0.0' });
  await mcp.connect(transport);
  return {
    mcp,
    async whoami() {
      const result = await mcp.callTool({ name: 'whoami', arguments: {} });
      assert.ok(!result.isError, 'the tool call failed');
      return result.content[0].text;
    },
  };
}

test(
  'SDK Client + StreamableHTTPClientTransport with mcpcredAuthProvider',
  { timeout: (SESSION_SECONDS + 150) * 1000 },
  async (t) => {
    const defer = cleanups(t);
    const sandbox = new Sandbox();
    defer(() => sandbox.cleanup());
    const peers = await sandbox.startPeers(['--access-ttl', '4']);
    sandbox.writeConfig(oauthToml('mcp', peers));
    await sandbox.startAgent();
    const client = await connect({ socket: sandbox.socket });
    defer(() => client.close());

    await assert.rejects(client.getCredential('mcp'), (error) => {
      assert.ok(error instanceof LoginRequiredError, `not a LoginRequiredError: ${sandbox.hide(error)}`);
      assert.match(error.message, /mcpcred login mcp/);
      return true;
    });

    const loginEvents = [];
    for await (const event of client.login('mcp')) {
      loginEvents.push(event.kind);
      if (event.kind === 'open_url') await sandbox.approve(event.url);
    }
    assert.deepEqual(loginEvents, ['open_url', 'done']);

    const server = await startMcpServer({ issuer: peers.as, audience: peers.resource });
    defer(() => server.close());
    const cache = new CredentialCache({ client, names: ['mcp'] });
    defer(() => cache.close());
    cache.on('event', (event) => sandbox.noteSecret(event.credential?.token));
    const session = await mcpSession(server.url, { authProvider: mcpcredAuthProvider('mcp', { cache }) });
    defer(() => session.mcp.close());

    // The session: every call must succeed, across the 4 s token lifetimes.
    const failures = [];
    let calls = 0;
    let liveCalls = 0;
    const started = Date.now();
    while (Date.now() - started < SESSION_SECONDS * 1000) {
      const callStarted = Date.now();
      try {
        await session.whoami();
        calls++;
        if (cache.live) liveCalls++;
      } catch (error) {
        failures.push(`${new Date().toISOString()}: ${sandbox.hide(error?.message ?? error)}`);
      }
      await sleep(Math.max(0, CALL_EVERY_MS - (Date.now() - callStarted)));
    }
    console.log(
      `[figure] SDK session ${SESSION_SECONDS} s: ${calls} calls ok, ${failures.length} failed; ` +
        `${server.stats.tokens.size} distinct access tokens accepted; ` +
        `${server.stats.unauthorized} 401s answered by the server (each retried inside the transport); ` +
        `${liveCalls} calls served while the Watch stream was live`,
    );
    assert.deepEqual(failures, [], 'a call failed during the session');
    if (SESSION_SECONDS >= 10) {
      assert.ok(server.stats.tokens.size >= 2, 'the access token never changed: the session crossed no expiry');
    }

    // A token the server refuses: one 401, one forced refresh, one retry.
    const before = { unauthorized: server.stats.unauthorized, tokens: server.stats.tokens.size };
    server.refuseNextToken();
    await session.whoami();
    assert.equal(server.stats.unauthorized - before.unauthorized, 1, 'expected exactly one 401, then the retry');
    assert.ok(server.stats.tokens.size > before.tokens, 'the retry did not use a new token');

    // After a logout the next call fails with the command to run.
    const logout = await sandbox.cli(['logout', 'mcp']);
    assert.equal(logout.code, 0, sandbox.hide(logout.stderr));
    await assert.rejects(session.whoami(), (error) => {
      assert.match(sandbox.hide(error?.message ?? error), /mcpcred login mcp/);
      return true;
    });

    // `login: true`: the provider logs in through the agent (Login RPC) itself.
    const seen = [];
    const approvals = [];
    const loggingIn = mcpcredAuthProvider('mcp', {
      cache,
      login: true,
      onLoginEvent: (event) => {
        seen.push(event.kind);
        if (event.kind === 'open_url') approvals.push(sandbox.approve(event.url));
      },
    });
    const again = await mcpSession(server.url, { authProvider: loggingIn });
    defer(() => again.mcp.close());
    await again.whoami();
    await Promise.all(approvals);
    assert.deepEqual(seen, ['open_url', 'done']);

    // mcpcredFetch as the transport's fetch: the same, without the SDK's auth machinery.
    const viaFetch = await mcpSession(server.url, { fetch: mcpcredFetch('mcp', { cache }) });
    defer(() => viaFetch.mcp.close());
    await viaFetch.whoami();
    const unauthorized = server.stats.unauthorized;
    server.refuseNextToken();
    await viaFetch.whoami();
    assert.equal(server.stats.unauthorized - unauthorized, 1, 'expected exactly one 401, then the retry');
  },
);
