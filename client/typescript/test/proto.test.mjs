// The package ships its own copy of the wire contract: it must be the
// repository's. `npm run sync-proto` copies it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('proto/mcpcred/v1/agent.proto is a copy of the repository one', () => {
  const shipped = readFileSync(new URL('../proto/mcpcred/v1/agent.proto', import.meta.url));
  const source = readFileSync(new URL('../../../proto/mcpcred/v1/agent.proto', import.meta.url));
  assert.ok(shipped.equals(source), "the package's agent.proto differs from the repository's: run 'npm run sync-proto'");
});
