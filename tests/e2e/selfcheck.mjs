// Self-check of the e2e harness, Node only: starts peers.mjs, plays an OAuth
// client against it (DCR, auth code + PKCE through browser.mjs, refresh with
// rotation, device flow, client credentials, revocation, error injection)
// and prints PASS/FAIL per item. Exit status 0 only when everything passed.
//
//   node selfcheck.mjs [--verbose]
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const VERBOSE = process.argv.includes('--verbose');
const ACCESS_TTL = 5;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const results = [];
let peers;
let peersProc;

function b64url(buf) { return Buffer.from(buf).toString('base64url'); }
function sleep(ms) { return new Promise((r) => { setTimeout(r, ms); }); }

async function check(name, fn) {
  const t0 = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log(`PASS ${name}${note ? ` (${note})` : ''} [${Date.now() - t0} ms]`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${err.message} [${Date.now() - t0} ms]`);
    if (VERBOSE) console.log(err.stack);
  }
}

function assert(cond, msg) { if (!cond) throw new Error(msg); }
function assertEq(a, b, what) { if (a !== b) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`); }

async function startPeersProcess(extraArgs = []) {
  const proc = spawn(process.execPath, [`${HERE}peers.mjs`, '--access-ttl', String(ACCESS_TTL), '--device-interval', '1', '--exit-on-stdin-eof', ...extraArgs], {
    stdio: ['pipe', 'pipe', VERBOSE ? 'inherit' : 'ignore'],
  });
  const rl = createInterface({ input: proc.stdout });
  const [line] = await Promise.race([
    once(rl, 'line'),
    once(proc, 'exit').then(([code]) => { throw new Error(`peers.mjs exited with ${code}`); }),
    sleep(20000).then(() => { throw new Error('peers.mjs did not start in 20 s'); }),
  ]);
  return { proc, info: JSON.parse(line) };
}

function runBrowser(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [`${HERE}browser.mjs`, ...args], { stdio: ['ignore', 'pipe', VERBOSE ? 'inherit' : 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr?.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code === 0) resolve(out.trim());
      else reject(new Error(`browser.mjs ${args[0]} exited ${code}: ${err.trim().split('\n').pop()}`));
    });
  });
}

async function getJson(url, init) {
  const r = await fetch(url, init);
  const text = await r.text();
  let body;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: r.status, headers: r.headers, body, text };
}

function form(params) {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) };
}

function basic(id, secret) {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

// Parses `Bearer k="v", k2="v2"` (enough for our own resource's challenges).
function parseChallenge(h) {
  const out = {};
  for (const m of (h ?? '').matchAll(/([a-z_]+)="([^"]*)"/gi)) out[m[1]] = m[2];
  return out;
}

async function callResource(token) {
  return getJson(peers.resource, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function asStats() { return (await getJson(`${peers.as_test}/stats`)).body; }
async function asMode(q) { return getJson(`${peers.as_test}/mode?${new URLSearchParams(q)}`, { method: 'POST' }); }

// A loopback redirect listener on an ephemeral port, accepting one callback.
async function loopbackListener() {
  let resolveCb;
  const got = new Promise((r) => { resolveCb = r; });
  const srv = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    if (u.pathname !== '/callback') { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>You can close this window.</p>');
    resolveCb(Object.fromEntries(u.searchParams));
  });
  await new Promise((r) => { srv.listen(0, '127.0.0.1', r); });
  const redirectUri = `http://127.0.0.1:${srv.address().port}/callback`;
  return { redirectUri, got, close: () => srv.close() };
}

function pkce() {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  return { verifier, challenge };
}

// Full authorization code + PKCE run. Returns the token response body.
async function authCodeLogin(meta, clientId, { scope = 'mcp:read mcp:write', deny = false, resource = peers.resource } = {}) {
  const lb = await loopbackListener();
  try {
    const { verifier, challenge } = pkce();
    const state = b64url(randomBytes(16));
    const u = new URL(meta.authorization_endpoint);
    u.search = new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: lb.redirectUri, scope, state,
      code_challenge: challenge, code_challenge_method: 'S256', ...(resource ? { resource } : {}),
    }).toString();
    const out = await runBrowser(['authorize', u.href, ...(deny ? ['--deny'] : [])]);
    assert(out.startsWith('callback 200 '), `browser said: ${out}`);
    const cb = await lb.got;
    assertEq(cb.state, state, 'state');
    assertEq(cb.iss, meta.issuer, 'iss (RFC 9207)');
    if (deny) return { callback: cb };
    assert(cb.code, `no code in callback: ${JSON.stringify(cb)}`);
    const r = await getJson(meta.token_endpoint, form({
      grant_type: 'authorization_code', code: cb.code, redirect_uri: lb.redirectUri, code_verifier: verifier, client_id: clientId,
      ...(resource ? { resource } : {}),
    }));
    assertEq(r.status, 200, `token endpoint status (${r.text})`);
    return { callback: cb, tokens: r.body };
  } finally {
    lb.close();
  }
}

