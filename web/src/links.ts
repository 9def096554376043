/**
 * Verification links: `#/verify?doc=<base64url>` carries a wrapped certificate (or its disclosed form) in the URL
 * fragment, which browsers never send to a server. The bytes are gzip when they start with gzip's magic number, and
 * plain UTF-8 JSON otherwise, so hand-made links (plain JSON) work too. Pure: no I/O, no globals beyond the
 * standard web APIs (CompressionStream, btoa) that browsers and Node 20 both have.
 */

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** The route and query parameter names a verification link uses. */
export const VERIFY_ROUTE = "verify";
export const DOCUMENT_PARAM = "doc";

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Encodes a document for a link: compact JSON, gzip, base64url. */
export async function encodeDocumentParam(document: unknown): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(document));
  return toBase64Url(await pipe(json, new CompressionStream("gzip")));
}

/**
 * Decodes the `doc` parameter of a link back to JSON (not validated: the verifier does that).
 * @throws {Error} when the text is not base64url of (gzipped) JSON.
 */
export async function decodeDocumentParam(param: string): Promise<unknown> {
  let bytes = fromBase64Url(param.trim());
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    bytes = await pipe(bytes, new DecompressionStream("gzip"));
  }
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
}

/** The portal URL that verifies a document: `base` is the portal's address without a fragment. */
export function verificationLink(base: string, param: string): string {
  return `${base.replace(/#.*$/, "")}#/${VERIFY_ROUTE}?${DOCUMENT_PARAM}=${param}`;
}
