import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";

import { GovChainClient } from "../../sdk/src/client";
import { ContractRevertError, WrongChainError } from "../../sdk/src/errors/chain";
import { InputError } from "../../sdk/src/utils/validation";
import { capabilityMask, Capability } from "../../sdk/src/utils/capabilities";
import { RevocationReason } from "../../sdk/src/utils/certificates";
import {
  AccessReason,
  enterpriseRequester,
  GrantState,
  purposeCode,
  Sensitivity,
  SharingCategory,
} from "../../sdk/src/utils/datasharing";
import { disclose, wrapDocument } from "../../sdk/src/utils/documents";
import { clientFor, deployedSuite, devWallet } from "../helpers/sdk";

describe("SDK against the in-process chain", function () {
  async function suiteFixture() {
    const manifest = await deployedSuite();
    const governance = devWallet(0);
    const admin = devWallet(1);
    const operator = devWallet(2);
    const citizen = devWallet(3);
    const bank = devWallet(4);
    const gov = await clientFor(manifest, governance);
    const { agencyId } = await gov.directory.onboardAgency({
      name: "Shanghai Market Regulation Administration",
      jurisdiction: "CN/31",
      admin: admin.address,
      capabilities: capabilityMask("IssueCertificates", "PublishDatasets"),
    });
    const asAdmin = await clientFor(manifest, admin);
    const { keyId } = await asAdmin.directory.addOperator(agencyId, operator.address);
    const asOperator = await clientFor(manifest, operator);
    const { typeId } = await asOperator.certificates.registerType({
      agencyId,
      name: "Business licence",
      schemaHash: ethers.id("business-licence-schema-v1"),
      revocable: true,
      defaultValidity: 0,
    });
    return { manifest, gov, asAdmin, asOperator, agencyId, keyId, typeId, operator, citizen, bank };
  }

  function licence(
    manifest: { chainId: number; contracts: { CertificateRegistry?: { address: string } } },
    agencyId: number,
    typeId: number,
  ) {
    return wrapDocument({
      type: { typeId, chainId: manifest.chainId, registry: manifest.contracts.CertificateRegistry!.address },
      issuer: { agencyId },
      holder: { id: "91310000MA1FL0000X" },
      validity: { validFrom: 0, validUntil: 0 },
      fields: { companyName: "上海示例科技有限公司", legalRepresentative: "张三", registeredCapital: "1000万元" },
    });
  }

  it("issues, verifies, discloses and revokes a certificate end to end", async function () {
    const { manifest, asOperator, agencyId, typeId } = await loadFixture(suiteFixture);
    const wrapped = licence(manifest, agencyId, typeId);
    await asOperator.certificates.issueWrapped(wrapped);

    const reader = await clientFor(manifest);
    const result = await reader.verifyCertificate(wrapped);
    expect(result.valid, JSON.stringify(result.checks)).to.be.true;
    const partial = disclose(wrapped, ["fields.legalRepresentative", "holder.id"]);
    expect((await reader.verifyCertificate(partial)).valid).to.be.true;

    const history = await reader.certificates.history(wrapped.proof.certificateId);
    expect(history.map((e) => e.kind)).to.deep.equal(["issued"]);

    await asOperator.certificates.revoke(wrapped.proof.certificateId, RevocationReason.Fraud);
    const revoked = await reader.verifyCertificate(wrapped);
    expect(revoked.valid).to.be.false;
    expect(revoked.checks.status.outcome).to.equal("failed");
    expect(revoked.checks.status.issues[0].code).to.equal("CERTIFICATE_REVOKED");
    expect(revoked.checks.status.issues[0].message).to.contain("fraud");
    expect((await reader.certificates.history(wrapped.proof.certificateId)).map((e) => e.kind)).to.deep.equal([
      "issued",
      "revoked",
    ]);
  });

  it("fails a tampered certificate on integrity without asking the chain to trust it", async function () {
    const { manifest, asOperator, agencyId, typeId } = await loadFixture(suiteFixture);
    const wrapped = licence(manifest, agencyId, typeId);
    await asOperator.certificates.issueWrapped(wrapped);
    const tampered = structuredClone(wrapped);
    tampered.data["fields.registeredCapital"].value = "1亿元";
    const result = await (await clientFor(manifest)).verifyCertificate(tampered);
    expect(result.valid).to.be.false;
    expect(result.checks.integrity.outcome).to.equal("failed");
  });

  it("decodes contract refusals into typed errors and refuses bad input before sending", async function () {
    const { manifest, asOperator, agencyId, typeId, citizen } = await loadFixture(suiteFixture);
    const asCitizen = await clientFor(manifest, citizen);
    const wrapped = licence(manifest, agencyId, typeId);
    const error = await asCitizen.certificates.issueWrapped(wrapped).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ContractRevertError);
    expect((error as ContractRevertError).errorName).to.equal("CertificateIssuerUnauthorized");
    expect((error as ContractRevertError).shortMessage).to.contain("CertificateIssuerUnauthorized");

    const before = await ethers.provider.getBlockNumber();
    const bad = await asOperator.directory
      .onboardAgency({ name: "", jurisdiction: "CN//31", admin: "0x123", capabilities: 0 })
      .catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(InputError);
    expect((bad as InputError).shortMessage).to.match(/invalid agency\.name/);
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("refuses a manifest for another chain", async function () {
    const { manifest } = await loadFixture(suiteFixture);
    const error = await GovChainClient.connect({
      manifest: { ...manifest, chainId: 1 },
      provider: ethers.provider,
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(WrongChainError);
  });

  it("grants consent by signature, checks access, records receipts and lists them for the subject", async function () {
    const { manifest, asOperator, agencyId, citizen, bank } = await loadFixture(suiteFixture);
    const purpose = purposeCode("loan-application");
    const { datasetId } = await asOperator.dataSharing.publishDataset(agencyId, {
      title: "Business registration records",
      schemaHash: ethers.id("registration-schema"),
      sensitivity: Sensitivity.Personal,
      sharing: SharingCategory.Conditional,
      purposes: [purpose],
    });
    const requester = enterpriseRequester(bank.address);
    const asBank = await clientFor(manifest, bank);
    expect((await asBank.dataSharing.checkAccess(citizen.address, requester, datasetId, purpose)).allowed).to.be.false;

    // The citizen signs; the bank relays and pays: the citizen never holds gas.
    const deadline = (await time.latest()) + 3600;
    const { message, signature } = await asBank.dataSharing.signConsent(citizen, {
      requester,
      datasetId,
      purpose,
      expiresAt: deadline + 86_400,
      singleUse: false,
      deadline,
    });
    const { grantId } = await asBank.dataSharing.relayConsent(message, signature);
    const access = await asBank.dataSharing.checkAccess(citizen.address, requester, datasetId, purpose);
    expect(access).to.deep.equal({ allowed: true, reason: AccessReason.Allowed, grantId });

    await asBank.dataSharing.recordAccess({
      subject: citizen.address,
      requester,
      datasetId,
      purpose,
      recordHash: ethers.id("record-1"),
    });
    const receipts = await asBank.dataSharing.receiptsOf(citizen.address);
    expect(receipts).to.have.length(1);
    expect(receipts[0].requesterAccount).to.equal(bank.address);
    const consents = await asBank.dataSharing.consentsOf(citizen.address);
    expect(consents).to.have.length(1);
    expect(consents[0].state).to.equal(GrantState.Active);

    const asCitizen = await clientFor(manifest, citizen.connect(ethers.provider));
    await asCitizen.dataSharing.revokeConsent(requester, datasetId, purpose);
    expect((await asBank.dataSharing.checkAccess(citizen.address, requester, datasetId, purpose)).reason).to.equal(
      AccessReason.Revoked,
    );
    expect((await asBank.dataSharing.consentsOf(citizen.address))[0].state).to.equal(GrantState.Revoked);
  });

  it("lists agencies, operators and key history through the directory client", async function () {
    const { manifest, agencyId, operator, keyId } = await loadFixture(suiteFixture);
    const reader = await clientFor(manifest);
    const [agency] = await reader.directory.agencies();
    expect(agency.id).to.equal(agencyId);
    expect(agency.effectiveCapabilities & Capability.IssueCertificates).to.not.equal(0);
    expect(await reader.directory.operators(agencyId)).to.deep.equal([
      { keyId, agencyId, account: operator.address, active: true, compromisedSince: 0 },
    ]);
    expect(await reader.directory.operatorKey(999)).to.be.undefined;
  });
});
