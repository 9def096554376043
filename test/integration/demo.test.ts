import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider } from "ethers";

import { devWallet, DEMO_ACCOUNTS } from "../../scripts/demo/accounts";
import { seedDemo, type DemoSummary } from "../../scripts/demo/seed";
import { startHardhatNode, type LocalChain } from "../../scripts/localChain";
import { GovChainClient } from "../../sdk/src/client";
import { deploySuite } from "../../sdk/src/deploy/suite";
import { GrantState } from "../../sdk/src/utils/datasharing";
import type { Manifest } from "../../sdk/src/utils/manifest";
import { LienStatus, SeizureStatus } from "../../sdk/src/utils/titles";
import { freePort } from "../helpers/anvil";

describe("npm start's demo, seeded over JSON-RPC on a separate Hardhat node", function () {
  this.timeout(240_000);
  let chain: LocalChain;
  let manifest: Manifest;
  let summary: DemoSummary;
  let client: GovChainClient;
  let provider: JsonRpcProvider;
  let outDir: string;

  before(async function () {
    chain = await startHardhatNode(await freePort());
    provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    ({ manifest } = await deploySuite({
      signer: devWallet(DEMO_ACCOUNTS.governance, provider),
      network: "localhost",
    }));
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-demo-"));
    summary = await seedDemo({ rpcUrl: chain.rpcUrl, manifest, outDir });
    client = await GovChainClient.connect({ manifest, provider });
  });

  after(async function () {
    provider?.destroy();
    await chain?.stop();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("re-running the deployment changes nothing", async function () {
    const again = await deploySuite({
      signer: devWallet(DEMO_ACCOUNTS.governance, provider),
      network: "localhost",
      existing: manifest,
    });
    expect(again.deployed).to.deep.equal([]);
  });

  it("writes wrapped certificates that verify as the demo says: valid, revoked, superseded, disclosed", async function () {
    const verdict = async (file: string) =>
      client.verifyCertificate(JSON.parse(fs.readFileSync(path.join(outDir, file), "utf8")));
    expect((await verdict("business-licence-valid.json")).valid).to.be.true;
    expect((await verdict("marriage-certificate-disclosed.json")).valid).to.be.true;
    expect((await verdict("real-estate-certificate-buyers.json")).valid).to.be.true;
    const revoked = await verdict("business-licence-revoked.json");
    expect(revoked.checks.status.issues[0].code).to.equal("CERTIFICATE_REVOKED");
    const superseded = await verdict("business-licence-superseded.json");
    expect(superseded.checks.status.issues[0].code).to.equal("CERTIFICATE_SUPERSEDED");
    expect(superseded.checks.status.issues[0].message).to.contain(summary.certificates.corrected);
  });

  it("registers the sold apartment to its two buyers with the bank's mortgage, and freezes the shop", async function () {
    const apartment = await client.titles.titleByParcel(summary.titles.apartment);
    expect(apartment!.owners.map((o) => [o.account, o.shares])).to.deep.equal([
      [devWallet(DEMO_ACCOUNTS.citizenLi).address, 5_000],
      [devWallet(DEMO_ACCOUNTS.enterprise).address, 5_000],
    ]);
    const liens = await client.titles.liensOf(apartment!.titleId);
    expect(liens).to.have.length(1);
    expect(liens[0].status).to.equal(LienStatus.Active);
    expect(liens[0].lenderAgencyId).to.equal(summary.agencies.bank);
    const history = (await client.titles.history(apartment!.titleId)).map((e) => e.event);
    expect(history).to.include.members([
      "TitleRegistered",
      "TransferProposed",
      "OwnershipRegistered",
      "LienRegistered",
    ]);

    const shop = await client.titles.titleByParcel(summary.titles.shop);
    expect(await client.titles.isRestricted(shop!.titleId)).to.be.true;
    const [seizure] = await client.titles.seizuresOf(shop!.titleId);
    expect(seizure.status).to.equal(SeizureStatus.Active);
    expect(seizure.courtAgencyId).to.equal(summary.agencies.court);
  });

  it("shows the citizen's consent and the bank's access receipt", async function () {
    const [consent] = await client.dataSharing.consentsOf(summary.subjects.zhang);
    expect(consent.state).to.equal(GrantState.Active);
    expect(consent.requesterAgencyId).to.equal(summary.agencies.bank);
    const receipts = await client.dataSharing.receiptsOf(summary.subjects.zhang);
    expect(receipts).to.have.length(1);
    expect(receipts[0].grantId).to.equal(consent.grantId);
  });
});
