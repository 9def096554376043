/** Verifiable Credentials over the network: export, verify, status lists from chain state, DID documents. */
export * from "./credentials";
export * from "./did";
export * from "./jose";
export * from "./statusLists";
