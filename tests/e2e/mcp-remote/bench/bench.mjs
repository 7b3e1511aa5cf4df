// Benchmark (not a test): the latency mcpcred-remote adds to a tools/call.
// In one run, against one server (server.mjs, loopback, its token checks
// cached), the same SDK Client calls `whoami`:
//   direct  - StreamableHTTPClientTransport to the server, with the token's
//             Authorization header (what a host with a plaintext token does);
//   bridged - StdioClientTransport running `mcpcred-remote mcp URL`.
// Calls alternate between the two so that both see the same machine load.
// Prints p50/p90/p99 of each and the p50 overhead.
//
//   node tests/e2e/mcp-remote/bench/bench.mjs [--calls 2000] [--warmup 200]
import { test } from 'node:test';
import { parseArgs } from 'node:util';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { setUp } from '../test/setup.mjs';

const { values } = parseArgs({
  options: { calls: { type: 'string', default: '2000' }, warmup: { type: 'string', default: '200' } },
});
const CALLS = Number(values.calls);
const WARMUP = Number(values.warmup);

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (ns) => (Number(ns) / 1e6).toFixed(3);

test('mcpcred-remote overhead on tools/call', { timeout: 600_000 }, async (t) => {
  const { sandbox, server, host } = await setUp(t);
  const bridged = await host();
  const token = sandbox.noteSecret((await sandbox.cli(['token', 'mcp'])).stdout.trim());
  const direct = new Client({ name: 'bench-direct', version: '1.0.0' });
  await direct.connect(
    new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  t.after(() => direct.close());

  const clients = { direct, bridged: bridged.client };
  const samples = { direct: [], bridged: [] };
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (const name of i % 2 === 0 ? ['direct', 'bridged'] : ['bridged', 'direct']) {
      const start = process.hrtime.bigint();
      const result = await clients[name].callTool({ name: 'whoami', arguments: {} });
      const took = process.hrtime.bigint() - start;
      if (result.isError) throw new Error(`${name}: whoami failed`);
      if (i >= WARMUP) samples[name].push(took);
    }
  }
  const report = {};
  for (const [name, values] of Object.entries(samples)) {
    const sorted = values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    report[name] = { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99) };
    console.log(`${name.padEnd(8)} p50 ${ms(report[name].p50)} ms  p90 ${ms(report[name].p90)} ms  p99 ${ms(report[name].p99)} ms  (${values.length} calls)`);
  }
  console.log(`overhead p50 ${ms(report.bridged.p50 - report.direct.p50)} ms (goal < 1 ms)`);
});
