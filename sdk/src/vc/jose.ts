import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, base64url, type JWK } from "jose";
import { computeAddress, getBytes, hexlify, SigningKey } from "ethers";

import { GovChainError } from "../errors/base";

/**
 * VC-JOSE-COSE: a credential secured as a compact JWS (`typ: vc+jwt`, `cty: vc`, ES256K) with `jose`. The
 * protected header carries the signing key's public JWK (secp256k1) and `kid` (the agency DID URL of the operator
 * key), and `iat`, the chain time of signing. Network-free.
 */

export const VC_JWT_TYPE = "vc+jwt";
export const VC_CONTENT_TYPE = "vc";
export const VC_JWS_ALGORITHM = "ES256K";

/** The secp256k1 public JWK of a private or public key (an ethers hex key). */
export function publicJwkOf(key: string): JWK {
  const point = getBytes(SigningKey.computePublicKey(key, false)); // 0x04 ‖ x ‖ y
  return { kty: "EC", crv: "secp256k1", x: base64url.encode(point.slice(1, 33)), y: base64url.encode(point.slice(33)) };
}

/** The Ethereum address of a secp256k1 public JWK. */
export function addressOfJwk(jwk: JWK): string {
  if (jwk.kty !== "EC" || jwk.crv !== "secp256k1" || !jwk.x || !jwk.y) {
    throw new GovChainError("the key is not a secp256k1 public key", { code: "INVALID_KEY" });
  }
  return computeAddress(hexlify(new Uint8Array([4, ...base64url.decode(jwk.x), ...base64url.decode(jwk.y)])));
}

/** Signs a credential as a `vc+jwt` compact JWS with an operator's private key. */
export async function signCredential(
  credential: object,
  options: { privateKey: string; kid: string; issuedAt: number },
): Promise<string> {
  const publicJwk = publicJwkOf(options.privateKey);
  const d = base64url.encode(getBytes(options.privateKey));
  const key = await importJWK({ ...publicJwk, d }, VC_JWS_ALGORITHM);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(credential)))
    .setProtectedHeader({
      alg: VC_JWS_ALGORITHM,
      typ: VC_JWT_TYPE,
      cty: VC_CONTENT_TYPE,
      kid: options.kid,
      jwk: publicJwk,
      iat: options.issuedAt,
    })
    .sign(key);
}

/** What a verified JWS says. */
export interface VerifiedJws {
  payload: unknown;
  kid: string;
  /** The signer's address, from the embedded public key. */
  signer: string;
  issuedAt: number;
}

/**
 * Checks a `vc+jwt` JWS's signature against the public key in its header; says nothing about whether that key may
 * speak for the issuer (the caller asks the agency directory).
 * @throws {GovChainError} `INVALID_JWS` with the reason.
 */
export async function verifyCredentialJws(jws: string): Promise<VerifiedJws> {
  try {
    const header = decodeProtectedHeader(jws);
    if (header.alg !== VC_JWS_ALGORITHM) throw new Error(`alg ${String(header.alg)} is not ${VC_JWS_ALGORITHM}`);
    if (header.typ !== VC_JWT_TYPE) throw new Error(`typ ${String(header.typ)} is not ${VC_JWT_TYPE}`);
    if (typeof header.kid !== "string") throw new Error("the header names no kid");
    if (!header.jwk) throw new Error("the header carries no jwk");
    const iat = (header as { iat?: unknown }).iat;
    if (typeof iat !== "number") throw new Error("the header carries no iat");
    const key = await importJWK(header.jwk, VC_JWS_ALGORITHM);
    const { payload } = await compactVerify(jws, key, { algorithms: [VC_JWS_ALGORITHM] });
    return {
      payload: JSON.parse(new TextDecoder().decode(payload)) as unknown,
      kid: header.kid,
      signer: addressOfJwk(header.jwk),
      issuedAt: iat,
    };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new GovChainError(`the credential's signature does not verify: ${reason}`, { code: "INVALID_JWS", cause });
  }
}
