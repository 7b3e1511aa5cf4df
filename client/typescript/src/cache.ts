// CredentialCache: credentials held in memory and kept current by the agent's
// WatchCredentials stream, so that a host reads them synchronously
// (headers(), env(), credential()) on every request.
//
// Contract:
// - While the stream is live (between its SYNCED and its end), memory is
//   authoritative: an event with a credential replaces the held one; one
//   without drops it and remembers why (the typed error reads throw, e.g.
//   LoginRequiredError after a logout). A credential the agent has not fetched
//   yet is fetched with GetCredential when this cache wants it.
// - A held credential within `minTtlSeconds` of its expiry is never served
//   from memory: ready() fetches a new one; synchronous reads throw
//   NotReadyError and start that fetch in the background.
// - When the stream ends (agent restart, agent without Watch), the cache
//   reconnects with backoff (100 ms doubling to 5 s, with jitter), and until
//   it is live again ready() asks GetCredential each time; when no agent
//   answers, a held credential that is still valid keeps being served.
// - Nothing here rejects unobserved: the background work never leaves an
//   unhandled rejection, whatever the agent does.
import { EventEmitter } from 'node:events';

import { AgentClient, type ClientOptions } from './client.js';
import { AgentUnavailableError, Code, McpcredError, NotReadyError } from './errors.js';
import type { Credential, CredentialEvent } from './types.js';

export interface CacheOptions extends ClientOptions {
  /** The agent client to use; default: one of its own (on `socket`), closed by close(). */
  client?: AgentClient;
  /**
   * Credentials to watch, fetched as soon as the agent reports them not fetched
   * yet. Default: every configured credential, each fetched on first use.
   */
  names?: readonly string[];
  /** Serve from memory only while the credential stays valid this long (default 1 s). */
  minTtlSeconds?: number;
  /** Reconnect backoff: the first delay (default 100 ms), doubled up to maxMs (default 5000 ms). */
  backoff?: { initialMs?: number; maxMs?: number };
}

export interface ReadOptions {
  /** Overrides the cache's minTtlSeconds for this read. */
  minTtlSeconds?: number;
}

export interface RefreshOptions {
  /** The version the server rejected; default: the version held. */
  rejectedVersion?: bigint;
}

/** The events a CredentialCache emits. Listeners must not throw. */
export interface CacheEvents {
  /** A Watch event, after the cache applied it. */
  event: [event: CredentialEvent];
  /** The stream is live: the snapshot is complete. */
  connected: [];
  /** The stream ended; `error` says why (undefined: the agent closed it). It reconnects by itself. */
  disconnected: [error: McpcredError | undefined];
}

interface Entry {
  credential?: Credential;
  /** Why there is no credential, when the agent said. */
  error?: McpcredError;
  /** The stream session whose state this is (0: fetched while none was open). */
  session: number;
  /** #changes when it was set. */
  change: number;
}

/** When a GetCredential call began: the open stream session (0: none) and #changes. */
interface CallStart {
  session: number;
  change: number;
}

function toMcpcredError(error: unknown): McpcredError {
  if (error instanceof McpcredError) return error;
  return new McpcredError(Code.UNKNOWN, error instanceof Error ? error.message : String(error), { cause: error });
}

// Failures that say nothing about the credential, only about reaching the
// agent: a held credential that is still valid stays served.
function isTransportFailure(error: McpcredError): boolean {
  return (
    error instanceof AgentUnavailableError ||
    error.code === Code.DEADLINE_EXCEEDED ||
    error.code === Code.CANCELLED
  );
}

