import { z } from "zod";

import { manifestSchema, type Manifest } from "../../sdk/src/utils/manifest";

/**
 * The portal's run-time configuration: `config.json`, served next to index.html by whoever hosts the static build.
 * Validated here, at the edge; everything inside trusts the parsed result.
 */
const configSchema = z.object({
  /** The JSON-RPC endpoint the page reads the chain from (absolute, or relative to config.json). */
  rpcUrl: z.string().min(1),
  /** The deployment manifest, inline or as a URL (absolute, or relative to config.json). */
  manifest: z.union([manifestSchema, z.string().min(1)]),
  /** Where signed consents and revocations are POSTed for an agency to relay; without it they are downloaded. */
  relayUrl: z.string().min(1).optional(),
  /** The platform's purpose labels, so that purpose codes (keccak-256 of a label) can be shown by name. */
  purposeLabels: z.array(z.string().min(1)).optional(),
});

export interface PortalConfig {
  rpcUrl: string;
  manifest: Manifest;
  relayUrl: string | undefined;
  purposeLabels: readonly string[];
}

/** The configuration could not be loaded or is invalid. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

async function fetchJson(url: string, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch (error) {
    throw new ConfigError(`${what} (${url}) could not be fetched: ${(error as Error).message}`);
  }
  if (!response.ok) throw new ConfigError(`${what} (${url}) answered HTTP ${response.status}`);
  try {
    return (await response.json()) as unknown;
  } catch {
    throw new ConfigError(`${what} (${url}) is not JSON`);
  }
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join(".") || "(root)"}: ${issue.message}`;
}

/** Fetches and validates `config.json` (and the manifest it points to), resolving relative URLs against it. */
export async function loadPortalConfig(configUrl: string): Promise<PortalConfig> {
  const parsed = configSchema.safeParse(await fetchJson(configUrl, "config.json"));
  if (!parsed.success) throw new ConfigError(`config.json is invalid at ${describe(parsed.error)}`);
  const { rpcUrl, manifest, relayUrl, purposeLabels } = parsed.data;
  const resolve = (url: string): string => new URL(url, configUrl).href;
  let resolved: Manifest;
  if (typeof manifest === "string") {
    const fetched = manifestSchema.safeParse(await fetchJson(resolve(manifest), "the deployment manifest"));
    if (!fetched.success) throw new ConfigError(`the deployment manifest is invalid at ${describe(fetched.error)}`);
    resolved = fetched.data;
  } else {
    resolved = manifest;
  }
  return {
    rpcUrl: resolve(rpcUrl),
    manifest: resolved,
    relayUrl: relayUrl === undefined ? undefined : resolve(relayUrl),
    purposeLabels: purposeLabels ?? [],
  };
}
