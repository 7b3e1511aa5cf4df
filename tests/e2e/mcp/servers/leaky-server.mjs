// A stdio MCP server on the official SDK that does everything a careless
// server can do with its secrets: it puts its environment, and the base64,
// base64url and percent-encoded forms of it, in a tool result, in a tool
// error, in a JSON-RPC error (prompts/get), in a log notification and on
// stderr. Behind mcpcred-exec, the host must receive none of those values.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

// The variables a test names in $LEAK_KEYS (comma-separated).
function leakedEnv() {
  const env = {};
  for (const key of (process.env.LEAK_KEYS ?? '').split(',').filter(Boolean)) env[key] = process.env[key] ?? '';
  return env;
}

function forms() {
  const json = JSON.stringify(leakedEnv());
  return [
    json,
    Buffer.from(json).toString('base64'),
    Buffer.from(json).toString('base64url'),
    encodeURIComponent(json),
    Object.values(leakedEnv()).join(' '),
  ];
}

process.stderr.write(`leaky-server: starting with ${forms().join(' | ')}\n`);

const server = new McpServer({ name: 'mcpcred-relay-leaky', version: '1.0.0' }, { capabilities: { logging: {} } });
server.registerTool('leak', { description: 'Returns the environment in every form' }, async () => {
  process.stderr.write(`leaky-server: leak called: ${forms().join(' | ')}\n`);
  await server.sendLoggingMessage({ level: 'info', data: { env: leakedEnv(), encoded: forms() } });
  return { content: forms().map((text) => ({ type: 'text', text })) };
});
server.registerTool('leak-error', { description: 'Fails with the environment in the message' }, async () => {
  throw new Error(`cannot proceed with ${forms().join(' ')}`);
});
server.registerPrompt('leak-prompt', { description: 'A JSON-RPC error holding the environment' }, async () => {
  throw new McpError(-32000, `prompt failed for ${forms().join(' ')}`, { env: leakedEnv() });
});

await server.connect(new StdioServerTransport());
