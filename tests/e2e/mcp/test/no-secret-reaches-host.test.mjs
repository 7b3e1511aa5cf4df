// (b) A server that puts its environment (plain, JSON, base64, base64url,
// percent-encoded) in a tool result, a tool error, a JSON-RPC error, a log
// notification and on stderr: behind mcpcred-exec the host receives none of
// the values of the credential it injected, nor of another credential the
// agent holds (the server got it some other way), in any of those forms.
// The messages are still valid JSON-RPC the SDK accepts; the masking counts
// reach stderr and the agent's audit log. With --no-mask the values pass.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

import { randomSecret } from '../../../../client/typescript/test/harness.mjs';
import { Sandbox, cleanups, connectHost, findLeak, serversDir, staticToml, texts, waitFor } from './relay-harness.mjs';

async function leakSession(sandbox, extraArgs) {
  const host = await connectHost(sandbox, [...extraArgs, 'leak', '--', process.execPath, resolve(serversDir, 'leaky-server.mjs')], {
    env: { LEAK_KEYS: 'LEAK_TOKEN,OTHER_VALUE', OTHER_VALUE: sandbox.otherValue },
  });
  await host.client.setLoggingLevel('debug');
  const leak = await host.client.callTool({ name: 'leak', arguments: {} });
  const failed = await host.client.callTool({ name: 'leak-error', arguments: {} });
  const rpcError = await host.client.getPrompt({ name: 'leak-prompt' }).then(
    () => undefined,
    (error) => error,
  );
  return { host, leak, failed, rpcError };
}

test('no secret value reaches the host, in any form', { timeout: 120_000 }, async (t) => {
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const token = sandbox.noteSecret(randomSecret('leak-token'));
  sandbox.otherValue = sandbox.noteSecret(randomSecret('other-value'));
  sandbox.writeConfig(staticToml('leak', 'LEAK_TOKEN') + staticToml('other', 'OTHER_SECRET'));
  await sandbox.startAgent({ LEAK_TOKEN: token, OTHER_SECRET: sandbox.otherValue });
  // The agent masks what it has handed out: hand "other" out once.
  assert.equal((await sandbox.cli(['token', 'other'])).code, 0);

  const { host, leak, failed, rpcError } = await leakSession(sandbox, ['--relay']);
  assert.equal(leak.isError, undefined);
  assert.equal(texts(leak).length, 5);
  assert.equal(failed.isError, true);
  assert.ok(rpcError, 'prompts/get should fail');
  assert.equal(rpcError.code, -32000);
  // A log notification arrives asynchronously.
  await waitFor(() => host.received.some((line) => line.includes('notifications/message')));
  await host.client.close();
  await waitFor(() => /masked secret values/.test(host.stderr), { limitMs: 10_000 });

  const everything = host.received.join('\n');
  assert.equal(findLeak(everything, [token, sandbox.otherValue]), undefined, 'a value reached the host');
  assert.equal(findLeak(host.stderr, [token, sandbox.otherValue]), undefined, "a value reached the relay's stderr");
  // The base64 of the environment still decodes, with the values masked.
  const decoded = Buffer.from(texts(leak)[1], 'base64').toString('latin1');
  assert.ok(!decoded.includes(token) && !decoded.includes(sandbox.otherValue));
  assert.match(everything, /\[REDACTED:leak\]/);
  assert.match(everything, /\[REDACTED:other\]/);
  assert.match(texts(failed).join(' '), /\[REDACTED:leak\]/);
  assert.match(rpcError.message, /\[REDACTED:leak\]/);
  assert.match(host.stderr, /\[REDACTED:leak\]/, "the server's stderr comes through, masked");
  assert.match(host.stderr, /masked secret values in the server's output: \d+ \(leak: \d+, other: \d+\)/);

  const audit = readFileSync(sandbox.path('state/mcpcred/audit.log'), 'utf8');
  assert.match(audit, /"credential":"leak".*masked \d+|masked \d+.*"credential":"leak"/);

  // --no-mask: the host gets what the server wrote.
  const unmasked = await leakSession(sandbox, ['--relay', '--no-mask']);
  await unmasked.host.client.close();
  assert.equal(findLeak(unmasked.host.received.join('\n'), [token]), 'plain');
  assert.ok(!unmasked.host.received.join('\n').includes('[REDACTED:'));
});
