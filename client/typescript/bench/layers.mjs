// Benchmark (not a test): where a GetCredential round trip's time goes in
// Node, layer by layer, against one real agent: the proto (de)serialization
// alone, a raw node:http2 unary request, this package's own HTTP/2 unary call
// (src/h2), @grpc/grpc-js stubs with and without a per-call deadline and with
// channel options that drop per-call layers, and AgentClient.getCredential. Run after `npm run build`:
//   node bench/layers.mjs [--calls N]
import * as grpc from '@grpc/grpc-js';
import http2 from 'node:http2';
import net from 'node:net';

import { connect } from '../dist/index.js';
import { UnaryChannel } from '../dist/h2/channel.js';
import { requestHeaderBlock } from '../dist/h2/grpc-unary.js';
import { agentStubConstructor, getCredentialMethod } from '../dist/wire.js';
import { Sandbox, randomSecret, staticToml } from '../test/harness.mjs';

const callsArg = process.argv.indexOf('--calls');
const CALLS = callsArg > 0 ? Number(process.argv[callsArg + 1]) : 3000;

async function measure(label, fn) {
  for (let i = 0; i < 2000; i++) await fn(); // warm up the JIT (and the grpc-js channel)
  const nanos = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    nanos[i] = Number(process.hrtime.bigint() - start);
  }
  nanos.sort();
  const at = (p) => (nanos[Math.min(CALLS - 1, Math.floor((CALLS * p) / 100))] / 1000).toFixed(1);
  console.log(`${label.padEnd(58)} p50 ${at(50).padStart(7)} µs  p90 ${at(90).padStart(7)} µs (${CALLS} calls)`);
}

const method = getCredentialMethod();
const Agent = agentStubConstructor();

const sandbox = new Sandbox();
try {
  sandbox.writeConfig(staticToml('demo', 'DEMO_API_KEY'));
  await sandbox.startAgent({ DEMO_API_KEY: sandbox.noteSecret(randomSecret()) });
  const client = await connect({ socket: sandbox.socket });
  const fast = new UnaryChannel(sandbox.socket);
  const headerBlock = requestHeaderBlock(method.path, 'localhost', 'bench');
  const requestBytes = method.serialize({ name: 'demo' });
  const responseBytes = (await fast.call(headerBlock, requestBytes, 10_000)).response;

  await measure('proto: serialize request + deserialize response', async () => {
    method.serialize({ name: 'demo' });
    method.deserialize(responseBytes);
  });

  const session = http2.connect('http://localhost', { createConnection: () => net.connect(sandbox.socket) });
  await new Promise((resolve) => session.once('connect', resolve));
  const framed = (() => {
    const body = method.serialize({ name: 'demo' });
    const out = Buffer.alloc(5 + body.length);
    out.writeUInt32BE(body.length, 1);
    body.copy(out, 5);
    return out;
  })();
  await measure('node:http2 unary request (raw bytes, no proto)', () =>
    new Promise((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/mcpcred.v1.Agent/GetCredential',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      stream.on('data', () => {});
      stream.on('end', resolve);
      stream.on('error', reject);
      stream.end(framed);
    }),
  );
  session.close();

  await measure('h2 fast path unary call (raw bytes, no proto)', () => fast.call(headerBlock, requestBytes, 10_000));
  fast.close();

  const variants = [
    ['grpc-js stub, deadline per call (as AgentClient)', {}, true],
    ['grpc-js stub, no deadline', {}, false],
    ["grpc-js stub, 'grpc.enable_retries': 0", { 'grpc.enable_retries': 0 }, true],
    ["grpc-js stub, 'grpc.enable_channelz': 0", { 'grpc.enable_channelz': 0 }, true],
    ['grpc-js stub, retries 0 + channelz 0 + no deadline', { 'grpc.enable_retries': 0, 'grpc.enable_channelz': 0 }, false],
  ];
  for (const [label, options, deadline] of variants) {
    const stub = new Agent(`unix:${sandbox.socket}`, grpc.credentials.createInsecure(), options);
    await measure(label, () =>
      new Promise((resolve, reject) => {
        const callOptions = deadline ? { deadline: new Date(Date.now() + 10_000) } : {};
        stub.GetCredential({ name: 'demo' }, callOptions, (error, reply) => (error ? reject(error) : resolve(reply)));
      }),
    );
    stub.close();
  }

  await measure('AgentClient.getCredential', () => client.getCredential('demo'));
  client.close();
} finally {
  await sandbox.cleanup();
}
