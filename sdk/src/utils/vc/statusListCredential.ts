import type { StatusPurpose } from "./statusList";
import { STATUS_LIST_CREDENTIAL_TYPE, VC_CONTEXT_V2 } from "./credential";

/** The chain state a status list was built from, so that anyone can rebuild it and compare. */
export interface StatusListSnapshot {
  chainId: number;
  registry: string;
  agencyId: number;
  blockNumber: number;
  blockHash: string;
  /** The block's timestamp, unix seconds. */
  blockTime: number;
}

/** A `BitstringStatusListCredential` (Bitstring Status List v1.0), built from the registry as of one block. */
export interface StatusListCredential {
  "@context": string[];
  id: string;
  type: string[];
  issuer: string;
  validFrom: string;
  credentialSubject: {
    id: string;
    type: "BitstringStatusList";
    statusPurpose: StatusPurpose;
    /** GZIP + base64url with the multibase prefix "u". */
    encodedList: string;
  };
  govchainSnapshot: StatusListSnapshot;
}

/** Assembles a status list credential. Pure. */
export function statusListCredential(input: {
  url: string;
  issuerDid: string;
  purpose: StatusPurpose;
  encodedList: string;
  snapshot: StatusListSnapshot;
}): StatusListCredential {
  return {
    "@context": [VC_CONTEXT_V2],
    id: input.url,
    type: ["VerifiableCredential", STATUS_LIST_CREDENTIAL_TYPE],
    issuer: input.issuerDid,
    validFrom: new Date(input.snapshot.blockTime * 1000).toISOString().replace(/\.000Z$/, "Z"),
    credentialSubject: {
      id: `${input.url}#list`,
      type: "BitstringStatusList",
      statusPurpose: input.purpose,
      encodedList: input.encodedList,
    },
    govchainSnapshot: input.snapshot,
  };
}
