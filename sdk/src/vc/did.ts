import { getLogsPaged } from "../chain/logs";
import type { GovChainClient } from "../client";
import { GovChainError } from "../errors/base";
import { AgencyStatus } from "../utils/capabilities";
import { agencyDidDocument, type AgencyDidDocument, type OperatorKeyHistory } from "../utils/vc/did";

/**
 * The DID document of an agency, generated from the agency directory: every operator key it ever had, with when it
 * was added, removed and reported compromised (from the directory's events, paged), and its services.
 * @throws {GovChainError} `UNKNOWN_AGENCY` for an id the directory does not know.
 */
export async function agencyDidDocumentFor(
  client: GovChainClient,
  agencyId: number,
  baseUrl: string,
): Promise<AgencyDidDocument> {
  const directory = client.directory;
  const agency = await directory.agency(agencyId);
  if (!agency) throw new GovChainError(`the agency directory has no agency ${agencyId}`, { code: "UNKNOWN_AGENCY" });
  const iface = directory.contract.interface;
  const topic = "0x" + agencyId.toString(16).padStart(64, "0");
  const names = ["OperatorAdded", "OperatorRemoved", "OperatorKeyCompromised"] as const;
  const logs = await getLogsPaged(
    client.provider,
    { address: directory.address, topics: [names.map((name) => iface.getEvent(name)!.topicHash), topic] },
    { fromBlock: directory.deploymentBlock },
  );
  logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const times = new Map<number, number>();
  for (const blockNumber of new Set(logs.map((log) => log.blockNumber))) {
    times.set(blockNumber, (await client.provider.getBlock(blockNumber))!.timestamp);
  }
  const keys = new Map<string, OperatorKeyHistory>();
  for (const log of logs) {
    const event = iface.parseLog(log)!;
    const account = String(event.args.account);
    const at = times.get(log.blockNumber)!;
    const key = keys.get(account);
    if (event.name === "OperatorAdded") {
      const entry = key ?? { keyId: Number(event.args.keyId), account, periods: [], active: false };
      entry.periods.push({ added: at });
      keys.set(account, entry);
    } else if (key && event.name === "OperatorRemoved") {
      const open = key.periods.at(-1);
      if (open && open.removed === undefined) open.removed = at;
    } else if (key && event.name === "OperatorKeyCompromised") {
      key.compromisedSince = Number(event.args.since);
    }
  }
  for (const key of keys.values()) key.active = (await directory.operatorStatus(agencyId, key.account)).active;
  return agencyDidDocument({
    baseUrl,
    chainId: client.manifest.chainId,
    directory: directory.address,
    registry: client.certificates.address,
    agency: {
      id: agencyId,
      name: agency.name,
      jurisdiction: agency.jurisdiction,
      status: AgencyStatus[agency.status] ?? String(agency.status),
      successorId: agency.successorId,
    },
    keys: [...keys.values()],
  });
}
