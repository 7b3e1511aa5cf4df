// Unary gRPC calls on one persistent HTTP/2 connection to a Unix socket,
// opened on the first call and opened again after it closes (agent restart,
// GOAWAY). When no connection could be made, calls are refused for a second
// (`available` is false) so that a caller with another way to reach the
// agent takes it without paying for a failed connect each time.
import { Http2Connection } from './connection.js';
import { TransportFailure, unaryCall, type UnaryAnswer } from './grpc-unary.js';

const RETRY_AFTER_CONNECT_FAILURE_MS = 1000;

export class UnaryChannel {
  readonly #path: string;
  #connection: Http2Connection | undefined;
  #retryAt = 0;
  #closed = false;

  constructor(path: string) {
    this.#path = path;
  }

  /** False after close(), and for a second after a connection to the socket failed. */
  get available(): boolean {
    return !this.#closed && (this.#retryAt === 0 || Date.now() >= this.#retryAt);
  }

  /**
   * Calls a unary method (see unaryCall for the arguments and what it
   * rejects with). Rejects with TransportFailure when not available.
   */
  call(headerBlock: Buffer, request: Uint8Array, timeoutMs: number): Promise<UnaryAnswer> {
    if (!this.available) return Promise.reject(new TransportFailure('the HTTP/2 channel is not available'));
    return unaryCall(this.#open(), headerBlock, request, timeoutMs);
  }

  /** Closes the connection; calls in flight reject with TransportFailure. */
  close(): void {
    this.#closed = true;
    this.#connection?.close();
    this.#connection = undefined;
  }

  #open(): Http2Connection {
    if (this.#connection?.usable) return this.#connection;
    const connection = new Http2Connection(this.#path, () => {
      if (this.#connection === connection) this.#connection = undefined;
      this.#retryAt = connection.established ? 0 : Date.now() + RETRY_AFTER_CONNECT_FAILURE_MS;
    });
    this.#connection = connection;
    return connection;
  }
}
