// Benchmark (run by hand, never timed in tests): the round trip of a
// tools/call from the SDK's Client over StdioClientTransport to an SDK echo
// server, started directly and behind `mcpcred-exec --relay` (masking on,
// a static credential injected), in alternating blocks so that both see the
// same machine load. Prints p50/p90/p99 of each and the relay's p50
// overhead.
//
//   node tests/e2e/mcp/bench/relay-latency.mjs [--calls N] [--block N]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { randomSecret } from '../../../../client/typescript/test/harness.mjs';
import { Sandbox, execBin, serversDir, staticToml } from '../test/relay-harness.mjs';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '4000' }, block: { type: 'string', default: '200' } } });
const calls = Number(values.calls);
const block = Number(values.block);

async function host(command, args, env) {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command, args, env, stderr: 'ignore' }));
  return client;
}

async function timeCalls(client, n, into) {
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await client.callTool({ name: 'echo', arguments: { text: `call ${i}: some ordinary tool output` } });
    into.push(Number(process.hrtime.bigint() - start) / 1000);
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sandbox = new Sandbox();
try {
  const secret = sandbox.noteSecret(randomSecret('bench'));
  sandbox.writeConfig(staticToml('bench', 'BENCH_TOKEN'));
  await sandbox.startAgent({ BENCH_TOKEN: secret });
  const server = resolve(serversDir, 'echo-server.mjs');
  const direct = await host(process.execPath, [server], sandbox.env());
  const relayed = await host(execBin, ['--socket', sandbox.socket, '--relay', 'bench', '--', process.execPath, server], sandbox.env());
  const times = { direct: [], relay: [] };
  await timeCalls(direct, 300, []);
  await timeCalls(relayed, 300, []);
  for (let done = 0; done < calls; done += block) {
    await timeCalls(direct, block, times.direct);
    await timeCalls(relayed, block, times.relay);
  }
  await direct.close();
  await relayed.close();
  const p50 = {};
  for (const [name, list] of Object.entries(times)) {
    const sorted = [...list].sort((a, b) => a - b);
    p50[name] = percentile(sorted, 50);
    console.log(
      `${name.padEnd(6)} n=${sorted.length} p50=${p50[name].toFixed(1)} us p90=${percentile(sorted, 90).toFixed(1)} us p99=${percentile(sorted, 99).toFixed(1)} us`,
    );
  }
  console.log(`relay p50 overhead: ${(p50.relay - p50.direct).toFixed(1)} us per tools/call round trip`);
} finally {
  await sandbox.cleanup();
}
