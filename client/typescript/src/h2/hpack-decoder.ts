// HPACK header block decoding (RFC 7541): every representation of section 6
// (indexed, literal with incremental indexing, without indexing, never
// indexed, dynamic table size update), prefixed integers, plain and Huffman
// string literals, and the dynamic table with its size accounting and
// eviction. One decoder per HTTP/2 connection (the table is the connection's).
import { huffmanDecode } from './huffman.js';
import { STATIC_TABLE, type HeaderField } from './static-table.js';

/** A header block this decoder cannot decode: a COMPRESSION_ERROR of the connection. */
export class HpackError extends Error {}

// Each entry counts its name and value lengths in octets plus 32 (section 4.1).
const ENTRY_OVERHEAD = 32;
// Larger integers than this are never legitimate here and would lose precision.
const MAX_INTEGER = 2 ** 31 - 1;

export class HpackDecoder {
  // Newest first: index 62 is entries[0].
  readonly #entries: HeaderField[] = [];
  #size = 0;
  #maxSize: number;
  readonly #settingsMaxSize: number;

  /** `maxTableSize`: the SETTINGS_HEADER_TABLE_SIZE this endpoint advertised (default 4096). */
  constructor(maxTableSize = 4096) {
    this.#maxSize = maxTableSize;
    this.#settingsMaxSize = maxTableSize;
  }

  /** The dynamic table's size in octets as section 4.1 counts it. */
  get tableSize(): number {
    return this.#size;
  }

  /** The dynamic table, newest entry first (for tests). */
  get dynamicEntries(): readonly HeaderField[] {
    return this.#entries;
  }

  /** Decodes one complete header block (HEADERS plus any CONTINUATION payloads). */
  decode(block: Uint8Array): HeaderField[] {
    const fields: HeaderField[] = [];
    let pos = 0;
    let fieldSeen = false;
    const integer = (prefixBits: number): number => {
      if (pos >= block.length) throw new HpackError('a header block ends inside an integer');
      const limit = (1 << prefixBits) - 1;
      let value = block[pos++] & limit;
      if (value < limit) return value;
      let shift = 0;
      for (;;) {
        if (pos >= block.length) throw new HpackError('a header block ends inside an integer');
        const byte = block[pos++];
        value += (byte & 0x7f) * 2 ** shift;
        if (value > MAX_INTEGER) throw new HpackError('a header block holds an integer too large');
        if ((byte & 0x80) === 0) return value;
        shift += 7;
      }
    };
    const string = (): string => {
      if (pos >= block.length) throw new HpackError('a header block ends before a string');
      const huffman = (block[pos] & 0x80) !== 0;
      const length = integer(7);
      if (pos + length > block.length) throw new HpackError('a header block ends inside a string');
      const raw = block.subarray(pos, pos + length);
      pos += length;
      try {
        return (huffman ? huffmanDecode(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.length)).toString('latin1');
      } catch (error) {
        throw new HpackError((error as Error).message);
      }
    };
    while (pos < block.length) {
      const first = block[pos];
      if (first & 0x80) {
        // Indexed header field (6.1).
        fields.push(this.#lookup(integer(7)));
        fieldSeen = true;
      } else if (first & 0x40) {
        // Literal with incremental indexing (6.2.1).
        const field = this.#literal(integer(6), string);
        fields.push(field);
        this.#insert(field);
        fieldSeen = true;
      } else if (first & 0x20) {
        // Dynamic table size update (6.3): only at the start of a block (4.2).
        if (fieldSeen) throw new HpackError('a dynamic table size update follows a header field');
        const size = integer(5);
        if (size > this.#settingsMaxSize) {
          throw new HpackError(`a dynamic table size update to ${size} exceeds the ${this.#settingsMaxSize} allowed`);
        }
        this.#maxSize = size;
        this.#evict(0);
      } else {
        // Literal without indexing (6.2.2) or never indexed (6.2.3): 4-bit prefix.
        fields.push(this.#literal(integer(4), string));
        fieldSeen = true;
      }
    }
    return fields;
  }

  #literal(nameIndex: number, string: () => string): HeaderField {
    const name = nameIndex === 0 ? string() : this.#lookup(nameIndex)[0];
    return [name, string()];
  }

  #lookup(index: number): HeaderField {
    if (index === 0) throw new HpackError('a header field has index 0');
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1];
    const entry = this.#entries[index - STATIC_TABLE.length - 1];
    if (entry === undefined) throw new HpackError(`a header field has index ${index}, beyond the tables`);
    return entry;
  }

  // An entry larger than the table empties it and is not added (4.4).
  #insert(field: HeaderField): void {
    const size = field[0].length + field[1].length + ENTRY_OVERHEAD;
    this.#evict(size);
    if (size <= this.#maxSize) {
      this.#entries.unshift(field);
      this.#size += size;
    }
  }

  // Evicts the oldest entries until `room` more octets fit.
  #evict(room: number): void {
    while (this.#entries.length > 0 && this.#size + room > this.#maxSize) {
      const [name, value] = this.#entries.pop()!;
      this.#size -= name.length + value.length + ENTRY_OVERHEAD;
    }
  }
}
