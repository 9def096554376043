import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";

import { DEMO_ACCOUNTS, devWallet } from "../../scripts/demo/accounts";
import { seedDemo, type DemoSummary } from "../../scripts/demo/seed";
import { startHardhatNode, type LocalChain } from "../../scripts/localChain";
import { GovChainClient } from "../../sdk/src/client";
import { deploySuite } from "../../sdk/src/deploy/suite";
import { agencyRequester, enterpriseRequester, purposeCode } from "../../sdk/src/utils/datasharing";
import type { WrappedCertificate } from "../../sdk/src/utils/documents/format";
import type { Manifest } from "../../sdk/src/utils/manifest";

/**
 * The portal's demonstration chain, shared by its browser tests and the screenshot script: a `hardhat node` child
 * process with the whole suite deployed and `npm start`'s demo seeded (scripts/demo/seed.ts), plus a few more
 * consents so that "My data" shows every state (active, withdrawn, used, expired). Development keys only.
 */

/** Development account that runs the portal server's development relay (it pays for relayed consents). */
export const RELAYER_ACCOUNT = 14;

/** The purposes the demo's datasets list, by label (the chain stores their keccak-256). */
export const DEMO_PURPOSES = ["tax-registration", "loan-application", "license-review", "housing-purchase"];

export interface PortalDemo {
  chain: LocalChain;
  manifest: Manifest;
  summary: DemoSummary;
  certificates: {
    valid: WrappedCertificate;
    /** The valid licence with its registered capital changed after issue. */
    tampered: WrappedCertificate;
    revoked: WrappedCertificate;
    superseded: WrappedCertificate;
    /** What replaced the superseded licence. */
    replacement: WrappedCertificate;
    /** A marriage certificate with the holder's and both spouses' id numbers hidden. */
    partial: WrappedCertificate;
  };
  /** Citizen Zhang: the data subject whose consents and receipts the portal lists. */
  subject: string;
  /** The consent the browser test withdraws: the tax service's, for housing purchase. */
  revocable: { requesterAgencyId: number; purpose: string };
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Consents in every state for citizen Zhang, and a second receipt, on top of npm start's demo. */
async function seedMoreConsents(rpcUrl: string, manifest: Manifest, summary: DemoSummary): Promise<void> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const as = (index: number) => GovChainClient.connect({ manifest, provider, signer: devWallet(index) });
    const zhang = await as(DEMO_ACCOUNTS.citizenZhang);
    const enterprise = await as(DEMO_ACCOUNTS.enterprise);
    const bank = await as(DEMO_ACCOUNTS.bankOperator);
    const datasetId = summary.datasets.householdRegistry;
    const loan = purposeCode("loan-application");
    const housing = purposeCode("housing-purchase");
    const enterpriseRequesterWord = enterpriseRequester(devWallet(DEMO_ACCOUNTS.enterprise).address);
    const now = (await provider.getBlock("latest"))!.timestamp;
    const day = 86_400;

    await zhang.dataSharing.grantConsent({
      requester: agencyRequester(summary.agencies.tax),
      datasetId,
      purpose: housing,
      expiresAt: now + 180 * day,
    });
    const market = agencyRequester(summary.agencies.marketRegulation);
    await zhang.dataSharing.grantConsent({ requester: market, datasetId, purpose: loan, expiresAt: now + 30 * day });
    await zhang.dataSharing.revokeConsent(market, datasetId, loan);
    await zhang.dataSharing.grantConsent({
      requester: enterpriseRequesterWord,
      datasetId,
      purpose: housing,
      expiresAt: now + 30 * day,
      singleUse: true,
    });
    await enterprise.dataSharing.recordAccess({
      subject: (await zhang.account())!,
      requester: enterpriseRequesterWord,
      datasetId,
      purpose: housing,
      recordHash: keccak256(toUtf8Bytes("marriage-record:developer-check")),
    });
    await zhang.dataSharing.grantConsent({
      requester: enterpriseRequesterWord,
      datasetId,
      purpose: loan,
      expiresAt: now + 600,
    });
    await bank.dataSharing.recordAccess({
      subject: (await zhang.account())!,
      requester: agencyRequester(summary.agencies.bank),
      datasetId,
      purpose: loan,
      recordHash: keccak256(toUtf8Bytes("marriage-record:demo-2")),
    });
    // Let the short consent expire.
    await provider.send("evm_increaseTime", [3_600]);
    await provider.send("evm_mine", []);
  } finally {
    provider.destroy();
  }
}

/** Starts a node, deploys the suite, seeds the demo; `stop()` ends the node and removes the temporary files. */
export async function startPortalDemo(log: (line: string) => void = () => undefined): Promise<PortalDemo> {
  const chain = await startHardhatNode(await freePort(), log);
  const outDir = mkdtempSync(path.join(os.tmpdir(), "govchain-portal-demo-"));
  const stop = async (): Promise<void> => {
    await chain.stop();
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const { manifest } = await deploySuite({
      signer: devWallet(DEMO_ACCOUNTS.governance, provider),
      network: "localhost",
    });
    provider.destroy();
    const summary = await seedDemo({ rpcUrl: chain.rpcUrl, manifest, outDir, log });
    await seedMoreConsents(chain.rpcUrl, manifest, summary);
    const read = (name: string) => JSON.parse(readFileSync(path.join(outDir, name), "utf8")) as WrappedCertificate;
    const valid = read("business-licence-valid.json");
    const tampered = structuredClone(valid);
    tampered.data["fields.registeredCapital"].value = "人民币壹亿元整";
    return {
      chain,
      manifest,
      summary,
      certificates: {
        valid,
        tampered,
        revoked: read("business-licence-revoked.json"),
        superseded: read("business-licence-superseded.json"),
        replacement: read("business-licence-corrected.json"),
        partial: read("marriage-certificate-disclosed.json"),
      },
      subject: summary.subjects.zhang,
      revocable: { requesterAgencyId: summary.agencies.tax, purpose: purposeCode("housing-purchase") },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
