// Copies the wire contract from the repository root (proto/mcpcred/v1/agent.proto)
// into this package, which ships its own copy for @grpc/proto-loader.
// test/proto.test.mjs fails while the two differ.
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../../proto/mcpcred/v1/agent.proto', import.meta.url));
const to = fileURLToPath(new URL('../proto/mcpcred/v1/agent.proto', import.meta.url));
copyFileSync(from, to);
console.log(`copied ${from} -> ${to}`);
