/**
 * Certificates as W3C Verifiable Credentials 2.0, Bitstring Status Lists and agency DID documents. Pure: no I/O,
 * no globals (GZIP is injected). The network side is `sdk/src/vc`.
 */
export * from "./credential";
export * from "./did";
export * from "./indexes";
export * from "./schema";
export * from "./statusList";
export * from "./statusListCredential";
