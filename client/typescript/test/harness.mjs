// The test harness: real mcpcred-agent processes in a private temporary
// directory (socket, config, XDG dirs and $HOME inside it), the real mcpcred
// CLI, and the OAuth peers of tests/e2e (oidc-provider authorization server,
// protected resource, scripted browser).
//
// Binaries: $MCPCRED_AGENT_BIN and $MCPCRED_CLI_BIN, else ../../build/bin/...
// relative to this package. Every child process is killed by cleanup() (and,
// as a last resort, when this process exits). Secrets the tests use are noted
// (noteSecret) and cleanup() fails if one appears in an agent's log; failure
// messages pass through hide(), so no secret is ever printed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = resolve(packageDir, '../..');
const agentBin = process.env.MCPCRED_AGENT_BIN || resolve(packageDir, '../../build/bin/mcpcred-agent');
const cliBin = process.env.MCPCRED_CLI_BIN || resolve(packageDir, '../../build/bin/mcpcred');
const e2eDir = resolve(repoDir, 'tests/e2e');

// Safety bounds, never assertions.
const AGENT_START_LIMIT_MS = 15_000;
const STOP_LIMIT_MS = 10_000;
const PEERS_START_LIMIT_MS = 30_000;
const CHILD_LIMIT_MS = 60_000;

const children = new Set();
const killChildren = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.on('exit', killChildren);
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]]) {
  process.once(signal, () => {
    killChildren();
    process.exit(128 + number);
  });
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolves with the exit code (or signal name) once `child` exits. */
function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode ?? child.signalCode);
  }
  return new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
}

/** Sends `signal`, then SIGKILL after the limit; resolves with how it exited. */
async function stopChild(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
  const how = await exited(child);
  clearTimeout(timer);
  return how;
}

export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

/** Polls `check` every `everyMs` until it returns a truthy value or `limitMs` passes; returns its last value. */
export async function waitFor(check, { limitMs = 20_000, everyMs = 50 } = {}) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await sleep(everyMs);
  }
}

