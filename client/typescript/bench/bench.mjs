// Benchmark (not a test): what a host pays per request for a credential.
//   - cache.headers(name): a synchronous read from CredentialCache's memory (goal: p50 < 5 µs);
//   - await cache.ready(name): the async read the SDK provider and mcpcredFetch use;
//   - client.getCredential(name): a GetCredential round trip to the agent over its socket.
// Starts its own agent (as the tests do: $MCPCRED_AGENT_BIN / $MCPCRED_CLI_BIN,
// else ../../build/bin) with one static credential. Run after `npm run build`:
//   node bench/bench.mjs [--calls N]
import { CredentialCache, connect } from '../dist/index.js';
import { Sandbox, randomSecret, staticToml, waitFor } from '../test/harness.mjs';

const callsArg = process.argv.indexOf('--calls');
const CALLS = callsArg > 0 ? Number(process.argv[callsArg + 1]) : 1_000_000;
const RPCS = Math.max(1000, Math.floor(CALLS / 200));

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function report(label, nanos, counted = 'calls') {
  const sorted = Float64Array.from(nanos).sort();
  const us = (ns) => (ns / 1000).toFixed(3);
  console.log(
    `${label}: p50 ${us(percentile(sorted, 50))} µs, p90 ${us(percentile(sorted, 90))} µs, ` +
      `p99 ${us(percentile(sorted, 99))} µs (${sorted.length} ${counted})`,
  );
  return percentile(sorted, 50);
}

// Times each call alone (hrtime's own cost, tens of ns, is included).
function timeEach(count, fn) {
  const nanos = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    fn();
    nanos[i] = Number(process.hrtime.bigint() - start);
  }
  return nanos;
}

async function timeEachAsync(count, fn) {
  const nanos = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await fn();
    nanos[i] = Number(process.hrtime.bigint() - start);
  }
  return nanos;
}

const sandbox = new Sandbox();
try {
  const secret = sandbox.noteSecret(randomSecret());
  sandbox.writeConfig(staticToml('demo', 'DEMO_API_KEY'));
  await sandbox.startAgent({ DEMO_API_KEY: secret });
  const client = await connect({ socket: sandbox.socket });
  const cache = new CredentialCache({ client, names: ['demo'] });
  await cache.ready('demo');
  if (!(await waitFor(() => cache.live, { limitMs: 10_000 }))) throw new Error('the Watch stream never became live');

  let sink = 0;
  const read = () => {
    sink += cache.headers('demo').Authorization.length;
  };
  timeEach(100_000, read); // warm up the JIT
  const headersP50 = report('cache.headers(name)', timeEach(CALLS, read));
  const batch = 1000;
  const batches = new Float64Array(Math.max(1, Math.floor(CALLS / batch)));
  for (let b = 0; b < batches.length; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) read();
    batches[b] = Number(process.hrtime.bigint() - start) / batch;
  }
  report(`cache.headers(name), mean per call in batches of ${batch}`, batches, 'batches');

  await timeEachAsync(10_000, () => cache.ready('demo'));
  report('await cache.ready(name)', await timeEachAsync(Math.floor(CALLS / 10), () => cache.ready('demo')));

  await timeEachAsync(500, () => client.getCredential('demo'));
  report('client.getCredential(name) round trip', await timeEachAsync(RPCS, () => client.getCredential('demo')));

  console.log(`goal cache.headers p50 < 5 µs: ${headersP50 < 5000 ? 'met' : 'NOT met'} (checksum ${sink % 7})`);
  await cache.close();
  client.close();
} finally {
  await sandbox.cleanup();
}
