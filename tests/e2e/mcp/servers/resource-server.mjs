// A stdio MCP server on the official SDK (McpServer + StdioServerTransport)
// that reads its token ONCE, at start, from $RESOURCE_TOKEN, as most stdio
// servers do: it never sees a newer one. Its tool "fetch-resource" calls the
// protected resource ($RESOURCE_URL, which checks the token by
// introspection) with that token, so every call fails once the token has
// expired, unless mcpcred-exec has put a new instance in its place.
//
// Each instance appends "start <pid>" to $START_LOG, so a test can count the
// instances the relay started; the host must not notice them.
//
// With --reread-on-sighup it is a server of the other kind
// (mcpcred-exec --on-rotate=signal:HUP): on SIGHUP it reads RESOURCE_TOKEN
// again from the KEY=VALUE file named by $MCPCRED_ENV_FILE.
import { appendFileSync, readFileSync } from 'node:fs';

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

let token = process.env.RESOURCE_TOKEN;
const resource = process.env.RESOURCE_URL;
if (!token || !resource) {
  process.stderr.write('resource-server: RESOURCE_TOKEN and RESOURCE_URL are required\n');
  process.exit(2);
}
if (process.env.START_LOG) appendFileSync(process.env.START_LOG, `start ${process.pid}\n`);
if (process.argv.includes('--reread-on-sighup')) {
  process.on('SIGHUP', () => {
    for (const line of readFileSync(process.env.MCPCRED_ENV_FILE, 'utf8').split('\n')) {
      if (line.startsWith('RESOURCE_TOKEN=')) token = line.slice('RESOURCE_TOKEN='.length);
    }
    if (process.env.START_LOG) appendFileSync(process.env.START_LOG, `reread ${process.pid}\n`);
  });
}

const server = new McpServer({ name: 'mcpcred-relay-resource', version: '1.0.0' });
server.registerTool('fetch-resource', { description: 'Calls the protected resource with the token read at start' }, async () => {
  const response = await fetch(resource, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  if (response.status !== 200) {
    return { isError: true, content: [{ type: 'text', text: `resource answered ${response.status}` }] };
  }
  const { sub } = JSON.parse(body);
  return { content: [{ type: 'text', text: JSON.stringify({ status: 200, sub, pid: process.pid }) }] };
});

await server.connect(new StdioServerTransport());
