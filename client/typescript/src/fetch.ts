// A fetch that sends a credential's headers, for HTTP MCP servers and any
// other API the agent holds a credential for.
import { cacheSource, type CacheSourceOptions } from './cache.js';

export interface McpcredFetchOptions extends CacheSourceOptions {
  /** The fetch to wrap (default: globalThis.fetch). */
  fetch?: typeof fetch;
}

/** A fetch; close() closes the cache it made (not one passed in options). */
export type McpcredFetch = typeof fetch & { close(): Promise<void> };

/**
 * A fetch that sets credential `name`'s headers on each request (replacing
 * headers of the same names). After a 401 it asks the agent for a forced
 * refresh of the credential it sent and retries once; a second 401 is
 * returned as is. The request body is kept for the retry (Request.clone()).
 */
export function mcpcredFetch(name: string, options: McpcredFetchOptions = {}): McpcredFetch {
  const base = options.fetch ?? globalThis.fetch;
  const { cache, close } = cacheSource(name, options);
  const read = options.minTtlSeconds === undefined ? {} : { minTtlSeconds: options.minTtlSeconds };

  const send = (request: Request, headers: Readonly<Record<string, string>>) => {
    for (const [key, value] of Object.entries(headers)) request.headers.set(key, value);
    return base(request);
  };

  const credentialFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const sent = await cache.ready(name, read);
    const response = await send(request.clone(), sent.headers);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const fresh = await cache.refresh(name, { rejectedVersion: sent.version });
    return send(request, fresh.headers);
  };
  return Object.assign(credentialFetch, { close }) as McpcredFetch;
}
