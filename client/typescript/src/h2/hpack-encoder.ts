// HPACK header block encoding, the simple way RFC 7541 allows: each field as
// a literal without indexing (section 6.2.2), its name by static index when
// the static table has it, strings as plain octets (no Huffman). The peer's
// dynamic table is never touched, so blocks can be built once and reused.
import { staticNameIndex, type HeaderField } from './static-table.js';

/** Appends an HPACK integer with an N-bit prefix (section 5.1) whose high bits are `flags`. */
function pushInteger(out: number[], value: number, prefixBits: number, flags: number): void {
  const limit = (1 << prefixBits) - 1;
  if (value < limit) {
    out.push(flags | value);
    return;
  }
  out.push(flags | limit);
  value -= limit;
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
}

function pushString(out: number[], text: string): void {
  const bytes = Buffer.from(text, 'latin1');
  pushInteger(out, bytes.length, 7, 0x00);
  for (const byte of bytes) out.push(byte);
}

/**
 * The header block of `fields`. Names must be lowercase and every name and
 * value printable ASCII (HTTP/2 field rules): throws otherwise.
 */
export function encodeHeaderBlock(fields: readonly HeaderField[]): Buffer {
  const out: number[] = [];
  for (const [name, value] of fields) {
    if (!/^:?[a-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
    if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`invalid value of header ${name}`);
    const index = staticNameIndex(name);
    pushInteger(out, index, 4, 0x00);
    if (index === 0) pushString(out, name);
    pushString(out, value);
  }
  return Buffer.from(out);
}
