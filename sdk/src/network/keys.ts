import { SigningKey, Wallet, computeAddress, isHexString } from "ethers";

import { NetworkKitError } from "./errors";

/**
 * Besu node keys and enode URLs. Pure computation (key generation draws from the system's random source but touches
 * no file or network).
 */

/** A node's secp256k1 key pair and the names Besu derives from it. */
export interface NodeKey {
  /** `0x` + 64 hex digits: the content of Besu's `key` file. Secret. */
  privateKey: string;
  /** `0x` + 128 hex digits (uncompressed public key without its `04` prefix): the content of `key.pub`. */
  publicKey: string;
  /** The 128 hex digits of the public key without `0x`: the node id in its enode URL. */
  nodeId: string;
  /** The node's account address; for a QBFT validator, the validator address in the genesis extraData. */
  address: string;
}

const NODE_ID = /^[0-9a-f]{128}$/;
const ENODE = /^enode:\/\/([0-9a-fA-F]{128})@([^:/?#\s]+):(\d{1,5})(\?discport=(\d{1,5}))?$/;

/** Derives a node's public key, node id and address from its private key. */
export function nodeKeyFromPrivateKey(privateKey: string): NodeKey {
  if (!isHexString(privateKey, 32)) {
    throw new NetworkKitError("a node private key must be 0x followed by 64 hex digits");
  }
  const uncompressed = new SigningKey(privateKey).publicKey; // 0x04 + 128 hex digits
  const nodeId = uncompressed.slice(4).toLowerCase();
  return {
    privateKey: privateKey.toLowerCase(),
    publicKey: `0x${nodeId}`,
    nodeId,
    address: computeAddress(uncompressed),
  };
}

/** Generates a fresh node key (ethers' `Wallet.createRandom`, the platform's CSPRNG). */
export function generateNodeKey(): NodeKey {
  return nodeKeyFromPrivateKey(Wallet.createRandom().privateKey);
}

/** The account address of a node id (128 hex digits, with or without `0x`). */
export function addressFromNodeId(nodeId: string): string {
  const id = nodeId.replace(/^0x/, "").toLowerCase();
  if (!NODE_ID.test(id)) throw new NetworkKitError(`not a node id (128 hex digits): ${nodeId}`);
  return computeAddress(`0x04${id}`);
}

/** `enode://<node id>@<host>:<p2p port>`. */
export function enodeUrl(nodeId: string, host: string, port: number): string {
  const id = nodeId.replace(/^0x/, "").toLowerCase();
  if (!NODE_ID.test(id)) throw new NetworkKitError(`not a node id (128 hex digits): ${nodeId}`);
  if (!/^[^:/?#@\s]+$/.test(host)) throw new NetworkKitError(`not a host name or IPv4 address: ${host}`);
  assertPort(port, "p2p port");
  return `enode://${id}@${host}:${port}`;
}

/** Splits an enode URL into its node id, host and port; throws on anything else. */
export function parseEnodeUrl(url: string): { nodeId: string; host: string; port: number } {
  const match = ENODE.exec(url.trim());
  if (!match) throw new NetworkKitError(`not an enode URL (enode://<128 hex digits>@<host>:<port>): ${url}`);
  const port = Number(match[3]);
  assertPort(port, "p2p port");
  return { nodeId: match[1].toLowerCase(), host: match[2], port };
}

/** Throws unless `port` is a TCP/UDP port number (1 to 65535). */
export function assertPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new NetworkKitError(`the ${what} must be an integer from 1 to 65535, not ${port}`);
  }
}
