// What the relay tests share: the sandbox of the TypeScript client's tests
// (a real agent in a private directory, the real CLI, the OAuth peers of
// tests/e2e), mcpcred-exec as a host starts it (the SDK's
// StdioClientTransport), and the forms a leaked value can take.
//
// Binaries: $MCPCRED_EXEC_BIN (and the sandbox's $MCPCRED_AGENT_BIN,
// $MCPCRED_CLI_BIN), else ../../../build/bin/... relative to this package.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export { Sandbox, cleanups, sleep, staticToml, waitFor } from '../../../../client/typescript/test/harness.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const buildBin = resolve(packageDir, '../../../build/bin');
export const execBin = process.env.MCPCRED_EXEC_BIN || resolve(buildBin, 'mcpcred-exec');
const cliBin = process.env.MCPCRED_CLI_BIN || resolve(buildBin, 'mcpcred');
export const serversDir = resolve(packageDir, 'servers');
const e2eDir = resolve(packageDir, '..');
export const everythingServer = resolve(packageDir, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/** An oauth2 credential on the peers' resource that puts its token in $RESOURCE_TOKEN. */
export function oauthEnvToml(name, peers) {
  return (
    `[credential.${name}]\nprovider = "oauth2"\nresource = "${peers.resource}"\n` +
    `client_id = "mcpcred-native"\nscopes = ["mcp:read", "offline_access"]\n` +
    `env = { RESOURCE_TOKEN = "{access_token}" }\n\n`
  );
}

/**
 * The user approves in the scripted browser: `browser.mjs authorize URL`,
 * with no stdin (it reads none; a pipe it never opens can fail with EPIPE).
 */
async function approve(sandbox, url) {
  const child = spawn(process.execPath, [resolve(e2eDir, 'browser.mjs'), 'authorize', url, '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`browser.mjs failed (${code}):\n${sandbox.hide(output)}`);
}

/** `mcpcred login NAME --json --no-browser`, the user approving in the scripted browser. */
export async function login(sandbox, name) {
  const child = spawn(cliBin, ['--socket', sandbox.socket, 'login', name, '--json', '--no-browser'], {
    env: sandbox.env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const events = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line);
    events.push(event.event);
    if (event.event === 'open_url') await approve(sandbox, event.url);
  }
  const code = await new Promise((done) => (child.exitCode !== null ? done(child.exitCode) : child.once('exit', done)));
  if (code !== 0 || events.at(-1) !== 'done') {
    throw new Error(`mcpcred login ${name} failed (${code}, events ${events}):\n${sandbox.hide(stderr)}`);
  }
}

/**
 * The SDK Client over StdioClientTransport running `mcpcred-exec ARGS`: what
 * a host does. Records every message the host receives (`received`), the
 * ids of the requests it sent, the relay's stderr, and transport errors and
 * closes, so a test can check that the host saw one well-behaved server.
 */
export async function connectHost(sandbox, args, { env = {}, capabilities = {}, beforeConnect } = {}) {
  const transport = new StdioClientTransport({
    command: execBin,
    args: ['--socket', sandbox.socket, ...args],
    env: sandbox.env(env),
    stderr: 'pipe',
  });
  const host = {
    transport,
    client: new Client({ name: 'mcpcred-relay-test-host', version: '1.0.0' }, { capabilities }),
    received: [],
    sentIds: new Set(),
    stderr: '',
    errors: [],
    closed: false,
  };
  transport.stderr.on('data', (chunk) => (host.stderr += chunk));
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if (message.id !== undefined && message.method !== undefined) host.sentIds.add(message.id);
    return send(message, options);
  };
  host.client.onerror = (error) => host.errors.push(String(error?.message ?? error));
  host.client.onclose = () => (host.closed = true);
  if (beforeConnect) beforeConnect(host.client);
  await host.client.connect(transport);
  // Wrapped after connect, which installs the client's own handler.
  const onmessage = transport.onmessage;
  transport.onmessage = (message, extra) => {
    host.received.push(JSON.stringify(message));
    onmessage?.(message, extra);
  };
  return host;
}

/** The texts of a tool result's content. */
export function texts(result) {
  return (result.content ?? []).map((item) => item.text ?? '');
}

/**
 * The forms of `value` the relay must never let through: plain, JSON-escaped,
 * base64 and base64url (alone and at each offset inside a longer encoding,
 * without the characters shared with neighbouring bytes), percent-encoded.
 */
export function leakForms(value) {
  const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  for (const encoding of ['base64', 'base64url']) {
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(value)]).toString(encoding).replace(/=+$/, '');
      // Characters that also depend on the padding bytes or on what follows.
      const start = offset === 0 ? 0 : offset === 1 ? 2 : 3;
      const end = Math.floor(((offset + Buffer.byteLength(value)) * 4) / 3) ;
      forms.add(encoded.slice(start, end));
    }
  }
  return [...forms].filter((form) => form.length >= 8);
}

/** The first form of any value in `values` that `text` holds, or undefined. */
export function findLeak(text, values) {
  for (const value of values) {
    for (const form of leakForms(value)) {
      if (text.includes(form)) return form === value ? 'plain' : 'encoded';
    }
  }
  return undefined;
}
