import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "chai";
import { ethers } from "hardhat";

import { nodeGzip } from "../../sdk/src/node/gzip";
import { writeStatusListFiles } from "../../sdk/src/node/statusListFiles";
import { capabilityMask } from "../../sdk/src/utils/capabilities";
import { RevocationReason } from "../../sdk/src/utils/certificates";
import { disclose, VERIFICATION_CHECKS, wrapDocument, wrapDocuments } from "../../sdk/src/utils/documents";
import {
  batchPathIndex,
  batchSlotWidth,
  certificateFromCredential,
  decodeStatusList,
  encodeStatusList,
  MIN_STATUS_LIST_BITS,
  STATUS_LIST_CREDENTIAL_JSON_SCHEMA,
  StatusBitstring,
  statusListIndexOfSlot,
  VERIFIABLE_CREDENTIAL_JSON_SCHEMA,
  webGzip,
} from "../../sdk/src/utils/vc";
import {
  agencyDidDocumentFor,
  buildStatusListCredentials,
  buildStatusLists,
  exportVerifiableCredential,
  statusListIndexOf,
  verifyCredentialJws,
  verifyVerifiableCredential,
} from "../../sdk/src/vc";
import { clientFor, deployedSuite, devWallet } from "../helpers/sdk";

const BASE_URL = "https://certificates.example.gov/agencies";