// An abortable delay that never rejects.
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export class CredentialCache extends EventEmitter<CacheEvents> {
  /** The agent client the cache uses (for calls the cache does not cover). */
  readonly client: AgentClient;
  readonly #ownsClient: boolean;
  readonly #names: readonly string[];
  readonly #minTtlMs: number;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #entries = new Map<string, Entry>();
  /** Credentials to keep fetched: `names`, and every name read so far. */
  readonly #wanted = new Set<string>();
  readonly #fetches = new Map<string, Promise<Credential>>();
  readonly #refreshes = new Map<string, Promise<Credential>>();
  readonly #stop = new AbortController();
  readonly #loop: Promise<void>;
  /** Numbers stream sessions: the open stream's (0: none), the live one's (0: not synced). */
  #sessions = 0;
  #openSession = 0;
  #liveSession = 0;
  /** Counts changes to #entries, so a fetch can tell whether the stream changed its credential meanwhile. */
  #changes = 0;
  /** The credentials the open stream's snapshot has mentioned so far. */
  readonly #snapshotNames = new Set<string>();
  #closed = false;

  /** Starts watching at once; the agent need not be running yet. */
  constructor(options: CacheOptions = {}) {
    super();
    this.client = options.client ?? new AgentClient(options);
    this.#ownsClient = options.client === undefined;
    this.#names = [...(options.names ?? [])];
    this.#minTtlMs = (options.minTtlSeconds ?? 1) * 1000;
    this.#initialBackoffMs = options.backoff?.initialMs ?? 100;
    this.#maxBackoffMs = options.backoff?.maxMs ?? 5000;
    for (const name of this.#names) this.#wanted.add(name);
    this.#loop = this.#watchLoop();
  }

  /** True while the Watch stream is live (memory is then kept current by the agent). */
  get live(): boolean {
    return this.#liveSession !== 0;
  }

  /**
   * A valid credential for `name`: from memory while the stream is live and
   * the held one is valid, else fetched with GetCredential (while no agent
   * answers: the held one if still valid). Throws the typed error otherwise.
   */
  async ready(name: string, options: ReadOptions = {}): Promise<Credential> {
    this.#checkOpen();
    this.#wanted.add(name);
    const minTtlMs = this.#minTtl(options);
    const entry = this.#entries.get(name);
    if (entry && this.#authoritative(entry)) {
      if (entry.credential?.validFor(minTtlMs)) return entry.credential;
      if (entry.error) throw entry.error;
    }
    return this.#fetch(name, minTtlMs);
  }

  /**
   * The held credential, synchronously. Throws the remembered typed error
   * (e.g. LoginRequiredError after a logout), or NotReadyError when nothing
   * valid is held yet; a fetch then starts in the background.
   */
  credential(name: string, options: ReadOptions = {}): Credential {
    this.#checkOpen();
    const minTtlMs = this.#minTtl(options);
    const entry = this.#entries.get(name);
    const credential = entry?.credential;
    if (credential !== undefined && credential.validFor(minTtlMs)) return credential;
    this.#wanted.add(name);
    if (!(entry?.error && this.#authoritative(entry))) this.#fetch(name, minTtlMs).catch(() => {});
    if (entry?.error) throw entry.error;
    throw new NotReadyError(
      credential
        ? `the cached credential "${name}" expires within ${minTtlMs / 1000} s and no new one has arrived yet`
        : `credential "${name}" is not in the cache yet: await cache.ready("${name}") first`,
    );
  }

  /** The held credential's HTTP headers (see credential()). */
  headers(name: string, options?: ReadOptions): Readonly<Record<string, string>> {
    return this.credential(name, options).headers;
  }

  /** The held credential's env vars (see credential()). */
  env(name: string, options?: ReadOptions): Readonly<Record<string, string>> {
    return this.credential(name, options).env;
  }

  /**
   * Asks the agent (GetCredential) whatever memory holds, and holds the
   * answer: e.g. right after a login, before the stream reports it.
   */
  async fetch(name: string, options: ReadOptions = {}): Promise<Credential> {
    this.#checkOpen();
    this.#wanted.add(name);
    return this.#fetch(name, this.#minTtl(options));
  }

  /**
   * Asks the agent for a new credential now (a server rejected the held one)
   * and holds it. Callers reporting the same rejected version share one call,
   * and the agent shares one refresh among all its clients.
   */
  async refresh(name: string, options: RefreshOptions = {}): Promise<Credential> {
    this.#checkOpen();
    this.#wanted.add(name);
    const rejectedVersion = options.rejectedVersion ?? this.#entries.get(name)?.credential?.version ?? 0n;
    const key = `${name}\0${rejectedVersion}`;
    let refresh = this.#refreshes.get(key);
    if (refresh === undefined) {
      // A failed refresh is not remembered: the agent may still serve the
      // held value to others, and the stream reports what it does.
      refresh = this.#call(name, () => this.client.getCredential(name, { forceRefresh: true, rejectedVersion }), {
        rememberError: false,
      });
      refresh.finally(() => this.#refreshes.delete(key)).catch(() => {});
      this.#refreshes.set(key, refresh);
    }
    return refresh;
  }

  /** Stops watching; closes the client if the cache made it. Reads then throw. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort();
    await this.#loop;
    if (this.#ownsClient) this.client.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new McpcredError(Code.CANCELLED, 'the credential cache is closed');
  }

  #minTtl(options: ReadOptions): number {
    return options.minTtlSeconds === undefined ? this.#minTtlMs : options.minTtlSeconds * 1000;
  }

  // Set from the live stream's state: the agent reports every change to it.
  #authoritative(entry: Entry): boolean {
    return entry.session !== 0 && entry.session === this.#liveSession;
  }

  #watches(name: string): boolean {
    return this.#names.length === 0 || this.#names.includes(name);
  }

  #set(name: string, entry: Omit<Entry, 'change'>): void {
    this.#entries.set(name, { ...entry, change: ++this.#changes });
  }

  // GetCredential, single-flight per name and minimum lifetime. When no agent
  // answers, a held credential valid for `minTtlMs` is the answer.
  #fetch(name: string, minTtlMs: number): Promise<Credential> {
    const key = `${name}\0${minTtlMs}`;
    let fetch = this.#fetches.get(key);
    if (fetch === undefined) {
      fetch = this.#call(name, () => this.client.getCredential(name, { minTtlSeconds: minTtlMs / 1000 }), {
        rememberError: true,
        fallbackMinTtlMs: minTtlMs,
      });
      fetch.finally(() => this.#fetches.delete(key)).catch(() => {});
      this.#fetches.set(key, fetch);
    }
    return fetch;
  }

  // Runs one GetCredential and holds its credential (with rememberError: its
  // error too) unless #keepHeld says otherwise. With fallbackMinTtlMs, a
  // transport failure returns the held credential if it stays valid that long.
  async #call(
    name: string,
    get: () => Promise<Credential>,
    { rememberError, fallbackMinTtlMs }: { rememberError: boolean; fallbackMinTtlMs?: number },
  ): Promise<Credential> {
    const start: CallStart = { session: this.#watches(name) ? this.#openSession : 0, change: this.#changes };
    // Tagged with the stream session it started in, if that stream is still
    // open: the stream reports every later change.
    const session = () => (start.session !== 0 && start.session === this.#openSession ? start.session : 0);
    try {
      const credential = await get();
      if (!this.#keepHeld(name, start, credential)) this.#set(name, { credential, session: session() });
      return credential;
    } catch (caught) {
      const error = toMcpcredError(caught);
      if (isTransportFailure(error)) {
        const held = this.#entries.get(name)?.credential;
        if (fallbackMinTtlMs !== undefined && held?.validFor(fallbackMinTtlMs)) return held;
      } else if (rememberError && !this.#keepHeld(name, start)) {
        this.#set(name, { error, session: session() });
      }
      throw error;
    }
  }

  // Whether memory keeps what it holds for `name` rather than the outcome of
  // a call begun at `start` (`fetched`: its credential; none: it failed).
  // Memory wins when the cache is closed; when a stream opened after the call
  // began (its state is newer); when the open stream changed the credential
  // during the call, unless `fetched` is of a larger version; and when it
  // holds a credential of a larger version than `fetched`.
  #keepHeld(name: string, start: CallStart, fetched?: Credential): boolean {
    if (this.#closed) return true;
    const entry = this.#entries.get(name);
    if (entry === undefined || entry.session === 0 || entry.session !== this.#openSession) return false;
    if (entry.session !== start.session) return true;
    const held = entry.credential;
    if (entry.change > start.change) return !fetched || !held || held.version >= fetched.version;
    return fetched !== undefined && held !== undefined && held.version > fetched.version;
  }

  async #watchLoop(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      const session = ++this.#sessions;
      this.#openSession = session;
      this.#snapshotNames.clear();
      let error: McpcredError | undefined;
      try {
        for await (const event of this.client.watch(this.#names, { signal: this.#stop.signal })) {
          if (event.kind === 'synced') {
            this.#synced(session);
            failures = 0;
            this.#emit('connected');
          } else {
            this.#apply(event, session);
          }
          this.#emit('event', event);
        }
      } catch (caught) {
        error = toMcpcredError(caught);
      }
      this.#openSession = 0;
      this.#liveSession = 0;
      if (this.#closed) break;
      this.#emit('disconnected', error);
      const delay = Math.min(this.#maxBackoffMs, this.#initialBackoffMs * 2 ** failures++);
      await sleep(delay / 2 + Math.random() * (delay / 2), this.#stop.signal);
    }
  }

  // The snapshot is complete: a watched credential it did not mention is
  // gone from the agent, so what is held about it is dropped.
  #synced(session: number): void {
    for (const name of this.#entries.keys()) {
      if (this.#watches(name) && !this.#snapshotNames.has(name)) this.#entries.delete(name);
    }
    this.#liveSession = session;
  }

  #apply(event: CredentialEvent, session: number): void {
    if (event.kind === 'snapshot') this.#snapshotNames.add(event.name);
    if (event.credential) {
      this.#set(event.name, { credential: event.credential, session });
    } else if (event.error) {
      this.#set(event.name, { error: event.error, session });
    } else {
      // Not fetched yet (e.g. the agent restarted): fetched if wanted. Until
      // the fetch answers, synchronous reads keep a held credential that is
      // still valid, unless a reload changed its definition.
      const held = this.#entries.get(event.name)?.credential;
      if (held && event.kind === 'snapshot' && this.#wanted.has(event.name)) {
        this.#set(event.name, { credential: held, session: 0 });
      } else {
        this.#entries.delete(event.name);
        ++this.#changes;
      }
      if (this.#wanted.has(event.name)) this.#fetch(event.name, this.#minTtlMs).catch(() => {});
    }
  }

  // Listeners run synchronously; one that throws is the host's bug, reported
  // as an uncaught exception rather than taken for a stream failure.
  #emit<K extends keyof CacheEvents>(name: K, ...args: CacheEvents[K]): void {
    try {
      (this.emit as (name: K, ...args: CacheEvents[K]) => boolean)(name, ...args);
    } catch (error) {
      process.nextTick(() => {
        throw error;
      });
    }
  }
}

/** Where the SDK provider and mcpcredFetch get a credential: a given cache, or one of their own. */
export interface CacheSourceOptions extends ClientOptions {
  /** A cache to share; default: a cache of its own watching only this credential, closed by close(). */
  cache?: CredentialCache;
  /** The agent client for a cache of its own. */
  client?: AgentClient;
  /** Use only credentials valid at least this long (default: the cache's, 1 s). */
  minTtlSeconds?: number;
}

/** `options.cache`, or a new cache watching `name` with close() closing it. */
export function cacheSource(
  name: string,
  options: CacheSourceOptions,
): { cache: CredentialCache; close: () => Promise<void> } {
  if (options.cache) return { cache: options.cache, close: async () => {} };
  const { client, socket, timeoutMs, loginTimeoutMs, minTtlSeconds } = options;
  const cache = new CredentialCache({ client, socket, timeoutMs, loginTimeoutMs, minTtlSeconds, names: [name] });
  return { cache, close: () => cache.close() };
}
