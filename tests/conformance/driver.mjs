#!/usr/bin/env node
// The client under test that the MCP conformance suite runs for each client
// scenario: `node driver.mjs SERVER_URL` (the suite appends the URL and sets
// MCP_CONFORMANCE_SCENARIO and, for some scenarios, MCP_CONFORMANCE_CONTEXT).
//
// It plays a person who uses mcpcred: writes an agent config with one oauth2
// credential for SERVER_URL (plus the keys the scenario's context implies,
// as a person would configure them), starts a private mcpcred-agent, runs
// `mcpcred login` where the grant needs one (the scenario's authorization
// server approves at once, so fetching the printed URL is the whole
// "browser"), then speaks MCP (initialize, tools/list, tools/call) with the
// headers from `mcpcred headers`. A 403 insufficient_scope challenge makes it
// ask the agent for a step-up (`mcpcred login --scope ...`), at most twice
// per run. Exit 0 when every MCP request succeeded.
//
// Needs MCPCRED_BIN_DIR (the directory of mcpcred and mcpcred-agent).
// Secrets from the context go to 0600 files, never to argv or output.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MAX_STEP_UPS = 2;
const CIMD_URL = 'https://conformance-test.local/client-metadata.json';

const serverUrl = process.argv[2];
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT || '{}');
const binDir = process.env.MCPCRED_BIN_DIR;
if (!serverUrl || !binDir) {
  console.error('usage: MCPCRED_BIN_DIR=DIR node driver.mjs SERVER_URL');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'mcpcred-conformance-'));
const socket = join(work, 'agent.sock');
const env = {
  ...process.env,
  XDG_RUNTIME_DIR: work,
  XDG_STATE_HOME: join(work, 'state'),
  XDG_CONFIG_HOME: join(work, 'config'),
  MCPCRED_SOCK: socket,
};

function log(message) {
  console.error(`driver: ${message}`);
}

function secretFile(name, value) {
  const path = join(work, name);
  writeFileSync(path, value, { mode: 0o600 });
  chmodSync(path, 0o600);
  return `file:${path}`;
}

const toml = (value) => JSON.stringify(value);

// The credential as a person would configure it for this server.
function credentialToml() {
  const lines = [
    '[credential.mcp]',
    'provider = "oauth2"',
    `resource = ${toml(serverUrl)}`,
    'headers = { Authorization = "Bearer {access_token}" }',
  ];
  let interactive = true;
  if (context.idp_id_token) {
    interactive = false;
    lines.push(
      'grant = "id_jag"',
      `client_id = ${toml(context.client_id)}`,
      `client_secret = ${toml(secretFile('client_secret', context.client_secret))}`,
      `idp_token_endpoint = ${toml(context.idp_token_endpoint)}`,
      `idp_client_id = ${toml(context.idp_client_id)}`,
      `identity_assertion = ${toml(secretFile('id_token', context.idp_id_token))}`,
    );
  } else if (context.private_key_pem) {
    interactive = false;
    lines.push(
      'grant = "client_credentials"',
      `client_id = ${toml(context.client_id)}`,
      `private_key = ${toml(secretFile('key.pem', context.private_key_pem))}`,
    );
  } else if (context.client_id) {
    const scenario = process.env.MCP_CONFORMANCE_SCENARIO || '';
    if (scenario.startsWith('auth/client-credentials')) {
      interactive = false;
      lines.push('grant = "client_credentials"');
    }
    lines.push(`client_id = ${toml(context.client_id)}`);
    if (context.client_secret) {
      lines.push(
        `client_secret = ${toml(secretFile('client_secret', context.client_secret))}`,
      );
    }
  } else {
    // Used where the server supports Client ID Metadata Documents, else
    // the agent registers itself.
    lines.push(`client_metadata_url = ${toml(CIMD_URL)}`);
  }
  return { text: lines.join('\n') + '\n', interactive };
}

function cli(args, options = {}) {
  return spawnSync(join(binDir, 'mcpcred'), ['--socket', socket, ...args], {
    env,
    encoding: 'utf8',
    timeout: 30000,
    ...options,
  });
}

