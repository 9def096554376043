import { GovChainError } from "../../errors/base";

/**
 * W3C Bitstring Status List v1.0: the bitstring, its encoding (GZIP, then base64url, with the multibase prefix
 * "u") and the two purposes GovChain publishes. Pure: the GZIP step is injected ({@link Gzip}), so the same code
 * runs in the browser (`CompressionStream`) and in Node (`sdk/src/node/gzip.ts`, node:zlib).
 */

/** The recommendation's minimum list length (16 KiB uncompressed), for herd privacy. */
export const MIN_STATUS_LIST_BITS = 131_072;
/** Multibase prefix of base64url without padding. */
export const MULTIBASE_BASE64URL = "u";

/** What a set bit means in a list. */
export type StatusPurpose = "revocation" | "suspension";
export const STATUS_PURPOSES: readonly StatusPurpose[] = ["revocation", "suspension"];

/** The GZIP step, injected so that the pure encoder runs anywhere. */
export interface Gzip {
  gzip(bytes: Uint8Array): Promise<Uint8Array>;
  gunzip(bytes: Uint8Array): Promise<Uint8Array>;
}

async function pipe(bytes: Uint8Array, transform: GenericTransformStream): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** GZIP through the Compression Streams API (browsers, Deno, Node 18+). */
export const webGzip: Gzip = {
  gzip: (bytes) => pipe(bytes, new CompressionStream("gzip")),
  gunzip: (bytes) => pipe(bytes, new DecompressionStream("gzip")),
};

/** A status list could not be encoded or decoded. */
export class StatusListError extends GovChainError {
  override name = "StatusListError";
}

/**
 * A bitstring of status bits. Index 0 is the left-most (most significant) bit of the first byte, as the
 * recommendation specifies.
 */
export class StatusBitstring {
  readonly bytes: Uint8Array;

  /** A list of `length` bits (rounded up to {@link MIN_STATUS_LIST_BITS} and to whole bytes), all zero. */
  constructor(length: number = MIN_STATUS_LIST_BITS, bytes?: Uint8Array) {
    const bits = Math.max(MIN_STATUS_LIST_BITS, Math.ceil(length / 8) * 8);
    this.bytes = bytes ?? new Uint8Array(bits / 8);
  }

  get length(): number {
    return this.bytes.length * 8;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new StatusListError(`status list index ${index} is outside the list of ${this.length} bits`, {
        code: "STATUS_LIST_INDEX_OUT_OF_RANGE",
      });
    }
  }

  get(index: number): boolean {
    this.check(index);
    return (this.bytes[index >> 3] & (0x80 >> (index & 7))) !== 0;
  }

  set(index: number, value = true): void {
    this.check(index);
    if (value) this.bytes[index >> 3] |= 0x80 >> (index & 7);
    else this.bytes[index >> 3] &= ~(0x80 >> (index & 7));
  }

  /** The indexes of the set bits, ascending. */
  setIndexes(): number[] {
    const found: number[] = [];
    this.bytes.forEach((byte, at) => {
      for (let bit = 0; bit < 8 && byte !== 0; bit++) if (byte & (0x80 >> bit)) found.push(at * 8 + bit);
    });
    return found;
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new StatusListError("the encoded list is not base64url", { code: "STATUS_LIST_MALFORMED" });
  }
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** `encodedList`: the bitstring GZIP-compressed, base64url-encoded, with the multibase prefix "u". */
export async function encodeStatusList(list: StatusBitstring, gzip: Gzip = webGzip): Promise<string> {
  return MULTIBASE_BASE64URL + toBase64Url(await gzip.gzip(list.bytes));
}

/**
 * Decodes an `encodedList` (with or without the multibase prefix, which earlier drafts omitted).
 * @throws {StatusListError} `STATUS_LIST_MALFORMED` when it does not decode, or decodes to fewer than 131,072 bits.
 */
export async function decodeStatusList(encoded: string, gzip: Gzip = webGzip): Promise<StatusBitstring> {
  const text = encoded.startsWith(MULTIBASE_BASE64URL) ? encoded.slice(1) : encoded;
  let bytes: Uint8Array;
  try {
    bytes = await gzip.gunzip(fromBase64Url(text));
  } catch (cause) {
    if (cause instanceof StatusListError) throw cause;
    throw new StatusListError("the encoded list is not GZIP-compressed", { code: "STATUS_LIST_MALFORMED", cause });
  }
  if (bytes.length * 8 < MIN_STATUS_LIST_BITS) {
    throw new StatusListError(`the list has ${bytes.length * 8} bits, fewer than ${MIN_STATUS_LIST_BITS}`, {
      code: "STATUS_LIST_MALFORMED",
    });
  }
  return new StatusBitstring(bytes.length * 8, bytes);
}