describe("Verifiable Credentials and status lists against the in-process chain", function () {
  async function vcFixture() {
    const manifest = await deployedSuite();
    const admin = devWallet(1);
    const operator = devWallet(2);
    const gov = await clientFor(manifest, devWallet(0));
    const { agencyId } = await gov.directory.onboardAgency({
      name: "Shanghai Market Regulation Administration",
      jurisdiction: "CN/31",
      admin: admin.address,
      capabilities: capabilityMask("IssueCertificates"),
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
    const reader = await clientFor(manifest);
    const document = (holder: string) => ({
      type: { typeId, chainId: manifest.chainId, registry: manifest.contracts.CertificateRegistry!.address },
      issuer: { agencyId },
      holder: { id: holder },
      validity: { validFrom: 0, validUntil: 0 },
      fields: { companyName: `${holder} 科技有限公司`, legalRepresentative: "张三", address: { city: "上海市" } },
    });
    const issue = async (holder: string) => {
      const wrapped = wrapDocument(document(holder));
      await asOperator.certificates.issueWrapped(wrapped);
      return wrapped;
    };
    return { manifest, asAdmin, asOperator, reader, agencyId, keyId, typeId, operator, document, issue };
  }

  const exportOptions = (privateKey: string) => ({ privateKey, baseUrl: BASE_URL });

  it("round-trips a wrapped certificate through a signed VC and verifies it with the same named checks", async function () {
    const { reader, operator, issue, agencyId, keyId } = await loadFixture(vcFixture);
    const wrapped = await issue("91310000MA1FL0000X");
    const { credential, jwt } = await exportVerifiableCredential(reader, wrapped, exportOptions(operator.privateKey));

    expect(credential["@context"][0]).to.equal("https://www.w3.org/ns/credentials/v2");
    expect(credential.issuer.id).to.equal(`did:web:certificates.example.gov:agencies:${agencyId}`);
    expect(credential.credentialSubject).to.deep.equal({
      fields: {
        address: { city: "上海市" },
        companyName: "91310000MA1FL0000X 科技有限公司",
        legalRepresentative: "张三",
      },
      holder: { commitment: wrapped.data["holder.commitment"].value, id: "91310000MA1FL0000X" },
    });
    expect(credential.credentialSchema.id).to.equal(`urn:govchain:schema:${ethers.id("business-licence-schema-v1")}`);
    expect(credential.credentialStatus.map((s) => [s.type, s.statusPurpose])).to.deep.equal([
      ["BitstringStatusListEntry", "revocation"],
      ["BitstringStatusListEntry", "suspension"],
    ]);
    expect(certificateFromCredential(credential)).to.deep.equal(wrapped);

    const jws = await verifyCredentialJws(jwt);
    expect(jws.signer).to.equal(operator.address);
    expect(jws.kid).to.equal(`${credential.issuer.id}#key-${keyId}`);

    const result = await verifyVerifiableCredential(reader, jwt);
    expect(result.valid, JSON.stringify(result.checks)).to.be.true;
    expect(Object.keys(result.checks)).to.deep.equal([...VERIFICATION_CHECKS]);
    expect(result.credentialChecks.signature.outcome).to.equal("passed");
    expect(result.credentialChecks.claims.outcome).to.equal("passed");
    expect((await reader.verifyCertificate(wrapped)).checks).to.deep.equal(result.checks);
  });

  it("exports a selectively disclosed certificate and keeps its hidden fields hidden", async function () {
    const { reader, operator, issue } = await loadFixture(vcFixture);
    const partial = disclose(await issue("91310000MA1FL0001X"), ["holder.id", "fields.legalRepresentative"]);
    const { credential, jwt } = await exportVerifiableCredential(reader, partial, exportOptions(operator.privateKey));
    expect(JSON.stringify(credential)).not.to.contain("张三");
    expect(JSON.stringify(credential)).not.to.contain('91310000MA1FL0001X"');
    expect((await verifyVerifiableCredential(reader, jwt)).valid).to.be.true;
  });

  it("refuses a tampered JWS, an unsecured VC by default, and a claim outside the proof", async function () {
    const { reader, operator, issue } = await loadFixture(vcFixture);
    const { credential, jwt } = await exportVerifiableCredential(
      reader,
      await issue("91310000MA1FL0002X"),
      exportOptions(operator.privateKey),
    );
    const [header, , signature] = jwt.split(".");
    const forged = { ...credential, name: "Forged" };
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`;
    const bad = await verifyVerifiableCredential(reader, tampered);
    expect(bad.valid).to.be.false;
    expect(bad.credentialChecks.signature.issues[0].code).to.equal("INVALID_JWS");

    const unsecured = await verifyVerifiableCredential(reader, credential);
    expect(unsecured.valid).to.be.false;
    expect(unsecured.credentialChecks.signature.issues[0].code).to.equal("NOT_SECURED");
    expect((await verifyVerifiableCredential(reader, credential, { requireSignature: false })).valid).to.be.true;

    const smuggled = { ...credential, credentialSubject: { ...credential.credentialSubject, extra: "claim" } };
    const refused = await verifyVerifiableCredential(reader, smuggled, { requireSignature: false });
    expect(refused.valid).to.be.false;
    expect(refused.checks.integrity.issues[0].code).to.equal("MALFORMED_CERTIFICATE");
  });

  it("distrusts every JWS of a key later reported compromised", async function () {
    const { reader, asAdmin, operator, issue, agencyId } = await loadFixture(vcFixture);
    const { jwt } = await exportVerifiableCredential(
      reader,
      await issue("compromise"),
      exportOptions(operator.privateKey),
    );
    const now = (await ethers.provider.getBlock("latest"))!.timestamp;
    await asAdmin.directory.reportKeyCompromised(agencyId, operator.address, now + 1);
    const result = await verifyVerifiableCredential(reader, jwt);
    expect(result.valid).to.be.false;
    expect(result.credentialChecks.signature.issues[0].code).to.equal("SIGNER_KEY_COMPROMISED");
  });

  it("refuses to sign with a key that is not an operator of the issuing agency", async function () {
    const { reader, issue } = await loadFixture(vcFixture);
    const wrapped = await issue("91310000MA1FL0003X");
    await expect(exportVerifiableCredential(reader, wrapped, exportOptions(devWallet(5).privateKey)))
      .to.be.rejectedWith("is not an operator")
      .and.eventually.have.property("code", "SIGNER_NOT_OPERATOR");
  });

  it("shows a revoked and a suspended certificate at their indexes, and the state before the revocation", async function () {
    const { reader, asOperator, operator, issue, agencyId } = await loadFixture(vcFixture);
    const revoked = await issue("holder-revoked");
    const suspended = await issue("holder-suspended");
    const valid = await issue("holder-valid");
    const before = await ethers.provider.getBlockNumber();
    const beforeTime = (await ethers.provider.getBlock(before))!.timestamp;
    await asOperator.certificates.revoke(revoked.proof.certificateId, RevocationReason.Fraud);
    await asOperator.certificates.suspend(suspended.proof.certificateId);

    const index = async (w: typeof revoked) => (await statusListIndexOf(reader, w)).index;
    const [r, s, v] = [await index(revoked), await index(suspended), await index(valid)];
    expect(new Set([r, s, v]).size).to.equal(3);

    const now = await buildStatusLists(reader, agencyId);
    expect(now.lists.revocation.length).to.equal(MIN_STATUS_LIST_BITS);
    expect(now.lists.revocation.setIndexes()).to.deep.equal([r]);
    expect(now.lists.suspension.setIndexes()).to.deep.equal([s]);

    const earlier = await buildStatusLists(reader, agencyId, { blockNumber: before });
    expect(earlier.lists.revocation.setIndexes()).to.deep.equal([]);
    expect(earlier.lists.suspension.setIndexes()).to.deep.equal([]);
    const byTime = await buildStatusLists(reader, agencyId, { time: beforeTime });
    expect(byTime.snapshot.blockNumber).to.equal(before);
    expect(byTime.lists.revocation.get(r)).to.be.false;

    // The published credentials decode to the same bits, and the VC entries point at them.
    const credentials = await buildStatusListCredentials(reader, agencyId, { baseUrl: BASE_URL, gzip: nodeGzip });
    const decoded = await decodeStatusList(credentials.revocation.credentialSubject.encodedList, nodeGzip);
    expect(decoded.get(r)).to.be.true;
    expect(decoded.get(v)).to.be.false;
    const { credential, jwt } = await exportVerifiableCredential(reader, valid, exportOptions(operator.privateKey));
    expect(credential.credentialStatus[0].statusListCredential).to.equal(credentials.revocation.id);
    expect(credential.credentialStatus[0].statusListIndex).to.equal(String(v));
    expect((await verifyVerifiableCredential(reader, jwt)).valid).to.be.true;

    // Verifying them says so, with the same codes.
    expect((await reader.verifyCertificate(revoked)).checks.status.issues[0].code).to.equal("CERTIFICATE_REVOKED");
    expect((await reader.verifyCertificate(suspended)).checks.status.issues[0].code).to.equal("CERTIFICATE_SUSPENDED");
  });

  it("verifies a revoked or suspended certificate's VC as such", async function () {
    const { reader, asOperator, operator, issue } = await loadFixture(vcFixture);
    const wrapped = await issue("holder-later-revoked");
    const { jwt } = await exportVerifiableCredential(reader, wrapped, exportOptions(operator.privateKey));
    await asOperator.certificates.suspend(wrapped.proof.certificateId);
    const suspended = await verifyVerifiableCredential(reader, jwt);
    expect(suspended.valid).to.be.false;
    expect(suspended.checks.status.issues[0].code).to.equal("CERTIFICATE_SUSPENDED");
    expect(suspended.credentialChecks.signature.outcome).to.equal("passed");
    await asOperator.certificates.revoke(wrapped.proof.certificateId, RevocationReason.Fraud);
    expect((await verifyVerifiableCredential(reader, jwt)).checks.status.issues[0].code).to.equal(
      "CERTIFICATE_REVOKED",
    );
  });

  it("places anchored certificates in their batch's slots and lists a revoked one", async function () {
    const { reader, asOperator, operator, document, agencyId, typeId, issue } = await loadFixture(vcFixture);
    const batch = wrapDocuments(["a", "b", "c", "d", "e"].map((h) => document(`batch-${h}`)));
    await asOperator.certificates.anchorBatch({ root: batch.batchRoot, typeId, size: 5, validFrom: 0, validUntil: 0 });
    const single = await issue("after-the-batch");
    const positions = batch.certificates.map((c) => batchPathIndex(c.proof.certificateId, c.proof.batchProof!, 5)!);
    expect(new Set(positions).size).to.equal(5);
    positions.forEach((p) => expect(p).to.be.lessThan(batchSlotWidth(5)));

    const indexes = await Promise.all(batch.certificates.map(async (c) => (await statusListIndexOf(reader, c)).index));
    const singleIndex = (await statusListIndexOf(reader, single)).index;
    expect(new Set([...indexes, singleIndex]).size).to.equal(6);

    const target = batch.certificates[3];
    await asOperator.certificates.revoke(target.proof.certificateId, RevocationReason.Fraud, {
      root: target.proof.batchRoot!,
      proof: target.proof.batchProof!,
    });
    const { lists } = await buildStatusLists(reader, agencyId);
    expect(lists.revocation.setIndexes()).to.deep.equal([indexes[3]]);

    const { jwt } = await exportVerifiableCredential(reader, batch.certificates[0], exportOptions(operator.privateKey));
    expect((await verifyVerifiableCredential(reader, jwt)).valid).to.be.true;
  });

  it("validates the VC and the status list credential against the VC 2.0 JSON schemas", async function () {
    const { reader, operator, issue, agencyId } = await loadFixture(vcFixture);
    const { credential } = await exportVerifiableCredential(
      reader,
      await issue("schema-holder"),
      exportOptions(operator.privateKey),
    );
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validCredential = ajv.compile(VERIFIABLE_CREDENTIAL_JSON_SCHEMA);
    expect(validCredential(credential), JSON.stringify(validCredential.errors)).to.be.true;
    const { revocation } = await buildStatusListCredentials(reader, agencyId, { baseUrl: BASE_URL });
    const validList = ajv.compile(STATUS_LIST_CREDENTIAL_JSON_SCHEMA);
    expect(validList(revocation), JSON.stringify(validList.errors)).to.be.true;

    for (const broken of [
      { ...credential, "@context": ["https://example.org/other"] },
      { ...credential, type: ["GovChainCertificate"] },
      { ...credential, validFrom: "yesterday" },
      (({ issuer: _issuer, ...rest }) => rest)(credential),
      { ...credential, credentialStatus: [{ ...credential.credentialStatus[0], statusListIndex: 7 }] },
    ]) {
      expect(validCredential(broken), JSON.stringify(broken).slice(0, 80)).to.be.false;
    }
  });

  it("puts no personal data in the status lists", async function () {
    const { reader, asOperator, issue, agencyId } = await loadFixture(vcFixture);
    const wrapped = await issue("310101199001011234");
    await asOperator.certificates.revoke(wrapped.proof.certificateId, RevocationReason.Fraud);
    const lists = await buildStatusListCredentials(reader, agencyId, { baseUrl: BASE_URL, gzip: nodeGzip });
    const text = JSON.stringify(lists);
    for (const secret of [
      "310101199001011234",
      wrapped.proof.certificateId.slice(2),
      String(wrapped.data["holder.commitment"].value).slice(2),
      "张三",
      "科技有限公司",
    ]) {
      expect(text).not.to.contain(secret);
    }
    const bits = await decodeStatusList(lists.revocation.credentialSubject.encodedList, nodeGzip);
    expect(bits.setIndexes()).to.have.length(1); // one bit, nothing else
  });

  it("describes the agency as a did:web document with its key history", async function () {
    const { reader, asAdmin, operator, agencyId, keyId, manifest, issue } = await loadFixture(vcFixture);
    const second = devWallet(6);
    await asAdmin.directory.addOperator(agencyId, second.address);
    await asAdmin.directory.removeOperator(agencyId, second.address);
    const did = await agencyDidDocumentFor(reader, agencyId, BASE_URL);
    expect(did.id).to.equal(`did:web:certificates.example.gov:agencies:${agencyId}`);
    const first = did.verificationMethod.find((m) => m.id === `${did.id}#key-${keyId}`)!;
    expect(first.blockchainAccountId).to.equal(`eip155:${manifest.chainId}:${operator.address}`);
    expect(first.govchainKeyHistory.active).to.be.true;
    const removed = did.verificationMethod.find((m) => m.blockchainAccountId.endsWith(second.address))!;
    expect(removed.govchainKeyHistory.active).to.be.false;
    expect(removed.govchainKeyHistory.periods[0].removed).to.be.a("string");
    expect(did.assertionMethod).to.deep.equal([first.id]);

    const { jwt } = await exportVerifiableCredential(
      reader,
      await issue("did-holder"),
      exportOptions(operator.privateKey),
    );
    expect(did.assertionMethod).to.include((await verifyCredentialJws(jwt)).kid);
  });

  it("writes the static status-list files for a web server", async function () {
    const { reader, agencyId } = await loadFixture(vcFixture);
    const dir = mkdtempSync(join(tmpdir(), "govchain-status-"));
    const files = await writeStatusListFiles(reader, dir, { baseUrl: BASE_URL, agencyIds: [agencyId] });
    expect(files.map((f) => f.slice(dir.length))).to.deep.equal(
      ["revocation.json", "suspension.json", "did.json"].map((name) => `/${agencyId}/${name}`),
    );
    const list = JSON.parse(readFileSync(files[1], "utf8"));
    expect(list.credentialSubject.statusPurpose).to.equal("suspension");
    expect(list.id).to.equal(`${BASE_URL}/${agencyId}/suspension.json`);
  });
});

describe("status list encoding and indexes (pure)", function () {
  it("permutes each block of 131,072 slots without collisions or order", function () {
    const scope = { chainId: 31337, registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3", agencyId: 1 };
    const seen = new Uint8Array(MIN_STATUS_LIST_BITS);
    for (let slot = 0; slot < MIN_STATUS_LIST_BITS; slot++) seen[statusListIndexOfSlot(scope, slot)] += 1;
    expect(seen.every((count) => count === 1)).to.be.true;
    const first = [0, 1, 2, 3].map((slot) => statusListIndexOfSlot(scope, slot));
    expect(first).not.to.deep.equal([0, 1, 2, 3]);
    expect(statusListIndexOfSlot(scope, MIN_STATUS_LIST_BITS)).to.be.at.least(MIN_STATUS_LIST_BITS);
    expect(statusListIndexOfSlot({ ...scope, agencyId: 2 }, 0)).not.to.equal(first[0]);
  });

  it("encodes GZIP + base64url with the multibase prefix, the same with CompressionStream and node:zlib", async function () {
    const bits = new StatusBitstring();
    bits.set(0);
    bits.set(94567);
    const web = await encodeStatusList(bits, webGzip);
    expect(web.startsWith("u")).to.be.true;
    expect(web).to.match(/^u[A-Za-z0-9_-]+$/);
    expect((await decodeStatusList(web, nodeGzip)).setIndexes()).to.deep.equal([0, 94567]);
    expect((await decodeStatusList(await encodeStatusList(bits, nodeGzip), webGzip)).setIndexes()).to.deep.equal([
      0, 94567,
    ]);
    expect(bits.bytes[0]).to.equal(0x80); // index 0 is the left-most bit
  });
});
