// What the agent hands out, as this package presents it: camelCase fields,
// Dates, bigint versions. A Credential never shows its secrets when printed
// with console.log or util.inspect, so a stray log line does not leak one.
import { inspect } from 'node:util';

import { errorFromStatus, type McpcredError } from './errors.js';
import type {
  WireCredential,
  WireCredentialEvent,
  WireCredentialInfo,
  WireListCredentialsResponse,
  WireLoginEvent,
  WireTimestamp,
} from './wire.js';

/** A rendered credential (message mcpcred.v1.Credential). Immutable. */
export class Credential {
  readonly name: string;
  /** Env vars to give a stdio MCP server. */
  readonly env: Readonly<Record<string, string>>;
  /** HTTP headers to send to an HTTP MCP server. */
  readonly headers: Readonly<Record<string, string>>;
  /** Undefined when the credential never expires. */
  readonly expiresAt: Date | undefined;
  /** Env keys that hold secrets: a host strips them from subagents. */
  readonly secretEnvKeys: readonly string[];
  /** Header names that hold secrets. */
  readonly secretHeaderNames: readonly string[];
  /** The primary token: a static secret or an access token. */
  readonly token: string;
  /**
   * Identifies this value within the agent's lifetime: every fetch, refresh
   * and login produces a larger one (a restarted agent counts again from 1).
   */
  readonly version: bigint;
  readonly #expiresAtMs: number;

  constructor(fields: {
    name: string;
    env: Record<string, string>;
    headers: Record<string, string>;
    expiresAt?: Date | undefined;
    secretEnvKeys: string[];
    secretHeaderNames: string[];
    token: string;
    version: bigint;
  }) {
    this.name = fields.name;
    this.env = Object.freeze({ ...fields.env });
    this.headers = Object.freeze({ ...fields.headers });
    this.expiresAt = fields.expiresAt;
    this.secretEnvKeys = Object.freeze([...fields.secretEnvKeys]);
    this.secretHeaderNames = Object.freeze([...fields.secretHeaderNames]);
    this.token = fields.token;
    this.version = fields.version;
    this.#expiresAtMs = fields.expiresAt?.getTime() ?? Infinity;
    Object.freeze(this);
  }

  /** Milliseconds left before it expires at `now` (Infinity if it never does). */
  ttlMs(now: number = Date.now()): number {
    return this.#expiresAtMs - now;
  }

  /** True while it stays valid more than `minTtlMs` after `now`. */
  validFor(minTtlMs: number, now: number = Date.now()): boolean {
    return this.#expiresAtMs - now > minTtlMs;
  }

  [inspect.custom](): string {
    const expires = this.expiresAt ? this.expiresAt.toISOString() : 'never';
    return (
      `Credential { name: ${JSON.stringify(this.name)}, version: ${this.version}n, ` +
      `expiresAt: ${expires}, env: [${Object.keys(this.env).join(', ')}], ` +
      `headers: [${Object.keys(this.headers).join(', ')}], token: [REDACTED] }`
    );
  }
}

export type CredentialEventKind =
  | 'snapshot'
  | 'synced'
  | 'refreshed'
  | 'login'
  | 'logout'
  | 'removed'
  | 'reloaded'
  | 'error';

/** One event of WatchCredentials (message mcpcred.v1.CredentialEvent). */
export interface CredentialEvent {
  kind: CredentialEventKind;
  /** Empty for 'synced'. */
  name: string;
  /** Set when the agent holds a valid credential (always for 'refreshed' and 'login'). */
  credential?: Credential;
  /**
   * Without a credential: why there is none, as the typed error a
   * GetCredential would have thrown (LoginRequiredError after a logout,
   * NotFoundError after a removal). Neither credential nor error: not fetched yet.
   */
  error?: McpcredError;
}

/** One event of a login (message mcpcred.v1.LoginEvent). */
export type LoginEvent =
  | { kind: 'open_url'; url: string }
  | {
      kind: 'device_code';
      userCode: string;
      verificationUri: string;
      verificationUriComplete: string;
      expiresIn: number;
    }
  | { kind: 'done' };

