// The remote MCP server of mcpcred-remote's end-to-end tests: the official
// SDK's McpServer over Streamable HTTP (sessions, a GET stream, resumable
// with an event store) and over the old HTTP+SSE transport at /legacy, on
// 127.0.0.1, protected by the SDK's own auth pieces: mcpAuthMetadataRouter
// (RFC 9728 metadata naming the peers' oidc-provider as the authorization
// server) and requireBearerAuth with a verifier that introspects each token
// at that authorization server (client mcp-resource), as a real resource
// server does.
//
// Tools: whoami (the token's subject), leak (echoes the bearer token it got:
// the bridge must mask it), announce (registers a tool 200 ms later, so that
// tools/list_changed goes out on the GET stream), write_note (needs scope
// mcp:write: without it the POST gets 403 insufficient_scope, the step-up
// challenge). Stats keep tokens only as hashes.
import { createHash, randomUUID } from 'node:crypto';

import express from 'express';
import { z } from 'zod';

import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthMetadataRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

export const hash = (token) => createHash('sha256').update(token).digest('hex').slice(0, 16);

const WRITE_SCOPES = ['mcp:read', 'mcp:write'];

/** One MCP server per session, with the test tools. */
function mcpServer(stats) {
  const server = new McpServer({ name: 'mcpcred-remote-test', version: '1.0.0' });
  server.registerTool('whoami', { description: "The token's subject" }, async (extra) => {
    stats.calls++;
    return { content: [{ type: 'text', text: `${extra.authInfo?.extra?.sub ?? '?'} ${hash(extra.authInfo.token)}` }] };
  });
  server.registerTool('leak', { description: 'Echoes the bearer token (a misbehaving server)' }, async (extra) => ({
    content: [{ type: 'text', text: `your token is ${extra.authInfo.token}` }],
  }));
  server.registerTool('announce', { description: 'Adds a tool a moment later' }, async () => {
    setTimeout(() => {
      stats.announced++;
      server.registerTool(`late_${stats.announced}`, { description: 'Added by announce' }, async () => ({
        content: [{ type: 'text', text: 'late' }],
      }));
    }, 200);
    return { content: [{ type: 'text', text: 'soon' }] };
  });
  server.registerTool(
    'write_note',
    { description: 'Needs mcp:write', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text: `noted: ${text}` }] }),
  );
  return server;
}