/** Runs a program to completion with a safety limit; never throws for a non-zero exit. */
export function run(argv, { env, input, limitMs = CHILD_LIMIT_MS } = {}) {
  return new Promise((done, fail) => {
    const child = track(spawn(argv[0], argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    // A child that exits without reading its stdin (mcpcred status) makes
    // writing it fail with EPIPE: not an error of the test.
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? signal, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** A fresh random secret value (noted for the leak checks by the sandbox that uses it). */
export function randomSecret(prefix = 'ts-secret') {
  return `${prefix}-${randomBytes(12).toString('hex')}`;
}

/** One test's private directory, agents and CLI runs. */
export class Sandbox {
  constructor() {
    // /tmp rather than $TMPDIR: Unix socket paths must stay short.
    this.dir = mkdtempSync('/tmp/mcts-');
    for (const sub of ['home', 'config', 'state', 'run']) mkdirSync(resolve(this.dir, sub), { mode: 0o700 });
    this.socket = resolve(this.dir, 'sock/agent.sock');
    this.configPath = resolve(this.dir, 'config.toml');
    this.secrets = new Set();
    this.agents = [];
    this.peers = undefined;
    this.logs = 0;
    for (const bin of [agentBin, cliBin]) {
      if (!existsSync(bin)) {
        throw new Error(`${bin} does not exist: build the agent first, or set MCPCRED_AGENT_BIN / MCPCRED_CLI_BIN`);
      }
    }
  }

  /** Notes a value that must never appear in a log or in test output (short ones would match anywhere). */
  noteSecret(value) {
    if (typeof value === 'string' && value.length >= 12) this.secrets.add(value);
    return value;
  }

  /** `text` with every noted secret replaced by <secret>. */
  hide(text) {
    let hidden = String(text);
    for (const secret of this.secrets) hidden = hidden.split(secret).join('<secret>');
    return hidden;
  }

  /** The environment every program gets: the XDG dirs, $HOME and $MCPCRED_SOCK in the sandbox. */
  env(extra = {}) {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: resolve(this.dir, 'home'),
      XDG_CONFIG_HOME: resolve(this.dir, 'config'),
      XDG_STATE_HOME: resolve(this.dir, 'state'),
      XDG_RUNTIME_DIR: resolve(this.dir, 'run'),
      MCPCRED_SOCK: this.socket,
    };
    for (const name of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'TSAN_OPTIONS', 'LSAN_OPTIONS']) {
      if (process.env[name]) env[name] = process.env[name];
    }
    return { ...env, ...extra };
  }

  writeConfig(toml) {
    writeFileSync(this.configPath, `[store]\nbackend = "memory"\n\n${toml}`, { mode: 0o600 });
  }

  /** A file in the sandbox. */
  path(name) {
    return resolve(this.dir, name);
  }

  /**
   * Starts `mcpcred-agent -D --config FILE --socket SOCK` with `env` added to
   * the sandbox's environment and waits until `mcpcred status` answers.
   */
  async startAgent(env = {}) {
    const log = this.path(`agent-${++this.logs}.log`);
    const fd = openSync(log, 'w');
    const child = track(
      spawn(agentBin, ['-D', '--config', this.configPath, '--socket', this.socket], {
        env: this.env(env),
        stdio: ['ignore', fd, fd],
      }),
    );
    closeSync(fd);
    const agent = { child, log, pid: child.pid, stop: (signal) => stopChild(child, signal) };
    this.agents.push(agent);
    const up = await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) return 'exited';
        return (await this.cli(['status'])).code === 0;
      },
      { limitMs: AGENT_START_LIMIT_MS, everyMs: 100 },
    );
    if (up !== true) {
      throw new Error(`the agent did not start (${up || 'timeout'}); its log:\n${this.hide(this.agentLog(agent))}`);
    }
    return agent;
  }

  agentLog(agent) {
    return existsSync(agent.log) ? readFileSync(agent.log, 'utf8') : '';
  }

  /** The real CLI against the sandbox's agent. */
  async cli(args, { input } = {}) {
    return run([cliBin, '--socket', this.socket, ...args], { env: this.env(), input });
  }

  /**
   * Starts tests/e2e/peers.mjs (stdin piped, --exit-on-stdin-eof) and returns
   * the JSON line it prints: { as, resource, as_test, resource_test, clients, pid }.
   */
  async startPeers(args = []) {
    if (!existsSync(resolve(e2eDir, 'node_modules/oidc-provider'))) {
      throw new Error(`the OAuth test peers need their packages: run 'npm ci --prefix ${e2eDir}'`);
    }
    const log = this.path('peers.log');
    const fd = openSync(log, 'w');
    const child = track(
      spawn(process.execPath, [resolve(e2eDir, 'peers.mjs'), '--device-interval', '1', '--exit-on-stdin-eof', ...args], {
        stdio: ['pipe', 'pipe', fd],
      }),
    );
    closeSync(fd);
    this.peers = { child, log };
    const lines = createInterface({ input: child.stdout });
    const first = new Promise((done, fail) => {
      lines.once('line', done);
      child.once('exit', (code) => fail(new Error(`peers.mjs exited (${code}) before printing its URLs`)));
    });
    let timer;
    const limit = new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error('peers.mjs printed nothing in time')), PEERS_START_LIMIT_MS);
    });
    try {
      this.peers.info = JSON.parse(await Promise.race([first, limit]));
    } catch (error) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-3000) : '';
      throw new Error(`${error.message}\n--- peers log (tail):\n${tail}`);
    } finally {
      clearTimeout(timer);
    }
    return this.peers.info;
  }

  /** The user approves in the scripted browser: `browser.mjs authorize URL`. */
  async approve(url) {
    const result = await run([process.execPath, resolve(e2eDir, 'browser.mjs'), 'authorize', url, '--quiet']);
    if (result.code !== 0) {
      throw new Error(`browser.mjs failed (${result.code}):\n${this.hide(result.stdout + result.stderr)}`);
    }
  }

  /** Stops everything and checks the agents' logs for noted secrets; removes the directory unless a check failed. */
  async cleanup() {
    const problems = [];
    for (const agent of this.agents) {
      // An agent the test stopped itself was checked by the test.
      if (agent.child.exitCode === null && agent.child.signalCode === null) {
        const how = await agent.stop();
        if (how !== 0) problems.push(`agent pid ${agent.pid} did not stop cleanly: ${how}`);
      }
      const log = this.agentLog(agent);
      for (const secret of this.secrets) {
        if (log.includes(secret)) problems.push(`a secret leaked into the agent's log ${agent.log}`);
      }
    }
    if (this.peers) {
      this.peers.child.stdin.end();
      await stopChild(this.peers.child);
    }
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n(sandbox kept: ${this.dir})`);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A static credential from $<envVar>: env <envVar> and header Authorization. */
export function staticToml(name, envVar) {
  return (
    `[credential.${name}]\nprovider = "static"\nsecret = "env:${envVar}"\n` +
    `env = { ${envVar} = "{secret}" }\nheaders = { Authorization = "Bearer {secret}" }\n\n`
  );
}

/**
 * A sandbox, cleaned up with the test (`defer` from cleanups()), whose agent
 * serves one static credential `demo` with `secret` (staticToml's env
 * DEMO_API_KEY and Authorization header). Returns the sandbox and the agent.
 */
export async function startDemoAgent(defer, secret) {
  const sandbox = new Sandbox();
  defer(() => sandbox.cleanup());
  sandbox.noteSecret(secret);
  sandbox.writeConfig(staticToml('demo', 'DEMO_API_KEY'));
  const agent = await sandbox.startAgent({ DEMO_API_KEY: secret });
  return { sandbox, agent };
}

/** An oauth2 credential against the peers' resource, as the C++ end-to-end tests configure it. */
export function oauthToml(name, peers) {
  return (
    `[credential.${name}]\nprovider = "oauth2"\nresource = "${peers.resource}"\n` +
    `client_id = "mcpcred-native"\nscopes = ["mcp:read", "offline_access"]\n` +
    `headers = { Authorization = "Bearer {access_token}" }\n\n`
  );
}

/**
 * A `command` credential whose program prints a new random token each run,
 * living `expiresIn` seconds, and appends the time it finished (ms since the
 * epoch) to `runLog`: the agent's refresh times.
 */
export function rotatingToml(name, sandbox, { expiresIn = 3 } = {}) {
  const script = sandbox.path(`${name}.sh`);
  const runLog = sandbox.path(`${name}.runs`);
  writeFileSync(
    script,
    '#!/bin/sh\n' +
      `token="rot-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')"\n` +
      `printf '{"access_token":"%s","token_type":"Bearer","expires_in":${expiresIn}}\\n' "$token"\n` +
      `date +%s%3N >> '${runLog}'\n`,
    { mode: 0o700 },
  );
  return {
    toml: `[credential.${name}]\nprovider = "command"\ncommand = ["${script}"]\nheaders = { Authorization = "Bearer {access_token}" }\n\n`,
    /** The finish times (ms) of the program's runs so far. */
    runs: () => (existsSync(runLog) ? readFileSync(runLog, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []),
  };
}

/**
 * Registers cleanups for test `t`, run last-registered first after the test
 * (all of them, even when one fails; the first failure is then thrown).
 */
export function cleanups(t) {
  const steps = [];
  t.after(async () => {
    let failure;
    for (const step of steps.reverse()) {
      try {
        await step();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
  });
  return (step) => steps.push(step);
}
