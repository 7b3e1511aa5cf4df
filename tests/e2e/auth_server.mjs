// OAuth 2.1 authorization server for mcpcred's end-to-end tests: oidc-provider
// on 127.0.0.1 plus test-control endpoints under /_test. Test harness only.
//
//   node auth_server.mjs [--port 0] [--access-ttl 5] [--clients-json FILE] ...
//
// Prints "listening PORT" on stdout once ready; everything else goes to stderr.
// See README.md for every option, mode and /_test endpoint.
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import Provider, { errors as oidcErrors } from 'oidc-provider';

import {
  exitOnStdinEof, installSignalHandlers, isMain, log, parseArgs, readRawBody,
  routeConsoleToStderr, tokenHash, writeProtocolLine,
} from './util.mjs';

export const SCOPES = ['openid', 'offline_access', 'mcp:read', 'mcp:write'];
export const RESOURCE_SCOPE = 'mcp:read mcp:write';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const DEFAULT_CLIENTS_FILE = fileURLToPath(new URL('./clients.json', import.meta.url));

const OIDC_DISCOVERY = '/.well-known/openid-configuration';
const OAUTH_DISCOVERY = '/.well-known/oauth-authorization-server';
const LOG_CAP = 2000;

export function loadClients(file = DEFAULT_CLIENTS_FILE) {
  const clients = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(clients)) throw new Error(`${file}: expected a JSON array of client metadata`);
  return clients;
}

function freshStats() {
  return {
    started_at: new Date().toISOString(),
    token_requests: {},
    token_log: [],
    token_errors: 0,
    refresh_tokens_issued: 0,
    refresh_tokens_used: 0,
    refresh_reuse_attempts: [],
    revoked_refresh_token_use_attempts: [],
    provider_reuse_detections: 0,
    grants_revoked_by_provider: 0,
    revocations: 0,
    revocation_log: [],
    introspections: 0,
    registrations: 0,
    registered_clients: [],
    device_authorizations: 0,
    authorization_requests: 0,
    authorization_log: [],
    discovery_requests: { [OIDC_DISCOVERY]: 0, [OAUTH_DISCOVERY]: 0 },
    injected: { fail: 0, malformed: 0, slow_down: 0 },
  };
}

function pushCapped(list, item) {
  list.push(item);
  if (list.length > LOG_CAP) list.splice(0, list.length - LOG_CAP);
}

