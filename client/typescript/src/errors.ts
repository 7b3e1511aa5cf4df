// Errors of the agent and of this client. Every error keeps the gRPC status
// code it came from (`code`, numbered like google.rpc.Code) and the agent's
// one-line message, which says what to do (e.g. "run 'mcpcred login demo'").

/** google.rpc.Code, the numbering of `McpcredError.code` and of Watch events' error codes. */
export const Code = Object.freeze({
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const);

const codeNames = new Map<number, string>(Object.entries(Code).map(([name, code]) => [code, name]));

/** The base of every error this package throws. */
export class McpcredError extends Error {
  /** The gRPC status code (google.rpc.Code). */
  readonly code: number;

  constructor(code: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** The code's name, e.g. "FAILED_PRECONDITION". */
  get codeName(): string {
    return codeNames.get(this.code) ?? `CODE_${this.code}`;
  }
}

/** NOT_FOUND: no credential has that name (or a reload removed it). */
export class NotFoundError extends McpcredError {
  constructor(message: string, options?: ErrorOptions) {
    super(Code.NOT_FOUND, message, options);
  }
}

/**
 * FAILED_PRECONDITION: the credential needs something from the user first,
 * usually a login; the message says what ("... run 'mcpcred login NAME'").
 */
export class LoginRequiredError extends McpcredError {
  constructor(message: string, options?: ErrorOptions) {
    super(Code.FAILED_PRECONDITION, message, options);
  }
}

/** PERMISSION_DENIED: the agent refused this caller. */
export class PermissionDeniedError extends McpcredError {
  constructor(message: string, options?: ErrorOptions) {
    super(Code.PERMISSION_DENIED, message, options);
  }
}

/**
 * UNAVAILABLE because no agent answers on the socket (or no socket path could
 * be found); the message says how to start one. An agent that answers
 * UNAVAILABLE itself (an upstream is down) gives a plain McpcredError.
 */
export class AgentUnavailableError extends McpcredError {
  /** The socket nobody answered on; "" when no path could be found. */
  readonly socket: string;

  constructor(socket: string, message?: string, options?: ErrorOptions) {
    super(
      Code.UNAVAILABLE,
      message ??
        `no mcpcred agent answers on ${socket}: start one with ` +
          `'systemctl --user start mcpcred-agent.socket' or 'eval "$(mcpcred-agent -s)"'`,
      options,
    );
    this.socket = socket;
  }
}

/**
 * Thrown by CredentialCache's synchronous reads when it holds no valid copy of
 * the credential (not fetched yet, or expired): `await cache.ready(name)`.
 */
export class NotReadyError extends McpcredError {
  constructor(message: string, options?: ErrorOptions) {
    super(Code.UNAVAILABLE, message, options);
  }
}

/** The typed error for a status the agent answered (or a Watch event's error). */
export function errorFromStatus(code: number, message: string, options?: ErrorOptions): McpcredError {
  switch (code) {
    case Code.NOT_FOUND:
      return new NotFoundError(message, options);
    case Code.FAILED_PRECONDITION:
      return new LoginRequiredError(message, options);
    case Code.PERMISSION_DENIED:
      return new PermissionDeniedError(message, options);
    default:
      return new McpcredError(code, message, options);
  }
}
