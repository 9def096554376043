import { z } from "zod";

/**
 * The deployment manifest: where a GovChain suite lives on one chain. Written by `deploy`, read by the SDK, the CLI
 * and front-ends. Pure: parsing and naming only, no file or network access.
 */

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address");

export const SUITE_CONTRACTS = [
  "AgencyDirectory",
  "CertificateRegistry",
  "DataSharingRegistry",
  "TitleRegistry",
  "LienRegistry",
  "RestrictionRegistry",
  "ParcelLineage",
] as const;
export type SuiteContractName = (typeof SUITE_CONTRACTS)[number];

export const deployedContractSchema = z.object({
  /** The proxy: the address everyone calls. */
  address,
  /** The implementation behind the proxy when it was last deployed or upgraded. */
  implementation: address,
  /** A second implementation contract sharing the proxy's storage (the title registry's extension). */
  extension: address.optional(),
  /** Block of the proxy's deployment: where log scans start. */
  deploymentBlock: z.number().int().nonnegative(),
  /** The implementation's `VERSION()`. */
  version: z.string().min(1),
});
export type DeployedContract = z.infer<typeof deployedContractSchema>;

export const manifestSchema = z.object({
  /** Manifest format version. */
  format: z.literal(1),
  /** Network name (`localhost`, `besu`, or the chain id for a bare RPC URL). */
  network: z.string().min(1),
  chainId: z.number().int().positive(),
  governance: address,
  contracts: z.partialRecord(z.enum(SUITE_CONTRACTS), deployedContractSchema),
  updatedAt: z.iso.datetime(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Parses a manifest from JSON text, with a message naming the first bad field. */
export function parseManifest(json: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`the deployment manifest is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`the deployment manifest is invalid at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** The manifest file name for a network: `deployments/<network>.json`, or `deployments/<chainId>.json` for bare RPC. */
export function manifestFileName(network: string | undefined, chainId: number): string {
  return `deployments/${network ?? String(chainId)}.json`;
}
