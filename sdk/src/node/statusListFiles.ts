import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { GovChainClient } from "../client";
import { Capability } from "../utils/capabilities";
import { agencyDidDocumentFor } from "../vc/did";
import { blockAtTime, buildStatusListCredentials, type StatusListOptions } from "../vc/statusLists";
import { nodeGzip } from "./gzip";

/**
 * Writes the static files any web server can publish under `baseUrl`: for each agency,
 * `<dir>/<agencyId>/revocation.json`, `suspension.json` (Bitstring Status List credentials as of one block) and
 * `did.json` (its did:web document). Returns the files written.
 */
export async function writeStatusListFiles(
  client: GovChainClient,
  dir: string,
  options: StatusListOptions & { baseUrl: string; agencyIds?: readonly number[] },
): Promise<string[]> {
  const blockNumber =
    options.blockNumber ??
    (options.time !== undefined
      ? await blockAtTime(client.provider, options.time)
      : await client.provider.getBlockNumber());
  const agencyIds =
    options.agencyIds ??
    (await client.directory.agencies())
      .filter((agency) => (agency.capabilities & Capability.IssueCertificates) !== 0)
      .map((agency) => agency.id);
  const written: string[] = [];
  for (const agencyId of agencyIds) {
    const folder = join(dir, String(agencyId));
    mkdirSync(folder, { recursive: true });
    const lists = await buildStatusListCredentials(client, agencyId, { ...options, blockNumber, gzip: nodeGzip });
    const did = await agencyDidDocumentFor(client, agencyId, options.baseUrl);
    for (const [name, body] of [
      ["revocation.json", lists.revocation],
      ["suspension.json", lists.suspension],
      ["did.json", did],
    ] as const) {
      const file = join(folder, name);
      writeFileSync(file, JSON.stringify(body, null, 2) + "\n");
      written.push(file);
    }
  }
  return written;
}