export async function startMcpRemoteServer({ issuer }) {
  const stats = {
    posts: 0,
    gets: 0,
    deletes: 0,
    calls: 0,
    announced: 0,
    unauthorized: 0,
    stepUpChallenges: 0,
    writeAttempts: 0,
    legacyPosts: 0,
    sessions: 0,
    tokens: new Set(),
    protocolVersions: new Set(),
  };
  const rejected = new Set();
  const cache = new Map(); // token hash -> AuthInfo, until it expires
  const basic = Buffer.from('mcp-resource:mcp-resource-secret').toString('base64');
  const oauthMetadata = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json();

  const app = express();
  const http = await new Promise((done) => {
    const listener = app.listen(0, '127.0.0.1', () => done(listener));
  });
  const base = `http://127.0.0.1:${http.address().port}`;
  const mcpUrl = new URL(`${base}/mcp`);

  const verifier = {
    async verifyAccessToken(token) {
      const key = hash(token);
      if (rejected.has(key)) throw new InvalidTokenError('token refused by the test');
      const cached = cache.get(key);
      if (cached && cached.expiresAt * 1000 > Date.now()) return cached;
      const response = await fetch(oauthMetadata.introspection_endpoint, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      if (!response.ok) throw new Error(`introspection answered ${response.status}`);
      const info = await response.json();
      if (!info.active || info.token_type !== 'Bearer') throw new InvalidTokenError('token is not active');
      const audiences = Array.isArray(info.aud) ? info.aud : [info.aud];
      const authInfo = {
        token,
        clientId: info.client_id,
        scopes: String(info.scope ?? '').split(' ').filter(Boolean),
        expiresAt: info.exp,
        resource: audiences.includes(mcpUrl.href) ? mcpUrl : undefined,
        extra: { sub: info.sub },
      };
      cache.set(key, authInfo);
      stats.tokens.add(key);
      return authInfo;
    },
  };
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(mcpUrl);
  const bearer = requireBearerAuth({ verifier, requiredScopes: ['mcp:read'], resourceMetadataUrl, expectedResource: mcpUrl });
  const counted = (req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode === 401) stats.unauthorized++;
    });
    next();
  };

  app.use(
    mcpAuthMetadataRouter({
      oauthMetadata,
      resourceServerUrl: mcpUrl,
      scopesSupported: WRITE_SCOPES,
      resourceName: 'mcpcred-remote test server',
    }),
  );
  app.use(express.json());

  // Step-up: write_note needs mcp:write (RFC 6750 insufficient_scope).
  const stepUp = (req, res, next) => {
    const body = req.body;
    if (body?.method === 'tools/call' && body.params?.name === 'write_note') {
      stats.writeAttempts++;
      if (!req.auth.scopes.includes('mcp:write')) {
        stats.stepUpChallenges++;
        res.set(
          'WWW-Authenticate',
          `Bearer error="insufficient_scope", scope="${WRITE_SCOPES.join(' ')}", resource_metadata="${resourceMetadataUrl}"`,
        );
        res.status(403).json({ error: 'insufficient_scope', error_description: 'write_note needs mcp:write' });
        return;
      }
    }
    next();
  };

  const transports = new Map();
  app.post('/mcp', counted, bearer, stepUp, async (req, res) => {
    stats.posts++;
    const version = req.headers['mcp-protocol-version'];
    if (version) stats.protocolVersions.add(version);
    const id = req.headers['mcp-session-id'];
    let transport = id ? transports.get(id) : undefined;
    if (!transport) {
      if (id || !isInitializeRequest(req.body)) {
        res.status(id ? 404 : 400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'no such session' }, id: null });
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        eventStore: new InMemoryEventStore(),
        onsessioninitialized: (sessionId) => {
          stats.sessions++;
          transports.set(sessionId, transport);
        },
      });
      transport.onclose = () => transports.delete(transport.sessionId);
      await mcpServer(stats).connect(transport);
    }
    await transport.handleRequest(req, res, req.body);
  });
  const bySession = async (req, res) => {
    const transport = transports.get(req.headers['mcp-session-id']);
    if (!transport) {
      res.status(404).end();
      return;
    }
    await transport.handleRequest(req, res);
  };
  app.get('/mcp', counted, bearer, (req, res) => {
    stats.gets++;
    return bySession(req, res);
  });
  app.delete('/mcp', counted, bearer, (req, res) => {
    stats.deletes++;
    return bySession(req, res);
  });

  // The old HTTP+SSE transport (2024-11-05).
  const legacy = new Map();
  app.post('/legacy', (req, res) => res.status(405).set('Allow', 'GET').end());
  app.get('/legacy', counted, bearer, async (req, res) => {
    const transport = new SSEServerTransport('/legacy/messages', res);
    legacy.set(transport.sessionId, transport);
    res.on('close', () => legacy.delete(transport.sessionId));
    await mcpServer(stats).connect(transport);
  });
  app.post('/legacy/messages', counted, bearer, async (req, res) => {
    stats.legacyPosts++;
    const transport = legacy.get(req.query.sessionId);
    if (!transport) {
      res.status(404).end();
      return;
    }
    await transport.handlePostMessage(req, res, req.body);
  });

  return {
    url: mcpUrl.href,
    legacyUrl: `${base}/legacy`,
    stats,
    /** From now on every token seen so far gets 401, as if revoked. */
    rejectTokensSeen() {
      for (const key of stats.tokens) rejected.add(key);
    },
    close: () =>
      new Promise((done) => {
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}
