// HPACK's Huffman code (RFC 7541 section 5.2 and Appendix B), decoding only:
// this client sends its header strings as plain literals. The code is
// canonical (codes of one length are consecutive, in symbol order, and
// shorter codes come first), so the table below is the code length of each
// symbol 0..255 and of EOS (256), and the codes are derived from it.

/** Code length in bits of each symbol, then of EOS (RFC 7541 Appendix B). */
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

const EOS = 256;
const MAX_LENGTH = 30;

/** A Huffman string that breaks RFC 7541's rules (a COMPRESSION_ERROR). */
export class HuffmanError extends Error {}

// Canonical decoding tables: for each length L, the first code of that
// length, how many codes have it, and where its symbols start in `symbols`.
const firstCode = new Int32Array(MAX_LENGTH + 2);
const countOfLength = new Int32Array(MAX_LENGTH + 2);
const firstIndex = new Int32Array(MAX_LENGTH + 2);
const symbols = new Uint16Array(CODE_LENGTHS.length);
{
  for (const length of CODE_LENGTHS) countOfLength[length]++;
  let code = 0;
  let index = 0;
  for (let length = 1; length <= MAX_LENGTH; length++) {
    firstCode[length] = code;
    firstIndex[length] = index;
    code = (code + countOfLength[length]) << 1;
    index += countOfLength[length];
  }
  const next = Int32Array.from(firstIndex);
  CODE_LENGTHS.forEach((length, symbol) => (symbols[next[length]++] = symbol));
}

/** The code of `symbol` and its length: for tests that check the table. */
export function huffmanCode(symbol: number): { code: number; length: number } {
  const length = CODE_LENGTHS[symbol];
  const rank = symbols.subarray(firstIndex[length], firstIndex[length] + countOfLength[length]).indexOf(symbol);
  return { code: firstCode[length] + rank, length };
}

/**
 * Decodes a Huffman-coded string. Throws HuffmanError when it holds EOS or
 * ends in padding that is longer than 7 bits or not the start of EOS (all 1s).
 */
export function huffmanDecode(input: Uint8Array): Buffer {
  // A code is at least 5 bits long, so the output is at most 8/5 the input.
  const out = Buffer.allocUnsafe(Math.ceil((input.length * 8) / 5));
  let written = 0;
  let code = 0;
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    for (let bit = 7; bit >= 0; bit--) {
      code = (code << 1) | ((byte >> bit) & 1);
      length++;
      const offset = code - firstCode[length];
      if (offset >= 0 && offset < countOfLength[length]) {
        const symbol = symbols[firstIndex[length] + offset];
        if (symbol === EOS) throw new HuffmanError('a Huffman string holds EOS');
        out[written++] = symbol;
        code = 0;
        length = 0;
      } else if (length >= MAX_LENGTH) {
        throw new HuffmanError('a Huffman string holds an invalid code');
      }
    }
  }
  if (length > 7) throw new HuffmanError('a Huffman string ends in more than 7 bits of padding');
  if (code !== (1 << length) - 1) throw new HuffmanError('a Huffman string ends in padding that is not EOS');
  return out.subarray(0, written);
}
