/**
 * Certificate documents: salted-field Merkle ids, selective disclosure, holder commitments, anchored batches and
 * verification against the chain through an injected reader. Pure: no I/O, no globals, safe in the browser.
 * The format is specified in docs/certificate-documents.md.
 */
export * from "./certificates";
export * from "./format";
export * from "./hashing";
export * from "./json";
export * from "./paths";
export * from "./reader";
export * from "./verify";
