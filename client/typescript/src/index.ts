// @mcpcred/client: the TypeScript client of mcpcred-agent.
export * from './errors.js';
export * from './types.js';
export { AgentClient, connect } from './client.js';
export type { ClientOptions, GetCredentialOptions, LoginOptions, StreamOptions } from './client.js';
export { CredentialCache } from './cache.js';
export type { CacheEvents, CacheOptions, CacheSourceOptions, ReadOptions, RefreshOptions } from './cache.js';
export { McpcredAuthProvider, mcpcredAuthProvider } from './auth-provider.js';
export type { AuthProviderOptions } from './auth-provider.js';
export { mcpcredFetch } from './fetch.js';
export type { McpcredFetch, McpcredFetchOptions } from './fetch.js';
export { resolveSocketPath } from './socket.js';
