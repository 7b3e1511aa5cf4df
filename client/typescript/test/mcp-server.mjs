// An MCP server for the tests: the official SDK's McpServer over Streamable
// HTTP (stateless: a server and transport per request) on 127.0.0.1, behind a
// bearer check that validates each token by introspection at the peers'
// authorization server (client mcp-resource:mcp-resource-secret), as a real
// resource server would. It accepts a token only if the authorization server
// says it is active, unexpired and meant for `audience`.
//
// Tool "whoami" answers the token's subject. Stats count what the bearer check
// did; tokens are kept only as hashes. refuseNextToken() makes the check
// refuse the next token it sees from then on, as if revoked: that request
// gets a 401.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

const hash = (token) => createHash('sha256').update(token).digest('hex').slice(0, 16);

export async function startMcpServer({ issuer, audience }) {
  const introspectionEndpoint = `${issuer}/token/introspection`;
  const basic = Buffer.from('mcp-resource:mcp-resource-secret').toString('base64');
  const stats = { requests: 0, accepted: 0, unauthorized: 0, tokens: new Set() };
  const revoked = new Set();
  let refuseNext = false;

  async function introspect(token) {
    const response = await fetch(introspectionEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
    if (!response.ok) throw new Error(`introspection answered ${response.status}`);
    return response.json();
  }

  // The subject of a valid token, or undefined.
  async function check(header) {
    const match = /^Bearer (.+)$/.exec(header ?? '');
    if (!match) return undefined;
    const token = match[1];
    if (refuseNext) {
      refuseNext = false;
      revoked.add(hash(token));
    }
    if (revoked.has(hash(token))) return undefined;
    const info = await introspect(token);
    const audiences = Array.isArray(info.aud) ? info.aud : [info.aud];
    if (!info.active || info.token_type !== 'Bearer' || !audiences.includes(audience)) return undefined;
    if (typeof info.exp !== 'number' || info.exp * 1000 <= Date.now()) return undefined;
    stats.tokens.add(hash(token));
    return info.sub;
  }

  const http = createServer(async (req, res) => {
    stats.requests++;
    try {
      const subject = await check(req.headers.authorization);
      if (subject === undefined) {
        stats.unauthorized++;
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_token' }));
        return;
      }
      stats.accepted++;
      const server = new McpServer({ name: 'mcpcred-ts-test', version: '1.0.0' });
      server.registerTool('whoami', { description: "The token's subject" }, async () => ({
        content: [{ type: 'text', text: subject }],
      }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        transport.close();
        server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error?.message ?? error));
    }
  });
  await new Promise((done) => http.listen(0, '127.0.0.1', done));
  return {
    url: new URL(`http://127.0.0.1:${http.address().port}/mcp`),
    stats,
    refuseNextToken() {
      refuseNext = true;
    },
    close: () =>
      new Promise((done) => {
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}