/** 'unspecified' also stands for a state this client does not know (a newer agent's). */
export type CredentialState = 'ready' | 'login_required' | 'error' | 'unspecified';

/** A credential as `mcpcred list` shows it (message mcpcred.v1.CredentialInfo): never a value. */
export interface CredentialInfo {
  name: string;
  provider: string;
  state: CredentialState;
  expiresAt?: Date;
  lastError: string;
  cached: boolean;
  hasLogin: boolean;
  storedKinds: string[];
}

export interface CredentialList {
  credentials: CredentialInfo[];
  /** The secret store's backend: "secret-service", "file" or "memory". */
  store: string;
  /** Every entry in the store (names, never values). */
  stored: { credential: string; kind: string; scope: string }[];
  /** Why `stored` is empty when the store could not be listed; "" when it was. */
  storeError: string;
}

export interface SecretKeys {
  envKeys: string[];
  headerNames: string[];
}

export interface Redaction {
  text: string;
  replacements: number;
}

function toDate(timestamp: WireTimestamp | null): Date | undefined {
  if (!timestamp) return undefined;
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6));
}

export function toCredential(wire: WireCredential): Credential {
  return new Credential({
    name: wire.name,
    env: wire.env,
    headers: wire.headers,
    expiresAt: toDate(wire.expires_at),
    secretEnvKeys: wire.secret_env_keys,
    secretHeaderNames: wire.secret_header_names,
    token: wire.token,
    version: BigInt(wire.version || '0'),
  });
}

const eventKinds: ReadonlyMap<string, CredentialEventKind> = new Map([
  ['SNAPSHOT', 'snapshot'],
  ['SYNCED', 'synced'],
  ['REFRESHED', 'refreshed'],
  ['LOGIN', 'login'],
  ['LOGOUT', 'logout'],
  ['REMOVED', 'removed'],
  ['RELOADED', 'reloaded'],
  ['ERROR', 'error'],
]);

/** Undefined for a kind this client does not know (a newer agent's): such events are skipped. */
export function toCredentialEvent(wire: WireCredentialEvent): CredentialEvent | undefined {
  const kind = eventKinds.get(wire.kind);
  if (kind === undefined) return undefined;
  const event: CredentialEvent = { kind, name: wire.name };
  if (wire.credential) {
    event.credential = toCredential(wire.credential);
  } else if (wire.error_code !== 0) {
    event.error = errorFromStatus(wire.error_code, wire.error_message);
  }
  return event;
}

/** Undefined for an event this client does not know. */
export function toLoginEvent(wire: WireLoginEvent): LoginEvent | undefined {
  switch (wire.event) {
    case 'open_url':
      return { kind: 'open_url', url: wire.open_url?.url ?? '' };
    case 'device_code': {
      const code = wire.device_code;
      return {
        kind: 'device_code',
        userCode: code?.user_code ?? '',
        verificationUri: code?.verification_uri ?? '',
        verificationUriComplete: code?.verification_uri_complete ?? '',
        expiresIn: code?.expires_in ?? 0,
      };
    }
    case 'done':
      return { kind: 'done' };
    default:
      return undefined;
  }
}

const credentialStates: ReadonlyMap<string, CredentialState> = new Map([
  ['READY', 'ready'],
  ['LOGIN_REQUIRED', 'login_required'],
  ['ERROR', 'error'],
]);

function toCredentialInfo(wire: WireCredentialInfo): CredentialInfo {
  const info: CredentialInfo = {
    name: wire.name,
    provider: wire.provider,
    state: credentialStates.get(wire.state) ?? 'unspecified',
    lastError: wire.last_error,
    cached: wire.cached,
    hasLogin: wire.has_login,
    storedKinds: wire.stored_kinds,
  };
  const expiresAt = toDate(wire.expires_at);
  if (expiresAt) info.expiresAt = expiresAt;
  return info;
}

export function toCredentialList(wire: WireListCredentialsResponse): CredentialList {
  return {
    credentials: wire.credentials.map(toCredentialInfo),
    store: wire.store,
    stored: wire.stored.map(({ credential, kind, scope }) => ({ credential, kind, scope })),
    storeError: wire.store_error,
  };
}
