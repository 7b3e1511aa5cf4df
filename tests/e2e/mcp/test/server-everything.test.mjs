// (c) The reference server @modelcontextprotocol/server-everything, from
// npm, behind mcpcred-exec --relay: initialize, tools/list and tools/call
// work as without the relay; its request to the host (sampling, with an id
// the relay remaps) is answered through the relay; its env-printing tool
// (get-env) comes back with the injected value masked.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';

import { randomSecret } from '../../../../client/typescript/test/harness.mjs';
import { Sandbox, cleanups, connectHost, everythingServer, findLeak, staticToml, texts } from './relay-harness.mjs';

test('server-everything works through the relay, its environment masked', { timeout: 120_000 }, async (t) => {
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const token = sandbox.noteSecret(randomSecret('everything'));
  sandbox.writeConfig(staticToml('everything', 'EVERYTHING_TOKEN'));
  await sandbox.startAgent({ EVERYTHING_TOKEN: token });

  let sampled = 0;
  const host = await connectHost(sandbox, ['--relay', 'everything', '--', process.execPath, everythingServer, 'stdio'], {
    capabilities: { sampling: {} },
    beforeConnect: (client) =>
      client.setRequestHandler(CreateMessageRequestSchema, async () => {
        sampled++;
        return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled through the relay' } };
      }),
  });
  defer(() => host.client.close());
  assert.match(host.client.getServerVersion().name, /everything/);

  const { tools } = await host.client.listTools();
  const names = tools.map((tool) => tool.name);
  for (const name of ['echo', 'get-env', 'get-sum', 'trigger-sampling-request']) {
    assert.ok(names.includes(name), `tools/list lacks ${name}: ${names}`);
  }
  const echo = await host.client.callTool({ name: 'echo', arguments: { message: 'hello relay' } });
  assert.match(texts(echo).join(' '), /hello relay/);
  const sum = await host.client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } });
  assert.match(texts(sum).join(' '), /42/);

  const env = await host.client.callTool({ name: 'get-env', arguments: {} });
  const printed = texts(env).join('\n');
  assert.equal(findLeak(printed, [token]), undefined, 'get-env showed the token');
  assert.equal(JSON.parse(printed).EVERYTHING_TOKEN, '[REDACTED:everything]');

  // Two at once, so that the server's sampling requests overlap.
  const [first, second] = await Promise.all(
    [1, 2].map(() => host.client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } })),
  );
  assert.equal(sampled, 2);
  for (const result of [first, second]) assert.match(texts(result).join(' '), /sampled through the relay/);

  assert.deepEqual(host.errors, []);
  assert.equal(findLeak(host.received.join('\n') + host.stderr, [token]), undefined);
});
