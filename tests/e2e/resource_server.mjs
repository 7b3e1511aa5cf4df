// A tiny MCP-style protected resource (node:http only) for mcpcred's e2e tests.
//
//   node resource_server.mjs --as-issuer http://127.0.0.1:A \
//        --introspection-client mcp-resource:mcp-resource-secret [--port 0]
//
// Resource: http://127.0.0.1:PORT/mcp. Without a token: 401 with an RFC 9728
// challenge. With a token: introspected at the authorization server, accepted
// only when active, an access token, and its aud includes exactly the
// resource URL. Prints "listening PORT" on stdout once ready.
import http from 'node:http';

import {
  exitOnStdinEof, installSignalHandlers, isMain, log, parseArgs,
  routeConsoleToStderr, tokenHash, writeProtocolLine,
} from './util.mjs';

const PRM_PREFIX = '/.well-known/oauth-protected-resource';

function freshStats() {
  return {
    started_at: new Date().toISOString(),
    requests: 0,
    ok: 0,
    no_token: 0,
    invalid_token: 0,
    introspection_errors: 0,
    metadata_requests: { path: 0, root: 0 },
    // Distinct access tokens accepted, in order of first use (hash only).
    tokens_accepted: [],
  };
}

/**
 * options: host, port, path ('/mcp'), asIssuer (may be set later with
 *   setIssuer), introspectionClient ({ id, secret }), scope ('mcp:read'),
 *   scopesSupported, mode overrides (see README: challenge, metadata_resource,
 *   path_metadata, root_metadata).
 */
