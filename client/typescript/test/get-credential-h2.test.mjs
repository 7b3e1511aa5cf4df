// GetCredential on the HTTP/2 fast path (src/h2) against the real agent: the
// same answer as the grpc-js stub, many calls at once on one connection, an
// agent restart under a client; and AgentClient's fallback to the grpc-js
// channel when the fast path gets no gRPC answer, and CANCELLED on close().
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';

import { AgentClient, AgentUnavailableError, Code, McpcredError, NotFoundError } from '../dist/index.js';
import { UnaryChannel } from '../dist/h2/channel.js';
import { requestHeaderBlock } from '../dist/h2/grpc-unary.js';
import { agentStubConstructor, getCredentialMethod } from '../dist/wire.js';
import { cleanups, randomSecret, run, startDemoAgent, waitFor } from './harness.mjs';
import { scriptedPeer } from './h2-peers.mjs';

const method = getCredentialMethod();
const headerBlock = requestHeaderBlock(method.path, 'localhost', 'h2-test');

function stubCall(socket, request) {
  const Stub = agentStubConstructor();
  const stub = new Stub(`unix:${socket}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) =>
    stub.GetCredential(request, { deadline: Date.now() + 10_000 }, (error, response) => {
      stub.close();
      if (error) reject(error);
      else resolve(response);
    }),
  );
}

test('agent: the fast path answers as the grpc-js stub does, 100 calls at once on one connection', { timeout: 60_000 }, async (t) => {
  const defer = cleanups(t);
  const secret = randomSecret();
  const { sandbox } = await startDemoAgent(defer, secret);
  const channel = new UnaryChannel(sandbox.socket);
  defer(() => channel.close());

  const answer = await channel.call(headerBlock, method.serialize({ name: 'demo' }), 10_000);
  assert.equal(answer.code, 0);
  const fast = method.deserialize(answer.response);
  const viaStub = await stubCall(sandbox.socket, { name: 'demo' });
  const comparable = ({ version, ...rest }) => rest; // each hand-out may count
  assert.ok(fast.token === secret, 'the fast path did not serve the secret');
  assert.deepEqual(comparable(fast), comparable(viaStub));

  const missing = await channel.call(headerBlock, method.serialize({ name: 'nope' }), 10_000);
  assert.equal(missing.code, Code.NOT_FOUND);
  assert.match(missing.message, /no credential named "nope"/);

  const answers = await Promise.all(
    Array.from({ length: 100 }, () => channel.call(headerBlock, method.serialize({ name: 'demo' }), 10_000)),
  );
  for (const reply of answers) assert.ok(method.deserialize(reply.response).token === secret);
});

test('agent: a host that never calls close() still exits once its calls are done', { timeout: 60_000 }, async (t) => {
  const defer = cleanups(t);
  const { sandbox } = await startDemoAgent(defer, randomSecret());
  const index = new URL('../dist/index.js', import.meta.url).href;
  const script =
    `const { AgentClient } = await import(${JSON.stringify(index)});` +
    `const client = new AgentClient({ socket: ${JSON.stringify(sandbox.socket)} });` +
    `const credential = await client.getCredential('demo');` +
    `console.log('served', credential.name);`;
  // Safety bound only: a connection that keeps the process alive never lets it exit.
  const { code, stdout } = await run([process.execPath, '--input-type=module', '-e', script], { limitMs: 20_000 });
  assert.equal(stdout.trim(), 'served demo');
  assert.equal(code, 0, 'the process did not exit by itself');
});

test('agent: getCredential across an agent restart', { timeout: 90_000 }, async (t) => {
  const defer = cleanups(t);
  const before = randomSecret();
  const { sandbox, agent } = await startDemoAgent(defer, before);
  const after = sandbox.noteSecret(randomSecret());
  const client = new AgentClient({ socket: sandbox.socket });
  defer(() => client.close());
  assert.ok((await client.getCredential('demo')).token === before);

  assert.equal(await agent.stop('SIGTERM'), 0);
  await assert.rejects(client.getCredential('demo'), AgentUnavailableError);
  await assert.rejects(client.getCredential('nope'), AgentUnavailableError);

  await sandbox.startAgent({ DEMO_API_KEY: after });
  // Safety bound only: the clients' reconnect backoffs are at most a second.
  const served = await waitFor(() => client.getCredential('demo').then((credential) => credential.token === after, () => false), {
    limitMs: 10_000,
  });
  assert.ok(served, 'the restarted agent was not reached');
  await assert.rejects(client.getCredential('nope'), NotFoundError);
});

test('fallback: a fast-path stream the server resets is answered through the grpc-js channel', { timeout: 30_000 }, async (t) => {
  // A gRPC server on node:http2 that refuses the fast path's streams and
  // answers grpc-js's with a credential.
  const dir = mkdtempSync('/tmp/mch2-');
  const socket = join(dir, 's.sock');
  const service = agentStubConstructor().service;
  const seen = { fast: 0, grpcJs: 0 };
  const server = http2.createServer();
  const sessions = new Set();
  server.on('session', (session) => sessions.add(session));
  server.on('stream', (stream, headers) => {
    if (headers['user-agent'] === 'mcpcred-client-node') {
      seen.fast++;
      stream.on('error', () => {}); // the reset, seen from the server's side
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    seen.grpcJs++;
    stream.resume();
    stream.on('end', () => {
      const message = service.GetCredential.responseSerialize({ name: 'demo', token: 'from-grpc-js', version: '7' });
      const framed = Buffer.alloc(5 + message.length);
      framed.writeUInt32BE(message.length, 1);
      message.copy(framed, 5);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(framed);
    });
  });
  await new Promise((done) => server.listen(socket, done));
  const client = new AgentClient({ socket });
  t.after(async () => {
    client.close();
    for (const session of sessions) session.destroy();
    await new Promise((done) => server.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  const credential = await client.getCredential('demo');
  assert.equal(credential.token, 'from-grpc-js');
  assert.equal(credential.version, 7n);
  assert.deepEqual(seen, { fast: 1, grpcJs: 1 });
});

test('close() during a fast-path call: it fails with CANCELLED', { timeout: 30_000 }, async (t) => {
  const peer = await scriptedPeer(); // never answers
  t.after(() => peer.close());
  const client = new AgentClient({ socket: peer.path });
  const call = client.getCredential('demo');
  await waitFor(() => peer.connections[0]?.frames.some((frame) => frame.type === 0x1), { limitMs: 10_000, everyMs: 5 });
  client.close();
  await assert.rejects(call, (error) => {
    assert.ok(error instanceof McpcredError, `not an McpcredError: ${error}`);
    assert.equal(error.code, Code.CANCELLED);
    return true;
  });
});
