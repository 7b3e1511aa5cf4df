// Typed errors keep the agent's kind (gRPC code) and one-line message; socket
// discovery as the C++ client does it; the client's other calls.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  AgentClient,
  AgentUnavailableError,
  Code,
  LoginRequiredError,
  McpcredError,
  NotFoundError,
  connect,
  resolveSocketPath,
} from '../dist/index.js';
import { Sandbox, cleanups, oauthToml, randomSecret, staticToml } from './harness.mjs';

test('socket discovery: option, else $MCPCRED_SOCK, else $XDG_RUNTIME_DIR/mcpcred/agent.sock', () => {
  const env = { MCPCRED_SOCK: '/s/agent.sock', XDG_RUNTIME_DIR: '/run/user/1' };
  assert.equal(resolveSocketPath('/explicit.sock', env), '/explicit.sock');
  assert.equal(resolveSocketPath(undefined, env), '/s/agent.sock');
  assert.equal(resolveSocketPath(undefined, { XDG_RUNTIME_DIR: '/run/user/1' }), '/run/user/1/mcpcred/agent.sock');
  assert.throws(() => resolveSocketPath(undefined, {}), (error) => {
    assert.ok(error instanceof AgentUnavailableError);
    assert.match(error.message, /neither \$MCPCRED_SOCK nor \$XDG_RUNTIME_DIR is set/);
    return true;
  });
});

test('no agent: AgentUnavailableError saying how to start one', { timeout: 30_000 }, async (t) => {
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const expectUnavailable = (error) => {
    assert.ok(error instanceof AgentUnavailableError, `not an AgentUnavailableError: ${error}`);
    assert.ok(error instanceof McpcredError);
    assert.equal(error.code, Code.UNAVAILABLE);
    assert.equal(error.codeName, 'UNAVAILABLE');
    assert.equal(error.socket, sandbox.socket);
    assert.ok(error.message.startsWith(`no mcpcred agent answers on ${sandbox.socket}: start one with `));
    assert.match(error.message, /'eval "\$\(mcpcred-agent -s\)"'/);
    assert.match(error.message, /'systemctl --user start mcpcred-agent\.socket'/);
    return true;
  };
  await assert.rejects(connect({ socket: sandbox.socket }), expectUnavailable);
  const client = new AgentClient({ socket: sandbox.socket });
  defer(() => client.close());
  await assert.rejects(client.getCredential('demo'), expectUnavailable);
  await assert.rejects(client.listCredentials(), expectUnavailable);
  await assert.rejects(async () => {
    for await (const event of client.watch()) assert.fail(`an event without an agent: ${event.kind}`);
  }, expectUnavailable);
});

test('agent errors: NotFoundError, LoginRequiredError; the other calls', { timeout: 60_000 }, async (t) => {
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const secret = sandbox.noteSecret(randomSecret());
  const peers = await sandbox.startPeers();
  sandbox.writeConfig(staticToml('demo', 'DEMO_API_KEY') + oauthToml('web', peers));
  await sandbox.startAgent({ DEMO_API_KEY: secret });

  // Found through $MCPCRED_SOCK, as the CLI would.
  const saved = process.env.MCPCRED_SOCK;
  process.env.MCPCRED_SOCK = sandbox.socket;
  const client = await connect().finally(() => {
    if (saved === undefined) delete process.env.MCPCRED_SOCK;
    else process.env.MCPCRED_SOCK = saved;
  });
  defer(() => client.close());
  assert.equal(client.socket, sandbox.socket);

  await assert.rejects(client.getCredential('nope'), (error) => {
    assert.ok(error instanceof NotFoundError, `not a NotFoundError: ${error}`);
    assert.equal(error.code, Code.NOT_FOUND);
    assert.match(error.message, /no credential named "nope"/);
    return true;
  });
  await assert.rejects(async () => {
    for await (const event of client.watch(['nope'])) assert.fail(`an event for an unknown name: ${event.kind}`);
  }, NotFoundError);

  await assert.rejects(client.getCredential('web'), (error) => {
    assert.ok(error instanceof LoginRequiredError, `not a LoginRequiredError: ${sandbox.hide(error)}`);
    assert.equal(error.code, Code.FAILED_PRECONDITION);
    assert.equal(error.codeName, 'FAILED_PRECONDITION');
    assert.match(error.message, /needs a login: run 'mcpcred login web'/);
    return true;
  });

  // A static secret the server rejected cannot be refreshed: the message says what to do.
  await assert.rejects(client.getCredential('demo', { forceRefresh: true }), (error) => {
    assert.ok(error instanceof LoginRequiredError);
    assert.match(error.message, /mcpcred add/);
    return true;
  });

  const credential = await client.getCredential('demo', { minTtlSeconds: 30 });
  assert.ok(credential.token === secret, 'the served token is not the secret');

  const keys = await client.secretKeys();
  assert.deepEqual(keys.envKeys, ['DEMO_API_KEY']);
  assert.deepEqual(keys.headerNames, ['Authorization']);

  const redacted = await client.redact(`key=${secret}; again ${secret}`);
  assert.equal(redacted.replacements, 2);
  assert.ok(!redacted.text.includes(secret), 'redact() left the secret in');
  assert.match(redacted.text, /\[REDACTED:demo\]/);

  const list = await client.listCredentials();
  assert.equal(list.store, 'memory');
  const states = Object.fromEntries(list.credentials.map((info) => [info.name, info.state]));
  assert.deepEqual(states, { demo: 'ready', web: 'login_required' });
  assert.equal(list.credentials.find((info) => info.name === 'web').hasLogin, true);
});