async function refresh(meta, clientId, refreshToken, withResource = true) {
  return getJson(meta.token_endpoint, form({
    grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, ...(withResource ? { resource: peers.resource } : {}),
  }));
}

async function deviceAuthorize(meta, clientId) {
  const r = await getJson(meta.device_authorization_endpoint, form({ client_id: clientId, scope: 'mcp:read', resource: peers.resource }));
  assertEq(r.status, 200, `device authorization status (${r.text})`);
  return r.body;
}

async function devicePoll(meta, clientId, deviceCode) {
  return getJson(meta.token_endpoint, form({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId, resource: peers.resource }));
}

async function main() {
  ({ proc: peersProc, info: peers } = await startPeersProcess());
  console.log(`peers: as=${peers.as} resource=${peers.resource}`);

  let meta;
  let client;
  let tokens;
  let prm;

  await check('resource answers 401 with an RFC 9728 challenge', async () => {
    const r = await callResource();
    assertEq(r.status, 401, 'status');
    const ch = parseChallenge(r.headers.get('www-authenticate'));
    assert(/^Bearer /.test(r.headers.get('www-authenticate')), 'scheme');
    assertEq(ch.resource_metadata, peers.resource_metadata, 'resource_metadata');
    assertEq(ch.scope, 'mcp:read', 'scope');
  });

  await check('protected resource metadata (path-specific and root)', async () => {
    const r = await getJson(peers.resource_metadata);
    assertEq(r.status, 200, 'status');
    prm = r.body;
    assertEq(prm.resource, peers.resource, 'resource');
    assertEq(prm.authorization_servers[0], peers.as, 'authorization_servers');
    assertEq(prm.bearer_methods_supported[0], 'header', 'bearer_methods_supported');
    const root = await getJson(`${new URL(peers.resource).origin}/.well-known/oauth-protected-resource`);
    assertEq(root.body?.resource, peers.resource, 'root metadata resource');
  });

  await check('AS metadata via RFC 8414 and OpenID discovery', async () => {
    const a = await getJson(`${prm.authorization_servers[0]}/.well-known/oauth-authorization-server`);
    const b = await getJson(`${prm.authorization_servers[0]}/.well-known/openid-configuration`);
    assertEq(a.status, 200, 'RFC 8414 status');
    assertEq(b.status, 200, 'OIDC status');
    meta = a.body;
    assertEq(meta.issuer, peers.as, 'issuer');
    assertEq(JSON.stringify(a.body), JSON.stringify(b.body), 'both documents equal');
    assert(meta.code_challenge_methods_supported.includes('S256'), 'S256 supported');
    for (const k of ['authorization_endpoint', 'token_endpoint', 'device_authorization_endpoint', 'registration_endpoint', 'revocation_endpoint', 'introspection_endpoint']) {
      assert(meta[k], `${k} present`);
    }
  });

  await check('dynamic client registration (native, loopback redirect, public)', async () => {
    const r = await getJson(meta.registration_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'mcpcred selfcheck',
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/callback'],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
        response_types: ['code'],
      }),
    });
    assertEq(r.status, 201, `status (${r.text})`);
    client = r.body;
    assert(client.client_id, 'client_id');
    assert(!client.client_secret, 'no client_secret for a public client');
    return `client_id=${client.client_id}, keys: ${Object.keys(client).sort().join(' ')}`;
  });

  await check('authorization code + PKCE S256 (loopback redirect on an ephemeral port, resource)', async () => {
    ({ tokens } = await authCodeLogin(meta, client.client_id));
    assertEq(tokens.token_type, 'Bearer', 'token_type');
    assertEq(tokens.expires_in, ACCESS_TTL, 'expires_in');
    assert(tokens.access_token && tokens.refresh_token, 'access and refresh token');
    return `fields: ${Object.keys(tokens).sort().join(' ')}; scope="${tokens.scope}"`;
  });

  await check('resource accepts the access token (200)', async () => {
    const r = await callResource(tokens.access_token);
    assertEq(r.status, 200, `status (${r.text})`);
    assertEq(r.body.ok, true, 'ok');
    assertEq(r.body.client_id, client.client_id, 'client_id');
    assertEq(r.body.sub, 'alice', 'sub');
  });

  await check('PKCE required: authorization without code_challenge is refused', async () => {
    const u = new URL(meta.authorization_endpoint);
    u.search = new URLSearchParams({
      response_type: 'code', client_id: client.client_id, redirect_uri: 'http://127.0.0.1:1/callback', scope: 'mcp:read', state: 'x', resource: peers.resource,
    }).toString();
    const r = await fetch(u, { redirect: 'manual' });
    const loc = new URL(r.headers.get('location'));
    assertEq(loc.searchParams.get('error'), 'invalid_request', 'error');
    return loc.searchParams.get('error_description');
  });

  let oldRefresh;
  await check('refresh rotates the refresh token; the old one then fails with invalid_grant', async () => {
    oldRefresh = tokens.refresh_token;
    const r = await refresh(meta, client.client_id, oldRefresh);
    assertEq(r.status, 200, `status (${r.text})`);
    assert(r.body.refresh_token && r.body.refresh_token !== oldRefresh, 'new refresh token');
    assert(r.body.access_token !== tokens.access_token, 'new access token');
    tokens = r.body;
    assertEq((await callResource(tokens.access_token)).status, 200, 'resource accepts refreshed token');
    // Reuse of the rotated token: invalid_grant, and oidc-provider revokes the
    // whole grant, so the newest refresh token dies too.
    const reuse = await refresh(meta, client.client_id, oldRefresh);
    assertEq(reuse.status, 400, 'reuse status');
    assertEq(reuse.body.error, 'invalid_grant', 'reuse error');
    const after = await refresh(meta, client.client_id, tokens.refresh_token);
    assertEq(after.body.error, 'invalid_grant', 'newest refresh token after reuse');
    const st = await asStats();
    assertEq(st.refresh_reuse_attempts.length, 1, 'stats.refresh_reuse_attempts');
    assertEq(st.provider_reuse_detections, 1, 'stats.provider_reuse_detections');
    return `reuse answer: ${JSON.stringify(reuse.body)}`;
  });

  await check('access token expires after --access-ttl; refresh (without resource) keeps the audience', async () => {
    ({ tokens } = await authCodeLogin(meta, client.client_id));
    await sleep((ACCESS_TTL + 1) * 1000);
    const expired = await callResource(tokens.access_token);
    assertEq(expired.status, 401, 'expired token status');
    assert(/error="invalid_token"/.test(expired.headers.get('www-authenticate')), 'invalid_token challenge');
    const r = await refresh(meta, client.client_id, tokens.refresh_token, false);
    assertEq(r.status, 200, `refresh status (${r.text})`);
    tokens = r.body;
    assertEq((await callResource(tokens.access_token)).status, 200, 'resource accepts the new token');
  });

  await check('pre-registered native client: any loopback port accepted (RFC 8252 7.3)', async () => {
    const { tokens: t } = await authCodeLogin(meta, 'mcpcred-native', { scope: 'mcp:read offline_access' });
    assert(t.refresh_token, 'refresh token');
    assertEq((await callResource(t.access_token)).status, 200, 'resource status');
  });

  await check('token without the resource parameter is rejected by the resource (audience)', async () => {
    const { tokens: t } = await authCodeLogin(meta, client.client_id, { scope: 'openid mcp:read', resource: null });
    const r = await callResource(t.access_token);
    assertEq(r.status, 401, 'resource status');
    return r.body.error_description;
  });

  await check('unknown resource indicator is refused with invalid_target', async () => {
    const r = await getJson(meta.device_authorization_endpoint, form({ client_id: client.client_id, scope: 'mcp:read', resource: `${peers.resource}/other` }));
    assertEq(r.body?.error, 'invalid_target', `error (${r.text})`);
  });

  await check('authorization denied by the user: callback gets error=access_denied', async () => {
    const { callback } = await authCodeLogin(meta, client.client_id, { deny: true });
    assertEq(callback.error, 'access_denied', 'error');
    assert(!callback.code, 'no code');
  });

  await check('device flow: authorization_pending, browser approves, tokens, resource 200', async () => {
    const d = await deviceAuthorize(meta, client.client_id);
    assert(d.verification_uri_complete.startsWith(`${d.verification_uri}?user_code=`), 'verification_uri_complete shape');
    assertEq(d.interval, 1, 'interval (from --device-interval)');
    const pending = await devicePoll(meta, client.client_id, d.device_code);
    assertEq(pending.body?.error, 'authorization_pending', 'first poll');
    const out = await runBrowser(['device', d.verification_uri_complete]);
    assertEq(out, 'device approved', 'browser');
    const r = await devicePoll(meta, client.client_id, d.device_code);
    assertEq(r.status, 200, `token status (${r.text})`);
    assert(r.body.refresh_token, 'refresh token');
    assertEq((await callResource(r.body.access_token)).status, 200, 'resource status');
    return `user_code=${d.user_code} verification_uri=${d.verification_uri} fields: ${Object.keys(d).sort().join(' ')}`;
  });

  await check('device flow via verification_uri + typed user code', async () => {
    const d = await deviceAuthorize(meta, client.client_id);
    assertEq(await runBrowser(['device', d.verification_uri, d.user_code]), 'device approved', 'browser');
    assertEq((await devicePoll(meta, client.client_id, d.device_code)).status, 200, 'token status');
  });

  await check('device flow denied: access_denied', async () => {
    const d = await deviceAuthorize(meta, client.client_id);
    assertEq(await runBrowser(['device', d.verification_uri_complete, '--deny']), 'device denied', 'browser');
    const r = await devicePoll(meta, client.client_id, d.device_code);
    assertEq(r.body?.error, 'access_denied', `error (${r.text})`);
  });

  await check('device flow slow_down injection (POST /_test/slowdown)', async () => {
    const d = await deviceAuthorize(meta, client.client_id);
    await getJson(`${peers.as_test}/slowdown`, { method: 'POST' });
    const r1 = await devicePoll(meta, client.client_id, d.device_code);
    assertEq(r1.body?.error, 'slow_down', 'first poll');
    const r2 = await devicePoll(meta, client.client_id, d.device_code);
    assertEq(r2.body?.error, 'authorization_pending', 'second poll');
  });

  await check('device flow expired_token (device_ttl=2)', async () => {
    await asMode({ device_ttl: 2 });
    try {
      const d = await deviceAuthorize(meta, client.client_id);
      assertEq(d.expires_in, 2, 'expires_in');
      await sleep(3000);
      const r = await devicePoll(meta, client.client_id, d.device_code);
      assertEq(r.body?.error, 'expired_token', `error (${r.text})`);
    } finally {
      await asMode({ device_ttl: 600 });
    }
  });

  await check('client_credentials (client_secret_basic and client_secret_post, resource)', async () => {
    const svc = peers.clients['mcpcred-service'];
    const r = await getJson(meta.token_endpoint, {
      ...form({ grant_type: 'client_credentials', scope: 'mcp:read', resource: peers.resource }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('mcpcred-service', svc.client_secret) },
    });
    assertEq(r.status, 200, `status (${r.text})`);
    assert(!r.body.refresh_token, 'no refresh token');
    assertEq(r.body.expires_in, ACCESS_TTL, 'expires_in');
    const ok = await callResource(r.body.access_token);
    assertEq(ok.status, 200, 'resource status');
    assertEq(ok.body.client_id, 'mcpcred-service', 'client_id');
    const p = await getJson(meta.token_endpoint, form({
      grant_type: 'client_credentials', scope: 'mcp:read', resource: peers.resource,
      client_id: 'mcpcred-service-post', client_secret: peers.clients['mcpcred-service-post'].client_secret,
    }));
    assertEq(p.status, 200, `post status (${p.text})`);
    const bad = await getJson(meta.token_endpoint, {
      ...form({ grant_type: 'client_credentials', scope: 'mcp:read', resource: peers.resource }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('mcpcred-service', 'wrong') },
    });
    assertEq(bad.status, 401, 'wrong secret status');
    assertEq(bad.body.error, 'invalid_client', 'wrong secret error');
    return `fields: ${Object.keys(r.body).sort().join(' ')}`;
  });

  await check('revocation: of the refresh token or of the access token, both end the grant', async () => {
    const { tokens: t } = await authCodeLogin(meta, client.client_id);
    const rv = await getJson(meta.revocation_endpoint, form({ token: t.refresh_token, token_type_hint: 'refresh_token', client_id: client.client_id }));
    assertEq(rv.status, 200, `revocation status (${rv.text})`);
    const r = await refresh(meta, client.client_id, t.refresh_token);
    assertEq(r.body?.error, 'invalid_grant', 'refresh after revocation');
    // Revoking a refresh token revokes the grant, so its access token is dead too.
    assertEq((await callResource(t.access_token)).status, 401, 'access token after refresh-token revocation');
    const { tokens: t2 } = await authCodeLogin(meta, client.client_id);
    const rv2 = await getJson(meta.revocation_endpoint, form({ token: t2.access_token, token_type_hint: 'access_token', client_id: client.client_id }));
    assertEq(rv2.status, 200, 'access token revocation status');
    assertEq((await callResource(t2.access_token)).status, 401, 'resource after access token revocation');
    // oidc-provider revokes every token of the grant on either revocation.
    assertEq((await refresh(meta, client.client_id, t2.refresh_token)).body?.error, 'invalid_grant', 'refresh after access-token revocation');
    const again = await getJson(meta.revocation_endpoint, form({ token: t.refresh_token, client_id: client.client_id }));
    assertEq(again.status, 200, 'revoking twice is fine');
    const st = await asStats();
    assert(st.revocation_log.some((e) => e.kind === 'refresh_token' && e.status === 200), 'stats.revocation_log');
  });

  await check('server-side grant revocation (POST /_test/revoke-grants) makes refresh fail with invalid_grant', async () => {
    const { tokens: t } = await authCodeLogin(meta, 'mcpcred-native');
    const rv = await getJson(`${peers.as_test}/revoke-grants?client_id=mcpcred-native`, { method: 'POST' });
    assert(rv.body.revoked >= 1, `revoked ${rv.body.revoked}`);
    const r = await refresh(meta, 'mcpcred-native', t.refresh_token);
    assertEq(r.body?.error, 'invalid_grant', `error (${r.text})`);
  });

  await check('injected token-endpoint failures: 500 JSON, 502 HTML, malformed JSON, dropped connection', async () => {
    const cc = () => getJson(meta.token_endpoint, {
      ...form({ grant_type: 'client_credentials', scope: 'mcp:read', resource: peers.resource }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('mcpcred-service', 'mcpcred-service-secret') },
    });
    await getJson(`${peers.as_test}/fail?count=2&status=500`, { method: 'POST' });
    const a = await cc();
    assertEq(a.status, 500, '500 status');
    assertEq(a.body?.error, 'server_error', '500 body');
    assertEq((await cc()).status, 500, 'second 500');
    assertEq((await cc()).status, 200, 'then OK');
    await getJson(`${peers.as_test}/fail?count=1&status=502&body=html`, { method: 'POST' });
    const h = await cc();
    assertEq(h.status, 502, 'html status');
    assert(h.body === undefined && /<html>/.test(h.text), 'html body');
    await getJson(`${peers.as_test}/fail?count=1&status=503`, { method: 'POST' });
    assertEq((await cc()).body?.error, 'temporarily_unavailable', '503 error');
    await getJson(`${peers.as_test}/malformed?count=1`, { method: 'POST' });
    const m = await cc();
    assertEq(m.status, 200, 'malformed status');
    assert(m.body === undefined, 'malformed body does not parse');
    await getJson(`${peers.as_test}/fail?count=1&status=0`, { method: 'POST' });
    let dropped = false;
    try { await cc(); } catch { dropped = true; }
    assert(dropped, 'connection dropped');
    assertEq((await cc()).status, 200, 'then OK again');
  });

  await check('metadata modes: bad_issuer, no_s256 (plain / absent), discovery=openid', async () => {
    const url = `${peers.as}/.well-known/oauth-authorization-server`;
    try {
      await asMode({ bad_issuer: 1 });
      assert((await getJson(url)).body.issuer !== peers.as, 'issuer differs');
      await asMode({ bad_issuer: 0, no_s256: 'plain' });
      assertEq(JSON.stringify((await getJson(url)).body.code_challenge_methods_supported), '["plain"]', 'plain only');
      await asMode({ no_s256: 'absent' });
      assert(!('code_challenge_methods_supported' in (await getJson(url)).body), 'absent');
      await asMode({ no_s256: 0, discovery: 'openid' });
      assertEq((await getJson(url)).status, 404, 'RFC 8414 404 with discovery=openid');
      assertEq((await getJson(`${peers.as}/.well-known/openid-configuration`)).status, 200, 'OIDC still 200');
    } finally {
      await asMode({ bad_issuer: 0, no_s256: 0, discovery: 'both' });
    }
    assertEq((await getJson(url)).body.issuer, peers.as, 'restored');
  });

  await check('stats: token requests per grant type, refresh counters, resource log', async () => {
    const st = await asStats();
    for (const g of ['authorization_code', 'refresh_token', DEVICE_GRANT, 'client_credentials']) assert(st.token_requests[g] > 0, `token_requests[${g}]`);
    assert(st.refresh_tokens_issued > 0 && st.refresh_tokens_used > 0, 'refresh counters');
    assert(st.token_log.some((e) => e.grant_type === 'refresh_token' && e.resource.length === 0 && e.status === 200), 'token_log records resource');
    const rs = (await getJson(`${peers.resource_test}/stats`)).body;
    assert(rs.ok > 0 && rs.tokens_accepted.length > 0, 'resource stats');
    return `token_requests=${JSON.stringify(st.token_requests)} refresh issued/used=${st.refresh_tokens_issued}/${st.refresh_tokens_used} reuse=${st.refresh_reuse_attempts.length}`;
  });
}

try {
  await main();
} catch (err) {
  results.push({ name: 'harness', ok: false });
  console.log(`FAIL harness: ${err.stack}`);
} finally {
  if (peersProc) {
    peersProc.stdin.end();
    const timer = setTimeout(() => peersProc.kill('SIGKILL'), 3000);
    await once(peersProc, 'exit').catch(() => {});
    clearTimeout(timer);
  }
}
const failed = results.filter((r) => !r.ok).length;
console.log(failed ? `selfcheck: ${failed} of ${results.length} FAILED` : `selfcheck: all ${results.length} passed`);
process.exit(failed ? 1 : 0);