export async function startResourceServer(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/mcp';
  let asIssuer = options.asIssuer;
  const client = options.introspectionClient ?? { id: 'mcp-resource', secret: 'mcp-resource-secret' };
  let introspectionEndpoint;

  const mode = {
    challenge_metadata: true, // resource_metadata= in the 401 challenge
    challenge_scope: options.scope ?? 'mcp:read', // scope= in the challenge ('' = none)
    path_metadata: true, // serve /.well-known/oauth-protected-resource/mcp
    root_metadata: true, // serve /.well-known/oauth-protected-resource
    metadata_resource: '', // override "resource" in the metadata (mismatch tests)
    authorization_servers: '', // override authorization_servers (space separated)
    required_scope: '', // if set, tokens must carry this scope (else 403 insufficient_scope)
  };

  let stats = freshStats();
  const seen = new Map(); // token hash -> entry in stats.tokens_accepted

  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address();
  const origin = `http://${host}:${port}`;
  const resource = `${origin}${path}`;
  const metadataUrl = `${origin}${PRM_PREFIX}${path}`;

  function metadata() {
    return {
      resource: mode.metadata_resource || resource,
      authorization_servers: mode.authorization_servers ? mode.authorization_servers.split(' ') : [asIssuer],
      scopes_supported: options.scopesSupported ?? ['mcp:read', 'mcp:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'mcpcred e2e MCP resource',
    };
  }

  function challenge(extra = {}) {
    const parts = [];
    for (const [k, v] of Object.entries(extra)) parts.push(`${k}="${v}"`);
    if (mode.challenge_metadata) parts.push(`resource_metadata="${metadataUrl}"`);
    if (mode.challenge_scope) parts.push(`scope="${mode.challenge_scope}"`);
    return parts.length ? `Bearer ${parts.join(', ')}` : 'Bearer';
  }

  async function introspect(token) {
    if (!introspectionEndpoint) {
      const r = await fetch(`${asIssuer}/.well-known/openid-configuration`);
      if (!r.ok) throw new Error(`AS discovery answered ${r.status}`);
      introspectionEndpoint = (await r.json()).introspection_endpoint;
    }
    const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64');
    const r = await fetch(introspectionEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!r.ok) throw new Error(`introspection answered ${r.status}`);
    return r.json();
  }

  function send(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(text);
  }

  async function handle(req, res) {
    const url = new URL(req.url, origin);
    const p = url.pathname;

    if (p === '/_test/stats' && req.method === 'GET') return send(res, 200, stats);
    if (p === '/_test/reset' && req.method === 'POST') { stats = freshStats(); seen.clear(); return send(res, 200, { ok: true }); }
    if (p === '/_test/mode' && req.method === 'GET') return send(res, 200, mode);
    if (p === '/_test/mode' && req.method === 'POST') {
      for (const [k, v] of url.searchParams) {
        if (!(k in mode)) return send(res, 400, { error: `unknown mode ${k}` });
        mode[k] = typeof mode[k] === 'boolean' ? !['0', 'false', 'no', 'off'].includes(v) : v;
      }
      return send(res, 200, { ok: true, mode });
    }

    if (p === `${PRM_PREFIX}${path}` && req.method === 'GET') {
      stats.metadata_requests.path += 1;
      if (!mode.path_metadata) return send(res, 404, { error: 'not_found' });
      return send(res, 200, metadata());
    }
    if (p === PRM_PREFIX && req.method === 'GET') {
      stats.metadata_requests.root += 1;
      if (!mode.root_metadata) return send(res, 404, { error: 'not_found' });
      return send(res, 200, metadata());
    }

    if (p !== path) return send(res, 404, { error: 'not_found' });

    stats.requests += 1;
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i.exec(auth);
    if (!m) {
      stats.no_token += 1;
      return send(res, 401, { error: 'unauthorized' }, { 'www-authenticate': challenge() });
    }
    const token = m[1];
    const reject = (description) => {
      stats.invalid_token += 1;
      log('rs', `rejected token #${tokenHash(token)}: ${description}`);
      return send(res, 401, { error: 'invalid_token', error_description: description }, {
        'www-authenticate': challenge({ error: 'invalid_token', error_description: description }),
      });
    };

    let info;
    try {
      info = await introspect(token);
    } catch (err) {
      stats.introspection_errors += 1;
      log('rs', `introspection failed: ${err.message}`);
      return send(res, 503, { error: 'temporarily_unavailable', error_description: 'introspection failed' });
    }
    if (!info.active) return reject('token is not active');
    // Refresh tokens introspect as active too, but have no token_type.
    if (String(info.token_type ?? '').toLowerCase() !== 'bearer') return reject('not an access token');
    const aud = Array.isArray(info.aud) ? info.aud : (info.aud === undefined ? [] : [info.aud]);
    if (!aud.includes(resource)) return reject(`token audience ${JSON.stringify(aud)} does not include ${resource}`);
    if (mode.required_scope && !(info.scope ?? '').split(' ').includes(mode.required_scope)) {
      return send(res, 403, { error: 'insufficient_scope' }, {
        'www-authenticate': challenge({ error: 'insufficient_scope', scope: mode.required_scope }),
      });
    }

    stats.ok += 1;
    const h = tokenHash(token);
    const now = new Date().toISOString();
    if (seen.has(h)) {
      const e = seen.get(h);
      e.last_used = now;
      e.uses += 1;
    } else {
      const e = { token: h, client_id: info.client_id, sub: info.sub, exp: info.exp, first_used: now, last_used: now, uses: 1 };
      seen.set(h, e);
      stats.tokens_accepted.push(e);
    }
    return send(res, 200, {
      ok: true, sub: info.sub, client_id: info.client_id, scope: info.scope, exp: info.exp,
    });
  }

  server.on('request', (req, res) => {
    const started = Date.now();
    res.on('finish', () => {
      if (!req.url.startsWith('/_test/stats')) log('rs', `${req.method} ${req.url} -> ${res.statusCode} (${Date.now() - started} ms)`);
    });
    handle(req, res).catch((err) => {
      log('rs', 'error', err);
      if (!res.headersSent) send(res, 500, { error: 'server_error' });
      else res.destroy();
    });
  });

  return {
    port,
    origin,
    resource,
    metadataUrl,
    server,
    mode,
    stats: () => stats,
    setIssuer(iss) { asIssuer = iss; introspectionEndpoint = undefined; },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

export function parseClientPair(s) {
  const i = s.indexOf(':');
  if (i <= 0) throw new Error('--introspection-client wants ID:SECRET');
  return { id: s.slice(0, i), secret: s.slice(i + 1) };
}

if (isMain(import.meta.url)) {
  routeConsoleToStderr();
  const args = parseArgs(process.argv.slice(2), {
    port: 'int', host: 'string', 'as-issuer': 'string', 'introspection-client': 'string', 'exit-on-stdin-eof': 'bool',
  });
  if (!args['as-issuer']) throw new Error('--as-issuer URL is required');
  const rs = await startResourceServer({
    host: args.host,
    port: args.port ?? 0,
    asIssuer: args['as-issuer'],
    introspectionClient: args['introspection-client'] ? parseClientPair(args['introspection-client']) : undefined,
  });
  const stop = (why) => { log('rs', `stopping (${why})`); rs.close().finally(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); };
  installSignalHandlers(stop);
  if (args['exit-on-stdin-eof']) exitOnStdinEof(stop);
  log('rs', `resource ${rs.resource}`);
  writeProtocolLine(`listening ${rs.port}`);
}
