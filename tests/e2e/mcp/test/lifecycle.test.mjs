// The relay behaves as the server would without it: the host closing stdin
// ends the server and the relay exits with its status; the server's exit
// status and the signal that ends it are the relay's; SIGTERM to the relay
// reaches the server; a command that does not exist exits 127; stdout holds
// nothing but the server's messages.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

import { randomSecret } from '../../../../client/typescript/test/harness.mjs';
import { Sandbox, cleanups, execBin, sleep, staticToml } from './relay-harness.mjs';

function runRelay(sandbox, command, { input, signalAfterMs } = {}) {
  return new Promise((done) => {
    const child = spawn(execBin, ['--socket', sandbox.socket, '--relay', 'life', '--', ...command], {
      env: sandbox.env(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const limit = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      done({ code, signal, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    if (signalAfterMs !== undefined) setTimeout(() => child.kill('SIGTERM'), signalAfterMs);
  });
}

test('exit status, signals and EOF pass through the relay', { timeout: 120_000 }, async (t) => {
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  sandbox.writeConfig(staticToml('life', 'LIFE_TOKEN'));
  await sandbox.startAgent({ LIFE_TOKEN: sandbox.noteSecret(randomSecret('life')) });
  const node = process.execPath;

  // EOF from the host reaches the server, which answers what it read first.
  const echo = 'process.stdin.on("data", (d) => process.stdout.write(d)); process.stdin.on("end", () => process.exit(7));';
  const line = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
  const eof = await runRelay(sandbox, [node, '-e', echo], { input: `${line}\n` });
  assert.equal(eof.code, 7);
  assert.equal(eof.stdout, `${line}\n`, 'stdout holds exactly the server messages');

  const exit = await runRelay(sandbox, [node, '-e', 'process.exit(3)'], { input: '' });
  assert.equal(exit.code, 3);

  const killed = await runRelay(sandbox, [node, '-e', 'process.kill(process.pid, "SIGKILL")'], { input: '' });
  assert.equal(killed.signal, 'SIGKILL');

  // SIGTERM to the relay reaches a server that waits forever.
  const waiting = runRelay(sandbox, [node, '-e', 'setInterval(() => {}, 1000)'], { signalAfterMs: 1500 });
  const terminated = await waiting;
  assert.equal(terminated.signal, 'SIGTERM');

  // A server that traps SIGTERM and exits 0 makes the relay exit 0.
  const trap = 'process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1000);';
  const trapped = await runRelay(sandbox, [node, '-e', trap], { signalAfterMs: 1500 });
  assert.equal(trapped.code, 0);

  const missing = await runRelay(sandbox, ['/nonexistent/mcp-server'], { input: '' });
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /mcp-server: No such file or directory/);
  await sleep(10);
});
