import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

import { HDNodeWallet, JsonRpcProvider, Mnemonic, id as keccakText } from "ethers";

import { GovChainClient } from "../../sdk/src/client";
import { deploySuite } from "../../sdk/src/deploy/suite";
import { capabilityMask } from "../../sdk/src/utils/capabilities";
import { RevocationReason } from "../../sdk/src/utils/certificates";
import {
  agencyRequester,
  enterpriseRequester,
  purposeCode,
  Sensitivity,
  SharingCategory,
} from "../../sdk/src/utils/datasharing";
import { disclose, issueArguments, wrapDocument } from "../../sdk/src/utils/documents/certificates";
import type { WrappedCertificate } from "../../sdk/src/utils/documents/format";
import type { Manifest } from "../../sdk/src/utils/manifest";

/**
 * The portal's demonstration chain: a `hardhat node` child process, and a seeding script that deploys the suite and
 * fills it with certificates (valid, revoked, superseded), consents and access receipts through the SDK. The
 * portal's browser tests and the screenshot script share it. Development keys only (Hardhat's public mnemonic).
 */

/** Hardhat's and anvil's well-known development mnemonic: test accounts only, never real keys. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const REPOSITORY_ROOT = path.join(__dirname, "..", "..");
const DAY = 86_400;

/** The development account at `index`. */
export function devWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}