function asList(v) {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function boolish(v) {
  return !['0', 'false', 'no', 'off', ''].includes(String(v).toLowerCase());
}

/**
 * Starts the authorization server.
 * options: host, port, accessTtl, refreshTtl, deviceTtl, deviceInterval,
 *   clients (array), resources (allow-list of resource indicators; empty =
 *   any absolute http(s) URL), defaultResource, requireOfflineAccess,
 *   badIssuer, noS256 ('plain' | 'absent' | false), discovery ('both' |
 *   'oauth' | 'openid' | 'none'), rejectResource.
 * Returns { issuer, port, provider, server, stats(), reset(), mode, close() }.
 */
export async function startAuthServer(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const clients = options.clients ?? loadClients();

  // Everything a test may flip at run time through POST /_test/mode.
  const mode = {
    access_ttl: options.accessTtl ?? 3600,
    refresh_ttl: options.refreshTtl ?? 14 * 24 * 3600,
    device_ttl: options.deviceTtl ?? 600,
    device_interval: options.deviceInterval ?? 0, // 0: the response has no "interval" (RFC 8628 default 5 s)
    bad_issuer: options.badIssuer ?? false,
    no_s256: options.noS256 ?? false,
    discovery: options.discovery ?? 'both',
    reject_resource: options.rejectResource ?? false,
    default_resource: options.defaultResource ?? '',
    require_offline_access: options.requireOfflineAccess ?? false,
    resources: [...(options.resources ?? [])],
  };

  let stats = freshStats();
  // Failure injection, keyed by request path ("*" = every non-/_test path).
  const fail = new Map(); // path -> { remaining, status, body, error }
  const malformed = new Map(); // path -> { remaining, after, body }
  let slowdown = 0;

  // Hashes of tokens seen, to classify revocations and to spot reuse of a
  // rotated or revoked refresh token even after oidc-provider deleted it.
  const accessHashes = new Set();
  const refreshHashes = new Set();
  const rotatedRefreshHashes = new Set();
  const revokedRefreshHashes = new Set();
  const grantsByClient = new Map(); // client_id -> Set(grantId)

  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address();
  const issuer = `http://${host}:${port}`;

  // An EC key (fast to generate); ID tokens are ES256, the default for clients
  // that do not ask for another id_token_signed_response_alg.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-es256', use: 'sig', alg: 'ES256' };

  function resourceAllowed(indicator) {
    if (mode.resources.length) return mode.resources.includes(indicator);
    const u = URL.parse(indicator);
    return !!u && (u.protocol === 'http:' || u.protocol === 'https:') && !u.hash;
  }

  const configuration = {
    clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: SCOPES,
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'ES256',
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    async findAccount(_ctx, sub) {
      return { accountId: sub, async claims() { return { sub }; } };
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      clientCredentials: { enabled: true },
      registration: { enabled: true, initialAccessToken: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        async defaultResource(_ctx, _client, oneOf) {
          if (oneOf) return Array.isArray(oneOf) && oneOf.length === 1 ? oneOf[0] : oneOf;
          return mode.default_resource || undefined;
        },
        // Token and refresh requests without "resource" keep the audience of the grant.
        async useGrantedResource() { return true; },
        async getResourceServerInfo(_ctx, indicator) {
          if (!resourceAllowed(indicator)) {
            throw new oidcErrors.InvalidTarget(`unknown resource indicator ${indicator}`);
          }
          return {
            scope: RESOURCE_SCOPE,
            audience: indicator,
            accessTokenTTL: mode.access_ttl,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    pkce: { required: () => true },
    rotateRefreshToken: true,
    async issueRefreshToken(_ctx, client, source) {
      if (!client.grantTypeAllowed('refresh_token')) return false;
      return !mode.require_offline_access || source.scopes.has('offline_access');
    },
    async expiresWithSession() { return false; },
    ttl: {
      AccessToken: () => mode.access_ttl,
      ClientCredentials: () => mode.access_ttl,
      AuthorizationCode: 120,
      DeviceCode: () => mode.device_ttl,
      RefreshToken: () => mode.refresh_ttl,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
  };

  const provider = new Provider(issuer, configuration);

  provider.on('grant.saved', (grant) => {
    if (!grantsByClient.has(grant.clientId)) grantsByClient.set(grant.clientId, new Set());
    grantsByClient.get(grant.clientId).add(grant.jti);
  });
  provider.on('grant.error', (_ctx, err) => {
    if (err?.error_detail === 'refresh token already used') stats.provider_reuse_detections += 1;
  });
  provider.on('grant.revoked', () => { stats.grants_revoked_by_provider += 1; });
  provider.on('server_error', (_ctx, err) => log('as', 'server_error', err));

  // ---- /_test control endpoints -----------------------------------------
  function testRoute(ctx) {
    const q = ctx.query;
    const json = (body, status = 200) => { ctx.status = status; ctx.body = body; };
    const count = q.count === undefined ? 1 : Number.parseInt(q.count, 10);
    switch (`${ctx.method} ${ctx.path}`) {
      case 'POST /_test/fail': {
        const status = q.status === undefined ? 500 : Number.parseInt(q.status, 10);
        const path = q.path ?? '/token';
        fail.set(path, {
          remaining: count,
          status,
          body: q.body ?? 'json',
          error: q.error ?? (status === 503 ? 'temporarily_unavailable' : 'server_error'),
        });
        return json({ ok: true, path, ...fail.get(path) });
      }
      case 'POST /_test/malformed': {
        const path = q.path ?? '/token';
        malformed.set(path, { remaining: count, after: boolish(q.after ?? '0'), body: q.body ?? 'truncated' });
        return json({ ok: true, path, ...malformed.get(path) });
      }
      case 'POST /_test/slowdown':
        slowdown = count;
        return json({ ok: true, slowdown });
      case 'POST /_test/mode': {
        for (const [k, v] of Object.entries(q)) {
          switch (k) {
            case 'access_ttl': case 'refresh_ttl': case 'device_ttl': case 'device_interval':
              mode[k] = Number.parseInt(v, 10); break;
            case 'bad_issuer': mode[k] = v.startsWith('http') ? v : boolish(v); break;
            case 'no_s256': mode[k] = ['plain', 'absent'].includes(v) ? v : (boolish(v) ? 'plain' : false); break;
            case 'discovery': mode[k] = v; break;
            case 'reject_resource': case 'require_offline_access': mode[k] = boolish(v); break;
            case 'default_resource': mode[k] = v; break;
            case 'resources': mode[k] = v ? v.split(' ') : []; break;
            default: return json({ error: `unknown mode ${k}` }, 400);
          }
        }
        return json({ ok: true, mode });
      }
      case 'GET /_test/mode':
        return json(mode);
      case 'GET /_test/stats':
        return json(stats);
      case 'POST /_test/reset':
        stats = freshStats();
        fail.clear(); malformed.clear(); slowdown = 0;
        return json({ ok: true });
      case 'POST /_test/revoke-grants': {
        // Server-side revocation of every grant of a client (an admin
        // "revoke access"): its refresh tokens then fail with invalid_grant.
        const ids = [...(grantsByClient.get(q.client_id) ?? [])];
        return Promise.all(ids.map(async (id) => {
          const g = await provider.Grant.find(id);
          if (g) await g.destroy();
          return !!g;
        })).then((r) => {
          grantsByClient.delete(q.client_id);
          json({ ok: true, revoked: r.filter(Boolean).length });
        });
      }
      default:
        return json({ error: 'no such test endpoint' }, 404);
    }
  }

  function takeInjection(map, path) {
    for (const key of [path, '*']) {
      const e = map.get(key);
      if (e && e.remaining > 0) {
        e.remaining -= 1;
        if (e.remaining === 0) map.delete(key);
        return e;
      }
    }
    return undefined;
  }

  function respondFailure(ctx, f) {
    stats.injected.fail += 1;
    if (f.status === 0) {
      // A dropped connection: no HTTP response at all.
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    ctx.status = f.status;
    if (f.body === 'html') {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><head><title>${f.status} Error</title></head><body><h1>${f.status} Error</h1><p>injected by the test harness</p></body></html>`;
    } else {
      ctx.body = { error: f.error, error_description: 'injected by the test harness' };
    }
  }

  function malformedBody(kind) {
    switch (kind) {
      case 'empty': return '';
      case 'text': return 'this is not JSON';
      case 'array': return '[]';
      default: return '{"access_token":"truncated","token_type":"Bearer","expires_in":';
    }
  }

  function respondMalformed(ctx, m) {
    stats.injected.malformed += 1;
    ctx.status = 200;
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = malformedBody(m.body);
  }

  // Reads a form body so the harness can look at it, then hands it back to
  // oidc-provider (which accepts an already-read body via req.body).
  async function formParams(ctx) {
    if (ctx.method !== 'POST' || !ctx.is('application/x-www-form-urlencoded')) return new URLSearchParams();
    const raw = (await readRawBody(ctx.req)).toString('utf8');
    ctx.req.body = raw;
    return new URLSearchParams(raw);
  }

  function clientIdOf(ctx, params) {
    if (ctx.oidc?.client?.clientId) return ctx.oidc.client.clientId;
    if (params.get('client_id')) return params.get('client_id');
    const auth = ctx.get('authorization');
    if (auth.toLowerCase().startsWith('basic ')) {
      const dec = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      return decodeURIComponent(dec.split(':')[0]);
    }
    return undefined;
  }

  function rejectResource(ctx, resources, redirect) {
    if (!mode.reject_resource || resources.length === 0) return false;
    const body = { error: 'invalid_target', error_description: 'this server does not accept the resource parameter' };
    if (redirect && ctx.query.redirect_uri) {
      const u = new URL(ctx.query.redirect_uri);
      u.searchParams.set('error', body.error);
      u.searchParams.set('error_description', body.error_description);
      if (ctx.query.state) u.searchParams.set('state', ctx.query.state);
      u.searchParams.set('iss', issuer);
      ctx.redirect(u.href);
    } else {
      ctx.status = 400;
      ctx.body = body;
    }
    return true;
  }

  async function tokenEndpoint(ctx, next) {
    const params = await formParams(ctx);
    const grantType = params.get('grant_type') ?? '(none)';
    const resources = params.getAll('resource');
    stats.token_requests[grantType] = (stats.token_requests[grantType] ?? 0) + 1;
    const entry = {
      t: new Date().toISOString(),
      grant_type: grantType,
      client_id: clientIdOf(ctx, params),
      resource: resources,
      scope: params.get('scope') ?? undefined,
    };
    pushCapped(stats.token_log, entry);
    const finish = (extra) => {
      Object.assign(entry, { status: ctx.status, done_t: new Date().toISOString() }, extra);
      if (ctx.status !== 200) stats.token_errors += 1;
    };

    const f = takeInjection(fail, ctx.path);
    if (f) { respondFailure(ctx, f); return finish({ injected: 'fail', error: f.status ? f.error : 'connection dropped' }); }
    const m = takeInjection(malformed, ctx.path);
    if (m && !m.after) { respondMalformed(ctx, m); return finish({ injected: 'malformed' }); }
    if (grantType === DEVICE_CODE_GRANT && slowdown > 0) {
      slowdown -= 1;
      stats.injected.slow_down += 1;
      ctx.status = 400;
      ctx.body = { error: 'slow_down', error_description: 'injected by the test harness' };
      return finish({ injected: 'slow_down', error: 'slow_down' });
    }
    if (rejectResource(ctx, resources, false)) return finish({ error: 'invalid_target' });

    let presented;
    if (grantType === 'refresh_token' && params.get('refresh_token')) {
      presented = tokenHash(params.get('refresh_token'));
      entry.presented = presented;
      if (rotatedRefreshHashes.has(presented)) {
        pushCapped(stats.refresh_reuse_attempts, { t: entry.t, client_id: entry.client_id, token: presented });
        log('as', `refresh token reuse attempt by ${entry.client_id} (token #${presented})`);
      }
      if (revokedRefreshHashes.has(presented)) {
        pushCapped(stats.revoked_refresh_token_use_attempts, { t: entry.t, client_id: entry.client_id, token: presented });
      }
    }

    await next();

    const body = ctx.body && typeof ctx.body === 'object' ? ctx.body : {};
    entry.client_id = clientIdOf(ctx, params);
    if (ctx.status === 200) {
      if (body.access_token) accessHashes.add(tokenHash(body.access_token));
      if (body.refresh_token) {
        stats.refresh_tokens_issued += 1;
        refreshHashes.add(tokenHash(body.refresh_token));
      }
      if (grantType === 'refresh_token') {
        stats.refresh_tokens_used += 1;
        if (body.refresh_token && tokenHash(body.refresh_token) !== presented) rotatedRefreshHashes.add(presented);
      }
      finish({ expires_in: body.expires_in, refresh_token_issued: !!body.refresh_token, scope_granted: body.scope });
    } else {
      finish({ error: body.error, error_description: body.error_description });
    }
    if (m && m.after) { respondMalformed(ctx, m); entry.injected = 'malformed-after-processing'; }
  }

  async function revocationEndpoint(ctx, next) {
    const params = await formParams(ctx);
    stats.revocations += 1;
    const h = params.get('token') ? tokenHash(params.get('token')) : undefined;
    let kind = 'unknown';
    if (h && refreshHashes.has(h)) kind = 'refresh_token';
    else if (h && accessHashes.has(h)) kind = 'access_token';
    const entry = {
      t: new Date().toISOString(),
      client_id: clientIdOf(ctx, params),
      token_type_hint: params.get('token_type_hint') ?? undefined,
      kind,
    };
    pushCapped(stats.revocation_log, entry);
    const f = takeInjection(fail, ctx.path);
    if (f) { respondFailure(ctx, f); entry.status = ctx.status; entry.injected = 'fail'; return; }
    await next();
    entry.status = ctx.status;
    if (ctx.status === 200 && kind === 'refresh_token') revokedRefreshHashes.add(h);
  }

  async function deviceAuthorizationEndpoint(ctx, next) {
    const params = await formParams(ctx);
    stats.device_authorizations += 1;
    const f = takeInjection(fail, ctx.path);
    if (f) return respondFailure(ctx, f);
    const m = takeInjection(malformed, ctx.path);
    if (m) return respondMalformed(ctx, m);
    if (rejectResource(ctx, params.getAll('resource'), false)) return undefined;
    await next();
    if (ctx.status === 200 && ctx.body && typeof ctx.body === 'object' && mode.device_interval > 0) {
      ctx.body = { ...ctx.body, interval: mode.device_interval };
    }
    return undefined;
  }

  async function authorizationEndpoint(ctx, next) {
    stats.authorization_requests += 1;
    const q = new URLSearchParams(ctx.querystring);
    pushCapped(stats.authorization_log, {
      t: new Date().toISOString(),
      client_id: q.get('client_id') ?? undefined,
      redirect_uri: q.get('redirect_uri') ?? undefined,
      scope: q.get('scope') ?? undefined,
      resource: q.getAll('resource'),
      code_challenge_method: q.get('code_challenge_method') ?? undefined,
      has_code_challenge: q.has('code_challenge'),
      has_state: q.has('state'),
      prompt: q.get('prompt') ?? undefined,
    });
    if (rejectResource(ctx, q.getAll('resource'), true)) return undefined;
    return next();
  }

  async function discoveryEndpoint(ctx, next) {
    const requested = ctx.path;
    stats.discovery_requests[requested] += 1;
    const f = takeInjection(fail, requested);
    if (f) return respondFailure(ctx, f);
    const m = takeInjection(malformed, requested);
    if (m) return respondMalformed(ctx, m);
    const served = {
      both: [OIDC_DISCOVERY, OAUTH_DISCOVERY], oauth: [OAUTH_DISCOVERY], openid: [OIDC_DISCOVERY], none: [],
    }[mode.discovery] ?? [OIDC_DISCOVERY, OAUTH_DISCOVERY];
    if (!served.includes(requested)) {
      ctx.status = 404;
      ctx.body = { error: 'not_found' };
      return undefined;
    }
    // RFC 8414 metadata is the same document oidc-provider serves for OpenID discovery.
    ctx.path = OIDC_DISCOVERY;
    await next();
    if (ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      const body = { ...ctx.body };
      if (mode.bad_issuer) body.issuer = typeof mode.bad_issuer === 'string' ? mode.bad_issuer : `${issuer}/not-this-issuer`;
      if (mode.no_s256 === 'absent') delete body.code_challenge_methods_supported;
      else if (mode.no_s256) body.code_challenge_methods_supported = ['plain'];
      ctx.body = body;
    }
    return undefined;
  }

  async function registrationEndpoint(ctx, next) {
    const f = takeInjection(fail, ctx.path);
    if (f) return respondFailure(ctx, f);
    const m = takeInjection(malformed, ctx.path);
    if (m) return respondMalformed(ctx, m);
    await next();
    if (ctx.method === 'POST' && ctx.status === 201 && ctx.body?.client_id) {
      stats.registrations += 1;
      const b = ctx.body;
      pushCapped(stats.registered_clients, {
        client_id: b.client_id,
        application_type: b.application_type,
        token_endpoint_auth_method: b.token_endpoint_auth_method,
        grant_types: b.grant_types,
        redirect_uris: b.redirect_uris,
        client_name: b.client_name,
      });
    }
    return undefined;
  }

  provider.use(async (ctx, next) => {
    const started = Date.now();
    try {
      if (ctx.path.startsWith('/_test/')) return await testRoute(ctx);
      if (ctx.path === OIDC_DISCOVERY || ctx.path === OAUTH_DISCOVERY) return await discoveryEndpoint(ctx, next);
      if (ctx.path === '/token' && ctx.method === 'POST') return await tokenEndpoint(ctx, next);
      if (ctx.path === '/token/revocation' && ctx.method === 'POST') return await revocationEndpoint(ctx, next);
      if (ctx.path === '/device/auth' && ctx.method === 'POST') return await deviceAuthorizationEndpoint(ctx, next);
      if (ctx.path === '/auth' && ctx.method === 'GET') return await authorizationEndpoint(ctx, next);
      if (ctx.path === '/reg' || ctx.path.startsWith('/reg/')) return await registrationEndpoint(ctx, next);
      if (ctx.path === '/token/introspection' && ctx.method === 'POST') stats.introspections += 1;
      const f = takeInjection(fail, ctx.path);
      if (f) return respondFailure(ctx, f);
      return await next();
    } finally {
      if (!ctx.path.startsWith('/_test/stats')) {
        log('as', `${ctx.method} ${ctx.originalUrl.replace(/([?&](?:code|refresh_token|token|device_code|user_code)=)[^&]*/g, '$1…')} -> ${ctx.status} (${Date.now() - started} ms)`);
      }
    }
  });

  server.on('request', provider.callback());

  return {
    issuer,
    port,
    provider,
    server,
    mode,
    stats: () => stats,
    reset: () => { stats = freshStats(); fail.clear(); malformed.clear(); slowdown = 0; },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

export const AS_ARGS = {
  port: 'int',
  host: 'string',
  'access-ttl': 'int',
  'refresh-ttl': 'int',
  'device-ttl': 'int',
  'device-interval': 'int',
  'clients-json': 'string',
  resource: 'list',
  'default-resource': 'string',
  'require-offline-access': 'bool',
  'bad-issuer': 'bool',
  'no-s256': 'bool',
  'no-s256-absent': 'bool',
  discovery: 'string',
  'reject-resource': 'bool',
  'exit-on-stdin-eof': 'bool',
};

export function asOptionsFromArgs(a) {
  return {
    host: a.host,
    port: a.port ?? 0,
    accessTtl: a['access-ttl'],
    refreshTtl: a['refresh-ttl'],
    deviceTtl: a['device-ttl'],
    deviceInterval: a['device-interval'],
    clients: a['clients-json'] ? loadClients(a['clients-json']) : loadClients(),
    resources: a.resource,
    defaultResource: a['default-resource'],
    requireOfflineAccess: a['require-offline-access'],
    badIssuer: a['bad-issuer'],
    noS256: a['no-s256-absent'] ? 'absent' : (a['no-s256'] ? 'plain' : false),
    discovery: a.discovery,
    rejectResource: a['reject-resource'],
  };
}

if (isMain(import.meta.url)) {
  routeConsoleToStderr();
  const args = parseArgs(process.argv.slice(2), AS_ARGS);
  const as = await startAuthServer(asOptionsFromArgs(args));
  const stop = (why) => { log('as', `stopping (${why})`); as.close().finally(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); };
  installSignalHandlers(stop);
  if (args['exit-on-stdin-eof']) exitOnStdinEof(stop);
  log('as', `issuer ${as.issuer}`);
  writeProtocolLine(`listening ${as.port}`);
}
