import { getAddress } from "ethers";

import { GovChainError } from "../../errors/base";

/**
 * Agencies as DID documents (did:web). Pure: the data comes from the agency directory (`sdk/src/vc/did.ts`).
 *
 * An agency published under `https://host/path` is `did:web:host:path:<agencyId>`, resolved (by did:web) to
 * `https://host/path/<agencyId>/did.json` — the same folder as its status lists. Each operator key the directory
 * ever held is a verification method of type `EcdsaSecp256k1RecoveryMethod2020` naming its account
 * (`blockchainAccountId` = `eip155:<chainId>:<address>`), with its history in `govchainKeyHistory`.
 */

export const DID_CONTEXT = "https://www.w3.org/ns/did/v1";
export const SECP256K1_RECOVERY_CONTEXT = "https://w3id.org/security/suites/secp256k1recovery-2020/v2";

/** The did:web of an agency published under `baseUrl` (https, or http for localhost). */
export function agencyDid(baseUrl: string, agencyId: number): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new GovChainError(`${baseUrl} is not a URL`, { code: "INVALID_BASE_URL", cause });
  }
  const host = encodeURIComponent(url.host); // a port's ":" becomes "%3A", as did:web requires
  const path = url.pathname.split("/").filter((segment) => segment !== "");
  return ["did:web", host, ...path.map(encodeURIComponent), String(agencyId)].join(":");
}

/** The agency id at the end of a GovChain agency DID (did:web), or undefined. */
export function agencyIdOfDid(did: string): number | undefined {
  const match = /^did:web:.+:([1-9][0-9]*)$/.exec(did);
  return match ? Number(match[1]) : undefined;
}

/** The URL under which an agency's files (status lists, did.json) are published. */
export function agencyFolderUrl(baseUrl: string, agencyId: number): string {
  return `${baseUrl.replace(/\/+$/, "")}/${agencyId}`;
}

/** The fragment of an operator key's verification method. */
export function keyFragment(keyId: number): string {
  return `key-${keyId}`;
}

/** An operator key and its life, as the directory's events tell it (unix seconds). */
export interface OperatorKeyHistory {
  keyId: number;
  account: string;
  /** Each period the key could act: added, and removed (absent while it still can). */
  periods: { added: number; removed?: number }[];
  /** Distrusted for everything from this time on, when reported compromised. */
  compromisedSince?: number;
  active: boolean;
}

export interface AgencyDidInput {
  baseUrl: string;
  chainId: number;
  directory: string;
  registry: string;
  agency: { id: number; name: string; jurisdiction: string; status: string; successorId: number };
  keys: readonly OperatorKeyHistory[];
}

export interface VerificationMethod {
  id: string;
  type: "EcdsaSecp256k1RecoveryMethod2020";
  controller: string;
  blockchainAccountId: string;
  govchainKeyHistory: {
    keyId: number;
    periods: { added: string; removed?: string }[];
    compromisedSince?: string;
    active: boolean;
  };
}

export interface AgencyDidDocument {
  "@context": string[];
  id: string;
  alsoKnownAs: string[];
  verificationMethod: VerificationMethod[];
  assertionMethod: string[];
  service: { id: string; type: string; serviceEndpoint: string | Record<string, string> }[];
  govchainAgency: { agencyId: number; name: string; jurisdiction: string; status: string; successorId: number };
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");

/** The DID document of an agency. Keys that may still act (and were never compromised) can assert credentials. */
export function agencyDidDocument(input: AgencyDidInput): AgencyDidDocument {
  const did = agencyDid(input.baseUrl, input.agency.id);
  const folder = agencyFolderUrl(input.baseUrl, input.agency.id);
  const methods = input.keys.map((key): VerificationMethod => ({
    id: `${did}#${keyFragment(key.keyId)}`,
    type: "EcdsaSecp256k1RecoveryMethod2020",
    controller: did,
    blockchainAccountId: `eip155:${input.chainId}:${getAddress(key.account)}`,
    govchainKeyHistory: {
      keyId: key.keyId,
      periods: key.periods.map((p) => ({
        added: iso(p.added),
        ...(p.removed !== undefined ? { removed: iso(p.removed) } : {}),
      })),
      ...(key.compromisedSince !== undefined ? { compromisedSince: iso(key.compromisedSince) } : {}),
      active: key.active,
    },
  }));
  return {
    "@context": [DID_CONTEXT, SECP256K1_RECOVERY_CONTEXT],
    id: did,
    alsoKnownAs: [
      `urn:govchain:agency:${input.chainId}:${getAddress(input.directory).toLowerCase()}:${input.agency.id}`,
    ],
    verificationMethod: methods,
    assertionMethod: input.keys
      .filter((key) => key.active && key.compromisedSince === undefined)
      .map((key) => `${did}#${keyFragment(key.keyId)}`),
    service: [
      {
        id: `${did}#status-lists`,
        type: "BitstringStatusList",
        serviceEndpoint: { revocation: `${folder}/revocation.json`, suspension: `${folder}/suspension.json` },
      },
      {
        id: `${did}#agency-directory`,
        type: "GovChainAgencyDirectory",
        serviceEndpoint: `eip155:${input.chainId}:${getAddress(input.directory)}`,
      },
      {
        id: `${did}#certificate-registry`,
        type: "GovChainCertificateRegistry",
        serviceEndpoint: `eip155:${input.chainId}:${getAddress(input.registry)}`,
      },
    ],
    govchainAgency: {
      agencyId: input.agency.id,
      name: input.agency.name,
      jurisdiction: input.agency.jurisdiction,
      status: input.agency.status,
      successorId: input.agency.successorId,
    },
  };
}
