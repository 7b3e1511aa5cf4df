// Shared helpers for the e2e peers. Node built-ins only.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

// oidc-provider prints its NOTICE lines with console.info, i.e. on stdout.
// stdout of the peers is a protocol ("listening PORT" / one JSON line), so
// every console method goes to stderr and the protocol lines are written
// with writeProtocolLine().
export function routeConsoleToStderr() {
  for (const m of ['log', 'info', 'debug']) {
    console[m] = (...args) => console.error(...args);
  }
}

export function writeProtocolLine(line) {
  process.stdout.write(`${line}\n`);
}

export function log(tag, ...args) {
  console.error(`[${new Date().toISOString()}] ${tag}:`, ...args);
}

// True when the module at metaUrl is the script node was started with.
export function isMain(metaUrl) {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === metaUrl;
}

// Minimal --flag / --key value / --key=value parser. `spec` maps option names
// to 'bool' | 'string' | 'int' | 'list' (repeatable string).
export function parseArgs(argv, spec) {
  const out = { _: [] };
  for (const [k, t] of Object.entries(spec)) {
    if (t === 'list') out[k] = [];
  }
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      out._.push(a);
      continue;
    }
    let name = a.slice(2);
    let value;
    const eq = name.indexOf('=');
    if (eq !== -1) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const type = spec[name];
    if (!type) throw new Error(`unknown option --${name}`);
    if (type === 'bool') {
      out[name] = value === undefined ? true : !['0', 'false', 'no'].includes(value);
      continue;
    }
    if (value === undefined) {
      i += 1;
      if (i >= argv.length) throw new Error(`option --${name} needs a value`);
      value = argv[i];
    }
    if (type === 'int') {
      const n = Number.parseInt(value, 10);
      if (!Number.isFinite(n) || String(n) !== value.trim()) throw new Error(`option --${name} needs an integer`);
      out[name] = n;
    } else if (type === 'list') {
      out[name].push(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

// Tokens are never logged or kept in clear: stats only hold a short hash.
export function tokenHash(value) {
  return createHash('sha256').update(String(value)).digest('base64url').slice(0, 16);
}

export async function readRawBody(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

// Exit when stdin reaches EOF: a parent that spawns the peers with a pipe on
// stdin can never leave them running behind it.
export function exitOnStdinEof(onExit) {
  process.stdin.on('end', () => onExit('stdin closed'));
  process.stdin.on('error', () => onExit('stdin error'));
  process.stdin.resume();
}

export function installSignalHandlers(onExit) {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => onExit(sig));
  }
}
