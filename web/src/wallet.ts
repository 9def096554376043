import { BrowserProvider, getAddress, type Eip1193Provider, type JsonRpcSigner } from "ethers";

/**
 * The visitor's browser wallet (EIP-1193, `window.ethereum`), when there is one. It signs consents and
 * revocations (EIP-712, `eth_signTypedData_v4`); the page itself never holds a key and sends no transaction.
 */

let signer: JsonRpcSigner | undefined;
let account: string | undefined;

export function browserWallet(): Eip1193Provider | undefined {
  return (window as unknown as { ethereum?: Eip1193Provider }).ethereum;
}

/** Asks the wallet for an account (the wallet may show a prompt) and remembers its signer for this tab. */
export async function connectWallet(): Promise<string> {
  const ethereum = browserWallet();
  if (!ethereum) throw new Error("no browser wallet");
  const provider = new BrowserProvider(ethereum);
  const [first] = (await provider.send("eth_requestAccounts", [])) as string[];
  signer = await provider.getSigner(first);
  account = getAddress(await signer.getAddress());
  return account;
}

/** The connected account and its signer, when the visitor connected a wallet. */
export function connectedWallet(): { account: string; signer: JsonRpcSigner } | undefined {
  return signer && account ? { account, signer } : undefined;
}

/** JSON with bigints as decimal strings (how signed messages travel to a relay or into a file). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, each: unknown) => (typeof each === "bigint" ? each.toString() : each), 2);
}

/** What the page sends to a relay (or offers as a download): the signed message, for an agency to submit. */
export interface SignedConsentMessage {
  kind: "grant" | "revocation";
  message: Record<string, unknown>;
  signature: string;
}

/** POSTs a signed message to the configured relay; returns the transaction hash it reports. */
export async function relay(relayUrl: string, signed: SignedConsentMessage): Promise<string> {
  const response = await fetch(relayUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: toJson(signed),
  });
  const body = (await response.json().catch(() => ({}))) as { transactionHash?: string; error?: string };
  if (!response.ok || !body.transactionHash)
    throw new Error(body.error ?? `the relay answered HTTP ${response.status}`);
  return body.transactionHash;
}