export interface RunningNode {
  rpcUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `hardhat node` on a free loopback port and waits until it answers JSON-RPC. */
export async function startHardhatNode(timeoutMs = 60_000): Promise<RunningNode> {
  const port = await freePort();
  const binary = path.join(REPOSITORY_ROOT, "node_modules", ".bin", "hardhat");
  const child: ChildProcess = spawn(binary, ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: REPOSITORY_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return { rpcUrl, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`hardhat node did not answer on ${rpcUrl}:\n${output}`);
}

/** What the demonstration chain holds, for the tests to look for. */
export interface DemoData {
  manifest: Manifest;
  agencies: { market: { id: number; name: string }; civil: { id: number; name: string } };
  typeName: string;
  certificates: {
    valid: WrappedCertificate;
    /** The valid certificate with the legal representative and the holder hidden. */
    partial: WrappedCertificate;
    /** The valid certificate with its registered capital changed after issue. */
    tampered: WrappedCertificate;
    revoked: WrappedCertificate;
    superseded: WrappedCertificate;
    replacement: WrappedCertificate;
  };
  /** The data subject (development account 3) and what the chain holds about them. */
  subject: string;
  bank: string;
  datasetTitle: string;
  purposeLabels: string[];
  /** The active consent the browser test withdraws: civil affairs, social assistance. */
  revocable: { requesterAgencyId: number; purpose: string };
}

export const DEMO_PURPOSES = ["loan-application", "tax-audit", "social-assistance"] as const;

/** Deploys the suite on `rpcUrl` and seeds it (about 30 transactions). */
export async function seedDemo(rpcUrl: string): Promise<DemoData> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const [governance, marketAdmin, operator, citizen, bank, civilAdmin] = [0, 1, 2, 3, 4, 6].map((i) =>
    devWallet(i).connect(provider),
  );
  const { manifest } = await deploySuite({ signer: governance, network: "localhost" });
  const as = (wallet: HDNodeWallet) => GovChainClient.connect({ manifest, provider, signer: wallet });
  const gov = await as(governance);

  const marketName = "Shanghai Administration for Market Regulation";
  const civilName = "Pudong New Area Civil Affairs Bureau";
  const { agencyId: market } = await gov.directory.onboardAgency({
    name: marketName,
    jurisdiction: "CN/31",
    admin: marketAdmin.address,
    capabilities: capabilityMask("IssueCertificates", "PublishDatasets"),
  });
  const { agencyId: civil } = await gov.directory.onboardAgency({
    name: civilName,
    jurisdiction: "CN/31/15",
    admin: civilAdmin.address,
    capabilities: capabilityMask("RequestData"),
  });
  await (await as(marketAdmin)).directory.addOperator(market, operator.address);
  const issuer = await as(operator);
  const typeName = "Business licence 营业执照";
  const { typeId } = await issuer.certificates.registerType({
    agencyId: market,
    name: typeName,
    schemaHash: keccakText("govchain.business-licence.v1"),
    revocable: true,
    defaultValidity: 0,
  });

  const licence = (companyName: string, holderId: string, capital: string) =>
    wrapDocument({
      type: { typeId, chainId: manifest.chainId, registry: manifest.contracts.CertificateRegistry!.address },
      issuer: { agencyId: market },
      holder: { id: holderId },
      validity: { validFrom: 0, validUntil: 0 },
      fields: {
        companyName,
        legalRepresentative: "张三",
        registeredCapital: capital,
        address: "上海市浦东新区世纪大道100号",
        businessScope: "软件开发；信息技术咨询服务",
      },
    });
  const valid = licence("上海示例科技有限公司", "91310115MA1H000001", "1000万元");
  const revoked = licence("上海旧时光贸易有限公司", "91310115MA1H000002", "50万元");
  const superseded = licence("上海浦江数据服务有限公司", "91310115MA1H000003", "200万元");
  const replacement = licence("上海浦江数据服务有限公司", "91310115MA1H000003", "500万元");
  for (const certificate of [valid, revoked, superseded]) await issuer.certificates.issueWrapped(certificate);
  await issuer.certificates.revoke(revoked.proof.certificateId, RevocationReason.Fraud);
  const next = issueArguments(replacement);
  await issuer.certificates.supersede(superseded.proof.certificateId, {
    certificateId: next.certificateId,
    typeId: next.typeId,
    holderCommitment: next.holderCommitment,
    validFrom: next.validFrom,
    validUntil: next.validUntil,
  });
  const partial = disclose(valid, ["fields.legalRepresentative", "holder"]);
  const tampered = structuredClone(valid);
  tampered.data["fields.registeredCapital"].value = "1亿元";

  // Data sharing: one dataset, consents in every state, and receipts.
  const [loan, tax, assistance] = DEMO_PURPOSES.map(purposeCode);
  const datasetTitle = "Business registration records";
  const { datasetId } = await issuer.dataSharing.publishDataset(market, {
    title: datasetTitle,
    schemaHash: keccakText("govchain.registration-records.v1"),
    sensitivity: Sensitivity.Personal,
    sharing: SharingCategory.Conditional,
    purposes: [loan, tax, assistance],
  });
  await gov.dataSharing.syncAgency(civil);
  const asBank = await as(bank);
  const asCitizen = await as(citizen);
  const bankRequester = enterpriseRequester(bank.address);
  const civilRequester = agencyRequester(civil);
  const now = await gov.directory.latestTimestamp();

  // Signed by the citizen, relayed (and paid for) by the bank.
  const signed = await asBank.dataSharing.signConsent(citizen, {
    requester: bankRequester,
    datasetId,
    purpose: loan,
    expiresAt: now + 180 * DAY,
    singleUse: false,
    deadline: now + 3_600,
  });
  await asBank.dataSharing.relayConsent(signed.message, signed.signature);
  await asCitizen.dataSharing.grantConsent({
    requester: civilRequester,
    datasetId,
    purpose: assistance,
    expiresAt: now + 365 * DAY,
  });
  await asCitizen.dataSharing.grantConsent({ requester: civilRequester, datasetId, purpose: tax, expiresAt: now + 30 * DAY });
  await asCitizen.dataSharing.revokeConsent(civilRequester, datasetId, tax);
  await asCitizen.dataSharing.grantConsent({
    requester: bankRequester,
    datasetId,
    purpose: tax,
    expiresAt: now + 30 * DAY,
    singleUse: true,
  });
  await asCitizen.dataSharing.grantConsent({ requester: bankRequester, datasetId, purpose: assistance, expiresAt: now + 600 });
  for (const [purpose, record] of [
    [loan, "loan-file-2024-001"],
    [loan, "loan-file-2024-002"],
    [tax, "tax-file-2024-017"],
  ] as const) {
    await asBank.dataSharing.recordAccess({
      subject: citizen.address,
      requester: bankRequester,
      datasetId,
      purpose,
      recordHash: keccakText(record),
    });
  }
  // Let the short consent expire.
  await provider.send("evm_increaseTime", [3_600]);
  await provider.send("evm_mine", []);

  return {
    manifest,
    agencies: { market: { id: market, name: marketName }, civil: { id: civil, name: civilName } },
    typeName,
    certificates: { valid, partial, tampered, revoked, superseded, replacement },
    subject: citizen.address,
    bank: bank.address,
    datasetTitle,
    purposeLabels: [...DEMO_PURPOSES],
    revocable: { requesterAgencyId: civil, purpose: assistance },
  };
}
