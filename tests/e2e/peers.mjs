// Starts the authorization server and the MCP-style resource in one process
// and prints one JSON line on stdout:
//   {"as":"http://127.0.0.1:A","resource":"http://127.0.0.1:B/mcp",...}
// Accepts every auth_server.mjs option (see README.md); the resource URL is
// added to the AS's resource allow-list. Stop it with SIGTERM, or pass
// --exit-on-stdin-eof and close its stdin.
import {
  exitOnStdinEof, installSignalHandlers, isMain, log, parseArgs,
  routeConsoleToStderr, writeProtocolLine,
} from './util.mjs';
import {
  AS_ARGS, asOptionsFromArgs, loadClients, startAuthServer,
} from './auth_server.mjs';
import { startResourceServer } from './resource_server.mjs';

export const INTROSPECTION_CLIENT = { id: 'mcp-resource', secret: 'mcp-resource-secret' };

/** Starts both peers. options: the startAuthServer options plus rsPort. */
export async function startPeers(options = {}) {
  const rs = await startResourceServer({
    host: options.host,
    port: options.rsPort ?? 0,
    introspectionClient: INTROSPECTION_CLIENT,
  });
  const resources = [rs.resource, ...(options.resources ?? [])];
  const clients = [...(options.clients ?? loadClients())];
  if (!clients.some((c) => c.client_id === INTROSPECTION_CLIENT.id)) {
    clients.push({
      client_id: INTROSPECTION_CLIENT.id,
      client_secret: INTROSPECTION_CLIENT.secret,
      token_endpoint_auth_method: 'client_secret_basic',
      response_types: [],
      redirect_uris: [],
      grant_types: [],
    });
  }
  let as;
  try {
    as = await startAuthServer({
      ...options,
      clients,
      resources,
      defaultResource: options.defaultResource === true ? rs.resource : options.defaultResource,
    });
  } catch (err) {
    await rs.close();
    throw err;
  }
  rs.setIssuer(as.issuer);
  return {
    as,
    rs,
    info: {
      as: as.issuer,
      resource: rs.resource,
      resource_metadata: rs.metadataUrl,
      as_test: `${as.issuer}/_test`,
      resource_test: `${rs.origin}/_test`,
      // The pre-registered clients (clients.json or --clients-json), by id.
      clients: Object.fromEntries(clients.map((c) => [c.client_id, {
        client_secret: c.client_secret,
        token_endpoint_auth_method: c.token_endpoint_auth_method ?? 'client_secret_basic',
        application_type: c.application_type ?? 'web',
        grant_types: c.grant_types ?? ['authorization_code'],
        redirect_uris: c.redirect_uris ?? [],
      }])),
      pid: process.pid,
    },
    close: async () => { await Promise.allSettled([as.close(), rs.close()]); },
  };
}

if (isMain(import.meta.url)) {
  routeConsoleToStderr();
  const args = parseArgs(process.argv.slice(2), {
    ...AS_ARGS,
    'default-resource': 'bool',
    'rs-port': 'int',
  });
  const peers = await startPeers({
    ...asOptionsFromArgs(args),
    defaultResource: args['default-resource'] === true,
    rsPort: args['rs-port'],
  });
  const stop = (why) => { log('peers', `stopping (${why})`); peers.close().finally(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); };
  installSignalHandlers(stop);
  if (args['exit-on-stdin-eof']) exitOnStdinEof(stop);
  writeProtocolLine(JSON.stringify(peers.info));
}
