#!/usr/bin/env node
// A local stand-in for the two GitHub endpoints the github-app provider uses,
// for tests (GitHub itself is not reachable here). It checks the app JWT the
// way GitHub does: RS256 signature against the app's public key, `iss` is the
// app id, `iat` not in the future, `exp` not passed and at most 10 minutes
// after `iat`; the installation id must match. Tokens live --ttl-seconds.
//
//   node github_app_standin.js --app-id 12345 --installation-id 678 \
//        --public-key app.pub.pem [--ttl-seconds 3600]
// Prints "listening PORT" once ready. GET /_stats answers {"mints": N, ...}.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

const appId = arg('app-id');
const installationId = arg('installation-id');
const publicKey = crypto.createPublicKey(fs.readFileSync(arg('public-key')));
const ttlSeconds = Number(arg('ttl-seconds', '3600'));
const stats = { mints: 0, rejected: 0, last_body: null, last_headers: null };

function b64urlJson(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

// Returns an error message as GitHub words it, or null for a valid JWT.
function checkJwt(authorization) {
  const m = /^Bearer (.+)$/.exec(authorization || '');
  if (!m) return 'A JSON web token could not be decoded';
  const parts = m[1].split('.');
  if (parts.length !== 3) return 'A JSON web token could not be decoded';
  let header, payload;
  try {
    header = b64urlJson(parts[0]);
    payload = b64urlJson(parts[1]);
  } catch (e) {
    return 'A JSON web token could not be decoded';
  }
  if (header.alg !== 'RS256') return 'A JSON web token could not be decoded';
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  if (!crypto.verify('sha256', signed, publicKey, signature)) {
    return 'A JSON web token could not be decoded';
  }
  const now = Math.floor(Date.now() / 1000);
  if (String(payload.iss) !== String(appId)) {
    return "'Issuer' claim ('iss') must be an Integer";
  }
  if (!Number.isInteger(payload.iat) || payload.iat > now) {
    return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
  }
  if (!Number.isInteger(payload.exp) || payload.exp <= now) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  }
  if (payload.exp - payload.iat > 600) {
    return "'Expiration time' claim ('exp') is too far in the future";
  }
  return null;
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/_stats') return send(res, 200, stats);
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url);
    if (!m || req.method !== 'POST') {
      return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
    const problem = checkJwt(req.headers.authorization);
    if (problem) {
      stats.rejected++;
      return send(res, 401, { message: problem, documentation_url: 'https://docs.github.com/rest' });
    }
    if (m[1] !== String(installationId)) {
      return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app' });
    }
    let request = {};
    try {
      request = body ? JSON.parse(body) : {};
    } catch (e) {
      return send(res, 400, { message: 'Problems parsing JSON' });
    }
    stats.mints++;
    stats.last_body = request;
    stats.last_headers = {
      accept: req.headers.accept,
      'x-github-api-version': req.headers['x-github-api-version'],
    };
    const expires = new Date((Math.floor(Date.now() / 1000) + ttlSeconds) * 1000);
    send(res, 201, {
      token: `ghs_${crypto.randomBytes(18).toString('hex')}`,
      expires_at: expires.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      permissions: request.permissions || { metadata: 'read' },
      repository_selection: request.repositories ? 'selected' : 'all',
    });
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
