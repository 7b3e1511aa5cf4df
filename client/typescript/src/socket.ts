// Where the agent listens, found as the agent and the C++ client find it.
import { connect } from 'node:net';
import { join } from 'node:path';

import { AgentUnavailableError } from './errors.js';

/**
 * The agent's socket: `explicit` if given, else $MCPCRED_SOCK, else
 * $XDG_RUNTIME_DIR/mcpcred/agent.sock. Throws AgentUnavailableError when none
 * of them is set.
 */
export function resolveSocketPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  if (env.MCPCRED_SOCK) return env.MCPCRED_SOCK;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'mcpcred', 'agent.sock');
  throw new AgentUnavailableError(
    '',
    'cannot find the agent socket: neither $MCPCRED_SOCK nor $XDG_RUNTIME_DIR is set',
  );
}

/**
 * True when nothing listens on `socketPath` (no such file, connection refused,
 * a path component is not a directory): the difference between "no agent" and
 * an agent that answers UNAVAILABLE because an upstream is down. Never waits
 * on a live agent: a connection that opens (or hangs) counts as listening.
 */
export function nothingListensOn(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: socketPath });
    const finish = (nothing: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(nothing);
    };
    const timer = setTimeout(() => finish(false), 1000);
    socket.once('connect', () => finish(false));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' || error.code === 'ENOTDIR'),
    );
  });
}
