// An OAuthClientProvider for the official MCP SDK whose tokens are the
// agent's: `new StreamableHTTPClientTransport(url, { authProvider })` sends
// the agent's access token, and a 401 leads to one forced refresh by the agent
// and one retry, without the SDK ever seeing a refresh token or running an
// OAuth flow of its own.
//
// How the SDK's 401 path is satisfied: on a 401 the transport calls the SDK's
// auth(), which (1) takes discovery from discoveryState() — here a constant
// naming the agent, so nothing is discovered over the network; (2) sees no
// redirectUrl, so runs a non-interactive token request: prepareTokenRequest()
// is where the agent refreshes the credential (rejected_version = the one
// tokens() last served); (3) POSTs that request to the metadata's
// token_endpoint, a constant data: URL that answers a placeholder token
// holding no secret, which saveTokens() ignores; (4) returns AUTHORIZED, and
// the transport retries with tokens(), now the refreshed token. A second 401
// in a row reaches the host (the SDK's own circuit breaker).
import type {
  OAuthClientProvider,
  OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

import { cacheSource, type CacheSourceOptions, type CredentialCache } from './cache.js';
import { LoginRequiredError } from './errors.js';
import type { Credential, LoginEvent } from './types.js';

export interface AuthProviderOptions extends CacheSourceOptions {
  /**
   * When the credential needs a login: run it through the agent (Login RPC)
   * and wait for it, instead of throwing LoginRequiredError.
   */
  login?: boolean;
  /** With login: prefer the device authorization grant. */
  device?: boolean;
  /**
   * Receives the login's events ('open_url': show the URL to the user;
   * 'device_code'; 'done'). Default: a line on stderr saying what to open.
   */
  onLoginEvent?: (event: LoginEvent) => void;
}

/** The authorization server the SDK is shown: the agent. */
const AGENT_ISSUER = 'urn:mcpcred:agent';
/** The grant_type of the SDK's token request, which the agent's refresh stands behind. */
const AGENT_GRANT = 'urn:mcpcred:params:oauth:grant-type:agent';
/** Answers the SDK's token request; holds no secret (the token is `tokens()`'s). */
const AGENT_TOKEN_ENDPOINT =
  'data:application/json,' +
  encodeURIComponent(JSON.stringify({ access_token: 'held-by-mcpcred-agent', token_type: 'Bearer' }));

const AGENT_DISCOVERY: OAuthDiscoveryState = Object.freeze({
  authorizationServerUrl: AGENT_ISSUER,
  resourceMetadata: { resource: AGENT_ISSUER },
  authorizationServerMetadata: {
    issuer: AGENT_ISSUER,
    authorization_endpoint: AGENT_ISSUER,
    token_endpoint: AGENT_TOKEN_ENDPOINT,
    response_types_supported: ['code'],
    grant_types_supported: [AGENT_GRANT],
    token_endpoint_auth_methods_supported: ['none'],
  },
});

function defaultLoginReporter(name: string): (event: LoginEvent) => void {
  return (event) => {
    if (event.kind === 'open_url') {
      process.stderr.write(`mcpcred: to log in to "${name}", open ${event.url}\n`);
    } else if (event.kind === 'device_code') {
      process.stderr.write(
        `mcpcred: to log in to "${name}", open ${event.verificationUri} and enter ${event.userCode}\n`,
      );
    }
  };
}

export class McpcredAuthProvider implements OAuthClientProvider {
  /** The credential's name in the agent's config. */
  readonly credentialName: string;
  readonly #cache: CredentialCache;
  readonly #closeCache: () => Promise<void>;
  readonly #minTtlSeconds: number | undefined;
  readonly #login: boolean;
  readonly #device: boolean;
  readonly #onLoginEvent: (event: LoginEvent) => void;
  /** The version tokens() last handed out: the one a 401 rejects. */
  #servedVersion = 0n;
  #runningLogin: Promise<void> | undefined;

  constructor(name: string, options: AuthProviderOptions = {}) {
    this.credentialName = name;
    ({ cache: this.#cache, close: this.#closeCache } = cacheSource(name, options));
    this.#minTtlSeconds = options.minTtlSeconds;
    this.#login = options.login ?? false;
    this.#device = options.device ?? false;
    this.#onLoginEvent = options.onLoginEvent ?? defaultLoginReporter(name);
  }

  /** Undefined: the agent runs any interactive flow, so the SDK never redirects. */
  get redirectUrl(): undefined {
    return undefined;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'mcpcred',
      redirect_uris: [],
      grant_types: [AGENT_GRANT],
      token_endpoint_auth_method: 'none',
    };
  }

  /** The agent registers with the real authorization server; the SDK only sees the agent. */
  clientInformation(): OAuthClientInformationMixed {
    return { client_id: 'mcpcred-agent', issuer: AGENT_ISSUER };
  }

  /** Ignored: the agent keeps its own client registration. */
  saveClientInformation(): void {}

  /** The agent's access token (from the cache), valid for at least minTtlSeconds. */
  async tokens(): Promise<OAuthTokens> {
    const credential = await this.#withLogin(() =>
      this.#cache.ready(this.credentialName, this.#readOptions()),
    );
    this.#servedVersion = credential.version;
    const tokens: OAuthTokens = { access_token: credential.token, token_type: 'Bearer' };
    if (credential.expiresAt) tokens.expires_in = Math.max(0, Math.floor(credential.ttlMs() / 1000));
    return tokens;
  }

  /** Ignored: tokens are the agent's, and what the SDK passes here is a placeholder. */
  saveTokens(): void {}

  /** Never called by the SDK (no redirectUrl); runs the login with `login`, else throws LoginRequiredError. */
  async redirectToAuthorization(): Promise<void> {
    if (!this.#login) {
      throw new LoginRequiredError(
        `credential "${this.credentialName}" needs a login: run 'mcpcred login ${this.credentialName}'`,
      );
    }
    await this.#runLogin();
  }

  /** Ignored: the agent runs PKCE itself. */
  saveCodeVerifier(): void {}

  /** There is none here: the agent runs PKCE itself, and the SDK never exchanges a code. */
  codeVerifier(): string {
    throw new Error('mcpcred: the agent runs the authorization flow; there is no code verifier here');
  }

  /** 'all' and 'tokens' (the server rejected the token) ask the agent for a forced refresh; the rest is the agent's. */
  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all' || scope === 'tokens') await this.#forceRefresh();
  }

  /** The agent, as the SDK's authorization server: nothing is discovered over the network. */
  discoveryState(): OAuthDiscoveryState {
    return AGENT_DISCOVERY;
  }

  /** No resource indicator: the agent's config names the resource. */
  async validateResourceURL(): Promise<undefined> {
    return undefined;
  }

  /** Called by the SDK's auth() after a 401: the agent refreshes here; the request that follows is a formality. */
  async prepareTokenRequest(): Promise<URLSearchParams> {
    await this.#forceRefresh();
    return new URLSearchParams({ grant_type: AGENT_GRANT });
  }

  /** Closes the cache this provider made (not a cache passed in options). */
  close(): Promise<void> {
    return this.#closeCache();
  }

  #readOptions(): { minTtlSeconds?: number } {
    return this.#minTtlSeconds === undefined ? {} : { minTtlSeconds: this.#minTtlSeconds };
  }

  async #forceRefresh(): Promise<Credential> {
    return this.#withLogin(() =>
      this.#cache.refresh(this.credentialName, { rejectedVersion: this.#servedVersion }),
    );
  }

  // `get`, and with `login` when it needs one: the login, then a fresh fetch.
  async #withLogin(get: () => Promise<Credential>): Promise<Credential> {
    try {
      return await get();
    } catch (error) {
      if (!(error instanceof LoginRequiredError) || !this.#login) throw error;
    }
    await this.#runLogin();
    return this.#cache.fetch(this.credentialName, this.#readOptions());
  }

  // One login at a time, shared by every caller that needs it.
  #runLogin(): Promise<void> {
    this.#runningLogin ??= (async () => {
      try {
        const login = this.#cache.client.login(this.credentialName, { device: this.#device });
        for await (const event of login) this.#onLoginEvent(event);
      } finally {
        this.#runningLogin = undefined;
      }
    })();
    return this.#runningLogin;
  }
}

/**
 * An OAuthClientProvider for the MCP SDK serving credential `name` from the
 * agent: `new StreamableHTTPClientTransport(url, { authProvider: mcpcredAuthProvider('github') })`.
 * Call close() when done unless you passed your own `cache`.
 */
export function mcpcredAuthProvider(name: string, options: AuthProviderOptions = {}): McpcredAuthProvider {
  return new McpcredAuthProvider(name, options);
}