async function startAgent(configPath) {
  const agent = spawn(
    join(binDir, 'mcpcred-agent'),
    ['-D', '--config', configPath, '--socket', socket],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let agentLog = '';
  agent.stderr.on('data', (chunk) => (agentLog += chunk));
  for (let i = 0; i < 100; i++) {
    if (cli(['status']).status === 0) return { agent, log: () => agentLog };
    if (agent.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the agent did not start:\n${agentLog}`);
}

// `mcpcred login mcp --json --no-browser [--scope S]...`; the "browser"
// fetches the URL, following the redirects to the agent's listener.
async function login(scopes = []) {
  const args = ['--socket', socket, '--json', 'login', 'mcp', '--no-browser'];
  for (const scope of scopes) args.push('--scope', scope);
  const child = spawn(join(binDir, 'mcpcred'), args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let last = null;
  let browser = Promise.resolve();
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line);
    last = event;
    if (event.event === 'open_url') {
      browser = fetch(event.url).then(
        async (page) => log(`browser: ${(await page.text()).replace(/<[^>]*>/g, '')}`),
        (error) => log(`browser: ${error.message}`),
      );
    }
  }
  const code = await new Promise((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.on('exit', r),
  );
  await browser;
  if (code !== 0 || last?.event !== 'done') {
    throw new Error(`mcpcred login failed (${code}): ${stderr.trim()}`);
  }
}

function agentHeaders() {
  const got = cli(['--json', 'headers', 'mcp']);
  if (got.status !== 0) {
    throw new Error(`mcpcred headers failed: ${got.stderr.trim()}`);
  }
  return JSON.parse(got.stdout);
}

// The scopes of a Bearer insufficient_scope challenge, or null.
function insufficientScope(header) {
  if (!header || !/error="?insufficient_scope/.test(header)) return null;
  const scope = /scope="([^"]*)"/.exec(header);
  return scope ? scope[1].split(' ').filter(Boolean) : [];
}

// One JSON-RPC exchange over Streamable HTTP.
class McpSession {
  constructor() {
    this.nextId = 1;
    this.sessionId = null;
    this.protocolVersion = null;
    this.stepUps = 0;
  }

  async post(message) {
    for (;;) {
      const headers = {
        ...agentHeaders(),
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      };
      if (this.sessionId) headers['Mcp-Session-Id'] = this.sessionId;
      if (this.protocolVersion) {
        headers['MCP-Protocol-Version'] = this.protocolVersion;
      }
      const response = await fetch(serverUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify(message),
      });
      const scopes = insufficientScope(response.headers.get('www-authenticate'));
      if (response.status === 403 && scopes !== null) {
        if (this.stepUps >= MAX_STEP_UPS) {
          throw new Error(`still 403 insufficient_scope after ${this.stepUps} step-ups`);
        }
        this.stepUps++;
        log(`step-up ${this.stepUps}: ${message.method} needs ${scopes.join(' ')}`);
        await login(scopes);
        continue;
      }
      if (response.headers.get('mcp-session-id')) {
        this.sessionId = response.headers.get('mcp-session-id');
      }
      if (!response.ok) {
        throw new Error(`${message.method}: HTTP ${response.status}`);
      }
      if (message.id === undefined) return null;
      const type = response.headers.get('content-type') || '';
      const text = await response.text();
      const messages = type.includes('text/event-stream')
        ? text
            .split(/\r?\n/)
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .filter(Boolean)
            .map((d) => JSON.parse(d))
        : [JSON.parse(text)];
      const reply = messages.find((m) => m.id === message.id);
      if (!reply) throw new Error(`${message.method}: no response`);
      if (reply.error) {
        throw new Error(`${message.method}: ${JSON.stringify(reply.error)}`);
      }
      return reply.result;
    }
  }

  request(method, params = {}) {
    return this.post({ jsonrpc: '2.0', id: this.nextId++, method, params });
  }

  notify(method, params = {}) {
    return this.post({ jsonrpc: '2.0', method, params });
  }
}

async function main() {
  const { text, interactive } = credentialToml();
  const configPath = join(work, 'config.toml');
  writeFileSync(configPath, `[store]\nbackend = "memory"\n\n${text}`, {
    mode: 0o600,
  });
  const { agent, log: agentLog } = await startAgent(configPath);
  try {
    if (interactive) await login();
    const session = new McpSession();
    const init = await session.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'mcpcred-conformance-driver', version: '1.0.0' },
    });
    session.protocolVersion = init.protocolVersion;
    await session.notify('notifications/initialized');
    const { tools = [] } = await session.request('tools/list');
    if (tools.length > 0) {
      await session.request('tools/call', { name: tools[0].name, arguments: {} });
    }
    log(`done: ${tools.length} tool(s), ${session.stepUps} step-up(s)`);
  } catch (error) {
    log(`error: ${error.message}`);
    log(`agent log:\n${agentLog()}`);
    process.exitCode = 1;
  } finally {
    agent.kill('SIGTERM');
    await new Promise((r) => (agent.exitCode !== null ? r() : agent.on('exit', r)));
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
