// Setting up one end-to-end run of mcpcred-remote: the sandbox of the
// TypeScript client's tests (a real mcpcred-agent in a private directory,
// the real CLI, the OAuth peers of tests/e2e), the SDK test server
// (server.mjs) behind the peers' oidc-provider, an oauth2 credential "mcp"
// logged in by the scripted browser, and hosts: the official SDK Client
// over StdioClientTransport running `mcpcred-remote mcp URL`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { Sandbox, cleanups } from '../../../../client/typescript/test/harness.mjs';
import { startMcpRemoteServer } from '../server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoDir = resolve(here, '../../../..');
const e2eDir = resolve(repoDir, 'tests/e2e');
export const remoteBin = process.env.MCPCRED_REMOTE_BIN || resolve(repoDir, 'build/bin/mcpcred-remote');
const cliBin = process.env.MCPCRED_CLI_BIN || resolve(repoDir, 'build/bin/mcpcred');
const LOGIN_LIMIT_MS = 60_000;

/** The oauth2 credential `name` for the test server. */
function credentialToml(name, url) {
  return (
    `[credential.${name}]\nprovider = "oauth2"\nresource = "${url}"\n` +
    `client_id = "mcpcred-native"\nscopes = ["mcp:read", "offline_access"]\n` +
    `headers = { Authorization = "Bearer {access_token}" }\n\n`
  );
}

/**
 * Peers (access tokens living `accessTtl` s), the test server, the agent and
 * a logged-in credential "mcp" (unless `login` is false).
 */
export async function setUp(t, { accessTtl = 3600, login = true } = {}) {
  if (!existsSync(remoteBin)) throw new Error(`${remoteBin} does not exist: build mcpcred-remote first`);
  const defer = cleanups(t);
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  const peers = await sandbox.startPeers(['--access-ttl', String(accessTtl)]);
  const server = await startMcpRemoteServer({ issuer: peers.as });
  defer(() => server.close());
  // The AS issues tokens for its own test resource and for this server.
  const mode = await fetch(`${peers.as_test}/mode?resources=${encodeURIComponent(`${peers.resource} ${server.url}`)}`, {
    method: 'POST',
  });
  if (!mode.ok) throw new Error(`cannot set the AS's resources: ${mode.status}`);
  sandbox.writeConfig(credentialToml('mcp', server.url));
  await sandbox.startAgent();
  if (login) await logIn(sandbox, 'mcp');
  const hosts = [];
  defer(async () => {
    for (const host of hosts) await host.close();
  });
  return {
    sandbox,
    peers,
    server,
    defer,
    /** A connected SDK Client through mcpcred-remote (see Host). */
    async host(options = {}) {
      const host = new Host(sandbox, options.url ?? server.url, options);
      hosts.push(host);
      if (options.connect !== false) await host.connect();
      return host;
    },
    async asStats() {
      return (await fetch(`${peers.as_test}/stats`)).json();
    },
  };
}

/** `mcpcred login NAME --json --no-browser`, the scripted browser approving. */
export async function logIn(sandbox, name) {
  const child = spawn(cliBin, ['--socket', sandbox.socket, 'login', name, '--json', '--no-browser'], {
    env: sandbox.env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const events = [];
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill('SIGKILL'), LOGIN_LIMIT_MS);
  for await (const line of lines) {
    const event = JSON.parse(line);
    events.push(event.event);
    if (event.event === 'open_url') await sandbox.approve(event.url);
  }
  const code = await new Promise((done) => (child.exitCode !== null ? done(child.exitCode) : child.once('exit', done)));
  clearTimeout(timer);
  if (code !== 0 || events.at(-1) !== 'done') {
    throw new Error(`mcpcred login ${name} failed (${code}, events ${events}): ${sandbox.hide(stderr)}`);
  }
}

/**
 * A fake xdg-open in the sandbox's PATH: the scripted browser approves the
 * URL it is given (what a person does after `mcpcred-remote --open`).
 * Returns the environment to run the bridge with.
 */
export function browserOnPath(sandbox) {
  const bin = sandbox.path('bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    resolve(bin, 'xdg-open'),
    `#!/bin/sh\nexec "${process.execPath}" "${resolve(e2eDir, 'browser.mjs')}" authorize "$1" --quiet ` +
      `>>"${sandbox.path('xdg-open.log')}" 2>&1\n`,
    { mode: 0o700 },
  );
  return { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
}

/** The official SDK Client over stdio, running mcpcred-remote. */
export class Host {
  constructor(sandbox, url, { name = 'mcp', args = [], env = {} } = {}) {
    this.sandbox = sandbox;
    this.stderr = '';
    this.transport = new StdioClientTransport({
      command: remoteBin,
      args: ['--socket', sandbox.socket, ...args, name, url],
      env: sandbox.env(env),
      stderr: 'pipe',
    });
    this.transport.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.client = new Client({ name: 'mcpcred-remote-e2e-host', version: '1.0.0' });
    this.closed = false;
  }

  connect() {
    return this.client.connect(this.transport);
  }

  /** A tool's first text, failing the test on an error result. */
  async call(name, args = {}) {
    const result = await this.client.callTool({ name, arguments: args });
    if (result.isError) throw new Error(`${name} failed: ${this.sandbox.hide(JSON.stringify(result.content))}`);
    return result.content[0].text;
  }

  /** Closes the host's end; resolves once mcpcred-remote has exited. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    const process = this.transport._process;
    const exited = process && process.exitCode === null ? new Promise((done) => process.once('exit', done)) : undefined;
    await this.client.close();
    await exited;
  }
}
