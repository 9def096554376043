import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { SimpleMerkleTree, StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { AbiCoder, getBytes, hexlify, id, keccak256, toUtf8Bytes } from "ethers";
import fc from "fast-check";

import { DocumentError, GovChainError } from "../../sdk/src/errors";
import { AgencyStatus } from "../../sdk/src/utils/capabilities";
import {
  CertificateStatus,
  FIELD_LEAF_DOMAIN,
  FIELD_VALUE_DOMAIN,
  HOLDER_COMMITMENT_DOMAIN,
  batchLeaf,
  canonicalJson,
  checkIntegrity,
  createDocument,
  disclose,
  fieldLeaf,
  fieldProof,
  getDisclosedDocument,
  getDisclosedFields,
  hiddenFields,
  holderCommitment,
  holderProof,
  issueArguments,
  readHeader,
  verify,
  verifyBatchProof,
  verifyHolderProof,
  wrapDocument,
  wrapDocuments,
  type CertificateDocument,
  type Hex,
  type IntegrityCode,
  type JsonObject,
  type JsonValue,
  type VerificationResult,
  type WrappedCertificate,
} from "../../sdk/src/utils/documents";
import {
  AGENCY_ID,
  FakeChainReader,
  HOLDER_ID,
  ISSUED_AT,
  KEY_ID,
  TYPE_ID,
  VALID_FROM,
  VALID_UNTIL,
  otherHash,
  sampleDocument,
  seededSalt,
  viaJson,
} from "../helpers/documents";

const abi = AbiCoder.defaultAbiCoder();

/** The id of `sampleDocument()` wrapped with `seededSalt("govchain")`. Never change: see the test that uses it. */
const PINNED_CERTIFICATE_ID = "0x204fec390adc2b3aa8579aa6b827705dcfc8fbf80380f83daed420d8eb7db336";

/** Loads the ESM-only `canonicalize` package natively (TypeScript would turn `import()` into `require`). */
const importEsm = new Function("specifier", "return import(specifier)") as (
  specifier: string,
) => Promise<{ default: (value: unknown) => string | undefined }>;

function integrityCodes(input: unknown): IntegrityCode[] {
  return checkIntegrity(input).issues.map((issue) => issue.code);
}

function expectDocumentError(call: () => unknown, code: string, mention?: string): DocumentError {
  try {
    call();
  } catch (error) {
    expect(error).to.be.instanceOf(DocumentError);
    expect(error).to.be.instanceOf(GovChainError);
    const documentError = error as DocumentError;
    expect(documentError.code).to.equal(code);
    if (mention !== undefined) expect(documentError.shortMessage).to.contain(mention);
    return documentError;
  }
  throw new Error(`expected a DocumentError ${code}`);
}

/** Reverses the key order of every object, to show that order does not matter. */
function reverseKeys<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) =>
      item !== null && typeof item === "object" && !Array.isArray(item)
        ? Object.fromEntries(Object.entries(item).reverse())
        : item,
    ),
  ) as T;
}

describe("certificate documents", () => {
  describe("canonicalJson", () => {
    let canonicalize: (value: unknown) => string | undefined;
    before(async () => {
      canonicalize = (await importEsm("canonicalize")).default;
    });

    it("matches the RFC 8785 examples for numbers, strings and key order", () => {
      const numbers = [0, -0, 1e21, 1e-7, 333333333.3333333, 4.5, 0.002, 1e23, -1e-320, 9007199254740992];
      expect(canonicalJson(numbers)).to.equal(
        "[0,0,1e+21,1e-7,333333333.3333333,4.5,0.002,1e+23,-1e-320,9007199254740992]",
      );
      expect(canonicalJson({ "\u20ac": "Euro", "\r": "CR", "1": "One", "\u00e9": "é", "\ud83d\ude00": "😀" })).to.equal(
        '{"\\r":"CR","1":"One","é":"é","€":"Euro","😀":"😀"}',
      );
      expect(canonicalJson({ b: [1, { d: 2, c: "\u0001" }], a: "中文" })).to.equal(
        '{"a":"中文","b":[1,{"c":"\\u0001","d":2}]}',
      );
    });

    it("gives the canonicalize package's output byte for byte on any JSON value", () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          expect(canonicalJson(value as JsonValue)).to.equal(canonicalize(value));
        }),
        { numRuns: 300 },
      );
    });

    it("does not depend on key order or on how a number or character was written", () => {
      expect(canonicalJson(JSON.parse('{"b":1.0,"a":[1e2,"\\u4e2d"]}') as JsonValue)).to.equal(
        canonicalJson(JSON.parse('{"a":[100,"中"],"b":1}') as JsonValue),
      );
    });

    it("refuses values JSON cannot carry", () => {
      expectDocumentError(() => canonicalJson(Number.NaN), "INVALID_JSON_VALUE");
      expectDocumentError(() => canonicalJson({ x: Infinity }), "INVALID_JSON_VALUE", "x");
      expectDocumentError(() => canonicalJson("\ud800"), "INVALID_JSON_VALUE", "surrogate");
      expectDocumentError(() => canonicalJson(new Date() as unknown as JsonValue), "INVALID_JSON_VALUE");
    });
  });

  describe("createDocument", () => {
    it("accepts a document and checksums the registry address", () => {
      const document = createDocument(
        sampleDocument({ type: { typeId: 1, chainId: 1, registry: "0x5fbdb2315678afecb367f032d93f642f64180aa3" } }),
      );
      expect(document.type.registry).to.equal("0x5FbDB2315678afecb367f032d93F642f64180aa3");
      expect(document.fields.name).to.equal("张三");
    });

    type Spoiler = (document: Record<string, Record<string, unknown>>) => void;
    const malformed: [string, Spoiler, string][] = [
      ["a key containing a dot", (d) => (d.fields["a.b"] = 1), "fields.a.b"],
      ["a nested empty key", (d) => (d.fields.address = { "": 1 }), "fields.address"],
      ["a non-finite number", (d) => (d.fields.score = Infinity), "fields.score"],
      ["a date object", (d) => (d.fields.when = new Date()), "fields.when"],
      ["a bigint", (d) => (d.fields.big = 1n), "fields.big"],
      ["a bad registry", (d) => (d.type.registry = "0x1234"), "type.registry"],
      ["an agency id 0", (d) => (d.issuer.agencyId = 0), "issuer.agencyId"],
      ["a padded holder id", (d) => (d.holder.id = " 3101"), "holder.id"],
      ["an end before the start", (d) => (d.validity.validUntil = VALID_FROM - 1), "validity.validUntil"],
      ["an unknown section", (d) => (d.extra = {}), "extra"],
      ["a missing section", (d) => delete d.holder, "holder"],
    ];
    for (const [what, spoil, field] of malformed) {
      it(`refuses ${what} with INVALID_DOCUMENT naming ${field}`, () => {
        const document = sampleDocument() as unknown as Record<string, Record<string, unknown>>;
        spoil(document);
        expectDocumentError(
          () => createDocument(document as unknown as CertificateDocument),
          "INVALID_DOCUMENT",
          field,
        );
      });
    }
  });

  describe("wrapDocument", () => {
    it("round-trips: the wrapped certificate verifies and gives back the document", () => {
      const document = sampleDocument();
      const wrapped = viaJson(wrapDocument(document));
      expect(checkIntegrity(wrapped)).to.include({ valid: true });
      const disclosed = getDisclosedDocument(wrapped);
      expect(disclosed).to.deep.equal({
        ...viaJson(document),
        holder: { id: HOLDER_ID, commitment: wrapped.data["holder.commitment"].value },
      });
      expect(hiddenFields(wrapped)).to.deep.equal([]);
    });

    it("flattens nested objects into dotted paths, keeping arrays whole", () => {
      const paths = Object.keys(wrapDocument(sampleDocument()).data);
      expect(paths).to.include.members(["fields.address.street", "fields.address.city", "fields.children"]);
      expect(paths).to.not.include("fields.address");
    });

    it("salts every field with 32 fresh random bytes", () => {
      const first = wrapDocument(sampleDocument());
      const second = wrapDocument(sampleDocument());
      expect(first.proof.certificateId).to.not.equal(second.proof.certificateId);
      const salts = Object.values(first.data).map((field) => field.salt);
      expect(new Set(salts).size).to.equal(salts.length);
      for (const salt of salts) expect(getBytes(salt)).to.have.length(32);
    });

    it("gives the same id for the same document and salts, whatever the key order", () => {
      const document = sampleDocument();
      const shuffled = reverseKeys(document);
      expect(Object.keys(shuffled)[0]).to.equal("fields");
      const a = wrapDocument(document, { salt: seededSalt("s") });
      const b = wrapDocument(shuffled, { salt: seededSalt("s") });
      expect(JSON.stringify(b)).to.equal(JSON.stringify(a));
      expect(wrapDocument(document, { salt: seededSalt("t") }).proof.certificateId).to.not.equal(a.proof.certificateId);
    });

    it("pins the certificate id of a known document (changing it would orphan every issued certificate)", () => {
      const wrapped = wrapDocument(sampleDocument(), { salt: seededSalt("govchain") });
      expect(wrapped.proof.certificateId).to.equal(PINNED_CERTIFICATE_ID);
    });

    it("builds each leaf and the id exactly as documented, with OpenZeppelin's SimpleMerkleTree", () => {
      expect(FIELD_LEAF_DOMAIN).to.equal(id("govchain.certificate.field-leaf.v1"));
      expect(FIELD_VALUE_DOMAIN).to.equal(id("govchain.certificate.field-value.v1"));
      const wrapped = wrapDocument(sampleDocument(), { salt: seededSalt("leaf") });
      const leaves = Object.entries(wrapped.data).map(([fieldPath, { salt, value }]) => {
        const valueHash = keccak256(toUtf8Bytes(canonicalJson(value)));
        const salted = keccak256(abi.encode(["bytes32", "bytes32", "bytes32"], [FIELD_VALUE_DOMAIN, salt, valueHash]));
        const leaf = keccak256(
          keccak256(abi.encode(["bytes32", "string", "bytes32"], [FIELD_LEAF_DOMAIN, fieldPath, salted])),
        );
        expect(fieldLeaf(fieldPath, salt, value)).to.equal(leaf);
        return leaf;
      });
      const tree = SimpleMerkleTree.of(leaves);
      expect(tree.root).to.equal(wrapped.proof.certificateId);
      expect(SimpleMerkleTree.verify(tree.root, leaves[0], tree.getProof(0))).to.be.true;
    });

    it("proves a single field, disclosed or hidden, against the id as OpenZeppelin's MerkleProof would", () => {
      const shown = disclose(wrapDocument(sampleDocument()), ["fields.address.street"]);
      for (const fieldPath of ["fields.name", "fields.address.street"]) {
        const { leaf, proof } = fieldProof(shown, fieldPath);
        expect(SimpleMerkleTree.verify(shown.proof.certificateId, leaf, proof)).to.be.true;
      }
      expectDocumentError(() => fieldProof(shown, "fields.nope"), "FIELD_NOT_FOUND");
    });

    it("refuses a salt that is not 32 bytes", () => {
      expectDocumentError(() => wrapDocument(sampleDocument(), { salt: () => new Uint8Array(16) }), "INVALID_SALT");
    });
  });

  describe("holder commitment", () => {
    const wrapped = wrapDocument(sampleDocument());
    const salt = wrapped.data["holder.id"].salt;
    const commitment = wrapped.data["holder.commitment"].value as Hex;

    it("is the documented hash of the domain, the holder id and the holder id's salt", () => {
      expect(HOLDER_COMMITMENT_DOMAIN).to.equal(id("govchain.certificate.holder-commitment.v1"));
      expect(commitment).to.equal(
        keccak256(abi.encode(["bytes32", "string", "bytes32"], [HOLDER_COMMITMENT_DOMAIN, HOLDER_ID, salt])),
      );
      expect(holderCommitment(HOLDER_ID, salt)).to.equal(commitment);
    });

    it("does not contain the clear holder id", () => {
      const hexId = hexlify(toUtf8Bytes(HOLDER_ID)).slice(2);
      expect(commitment).to.not.contain(HOLDER_ID);
      expect(commitment).to.not.contain(hexId);
      expect(JSON.stringify(disclose(wrapped, ["holder.id"]))).to.not.contain(HOLDER_ID);
    });

    it("is bound into the certificate id and differs between certificates of the same holder", () => {
      expect(commitment).to.not.equal(wrapDocument(sampleDocument()).data["holder.commitment"].value);
      const spoiled = viaJson(disclose(wrapped, ["holder.id"]));
      spoiled.data["holder.commitment"].value = holderCommitment(HOLDER_ID, otherHash(salt));
      expect(integrityCodes(spoiled)).to.deep.equal(["CERTIFICATE_ID_MISMATCH"]);
    });

    it("is proved by revealing the holder id and salt", () => {
      const proof = holderProof(wrapped);
      expect(proof).to.deep.equal({ certificateId: wrapped.proof.certificateId, holderId: HOLDER_ID, salt });
      expect(verifyHolderProof(proof, commitment)).to.be.true;
      expect(verifyHolderProof({ ...proof, holderId: "310101199001011235" }, commitment)).to.be.false;
      expect(verifyHolderProof({ ...proof, salt: otherHash(salt) }, commitment)).to.be.false;
    });

    it("cannot be proved from a certificate whose holder id is hidden", () => {
      expectDocumentError(() => holderProof(disclose(wrapped, ["holder.id"])), "FIELD_HIDDEN");
    });

    it("fails integrity with HOLDER_COMMITMENT_MISMATCH when the holder id does not open the commitment", () => {
      const issuedTo = wrapDocument(sampleDocument({ holder: { id: "A" } }), { salt: seededSalt("h") });
      const other = wrapDocument(sampleDocument({ holder: { id: "B" } }), { salt: seededSalt("h") });
      const mixed = viaJson(issuedTo);
      mixed.data["holder.commitment"] = other.data["holder.commitment"];
      expect(integrityCodes(mixed)).to.deep.equal(["CERTIFICATE_ID_MISMATCH", "HOLDER_COMMITMENT_MISMATCH"]);
    });
  });

  describe("disclose", () => {
    const wrapped = wrapDocument(sampleDocument());

    it("hides fields and the result still verifies, with the hidden values and salts gone", () => {
      const hide = ["fields.address.street", "holder.id", "fields.score"];
      const shown = viaJson(disclose(wrapped, hide));
      expect(checkIntegrity(shown)).to.include({ valid: true });
      expect(shown.proof.certificateId).to.equal(wrapped.proof.certificateId);
      const text = JSON.stringify(shown);
      for (const hidden of hide) expect(text).to.not.contain(wrapped.data[hidden].salt.slice(2));
      expect(text).to.not.contain("南京东路");
      expect(text).to.not.contain(HOLDER_ID);
      expect(text).to.not.contain("97.5");
      expect(hiddenFields(shown)).to.deep.equal(["fields.address.street", "fields.score", "holder.id"]);
      expect(getDisclosedFields(shown)).to.include({ "fields.address.city": "上海市", "fields.name": "张三" });
      expect(getDisclosedDocument(shown).fields).to.deep.include({ address: { city: "上海市", postcode: "200001" } });
    });

    it("hides everything below a path, and can hide more later", () => {
      const once = disclose(wrapped, ["fields.address"]);
      expect(hiddenFields(once)).to.deep.equal([
        "fields.address.city",
        "fields.address.postcode",
        "fields.address.street",
      ]);
      const twice = disclose(once, ["fields.address", "holder", "fields.children"]);
      expect(hiddenFields(twice)).to.have.length(6);
      expect(checkIntegrity(twice)).to.include({ valid: true });
    });

    it("keeps the batch proof", () => {
      const { certificates } = wrapDocuments([sampleDocument(), sampleDocument()]);
      const shown = disclose(certificates[1], ["fields.name"]);
      expect(shown.proof.batchProof).to.deep.equal(certificates[1].proof.batchProof);
      expect(checkIntegrity(shown)).to.include({ valid: true });
    });

    it("refuses a path that matches no field, so a typo cannot leave data visible", () => {
      expectDocumentError(() => disclose(wrapped, ["fields.adress"]), "FIELD_NOT_FOUND", "fields.adress");
      expectDocumentError(() => disclose(wrapped, ["fields..x"]), "FIELD_NOT_FOUND");
    });

    it("refuses to hide the type, issuer or validity", () => {
      for (const entry of ["type", "type.chainId", "issuer.agencyId", "validity.validUntil"]) {
        expectDocumentError(() => disclose(wrapped, [entry]), "FIELD_NOT_HIDEABLE", entry);
      }
    });

    it("refuses a certificate that does not verify", () => {
      const spoiled = viaJson(wrapped);
      spoiled.data["fields.name"].value = "李四";
      expectDocumentError(() => disclose(spoiled, ["holder.id"]), "INTEGRITY_FAILED");
    });
  });

  describe("checkIntegrity", () => {
    const wrapped = wrapDocument(sampleDocument());
    const shown = disclose(wrapped, ["fields.address.street", "fields.birthDate"]);

    it("fails with CERTIFICATE_ID_MISMATCH when a field's value is changed", () => {
      const spoiled = viaJson(wrapped);
      spoiled.data["fields.address.city"].value = "北京市";
      expect(integrityCodes(spoiled)).to.deep.equal(["CERTIFICATE_ID_MISMATCH"]);
      const retyped = viaJson(wrapped);
      retyped.data["fields.score"].value = "97.5";
      expect(integrityCodes(retyped)).to.deep.equal(["CERTIFICATE_ID_MISMATCH"]);
    });

    it("fails with CERTIFICATE_ID_MISMATCH when salts are swapped between fields", () => {
      const spoiled = viaJson(wrapped);
      const a = spoiled.data["fields.name"];
      const b = spoiled.data["fields.married"];
      [a.salt, b.salt] = [b.salt, a.salt];
      expect(integrityCodes(spoiled)).to.deep.equal(["CERTIFICATE_ID_MISMATCH"]);
    });

    it("fails with CERTIFICATE_ID_MISMATCH when a field or a hidden leaf is moved to another path", () => {
      const moved = viaJson(wrapped);
      moved.data["fields.nickname"] = moved.data["fields.name"];
      delete moved.data["fields.name"];
      expect(integrityCodes(moved)).to.deep.equal(["CERTIFICATE_ID_MISMATCH"]);

      const swapped = viaJson(shown);
      const hidden = swapped.proof.hidden;
      [hidden["fields.address.street"], hidden["fields.birthDate"]] = [
        hidden["fields.birthDate"],
        hidden["fields.address.street"],
      ];
      expect(integrityCodes(swapped)).to.deep.equal(["CERTIFICATE_ID_MISMATCH"]);
    });

    it("fails with CERTIFICATE_ID_MISMATCH when a field is dropped or the id is changed", () => {
      const dropped = viaJson(shown);
      delete dropped.proof.hidden["fields.birthDate"];
      expect(integrityCodes(dropped)).to.deep.equal(["CERTIFICATE_ID_MISMATCH"]);
      const renamed = viaJson(wrapped);
      renamed.proof.certificateId = otherHash(renamed.proof.certificateId);
      expect(integrityCodes(renamed)).to.deep.equal(["CERTIFICATE_ID_MISMATCH"]);
    });

    it("fails with BATCH_PROOF_INVALID for a proof from another batch or a wrong batch root", () => {
      const first = wrapDocuments([sampleDocument(), sampleDocument(), sampleDocument()]);
      const second = wrapDocuments([sampleDocument(), sampleDocument(), sampleDocument()]);
      const foreignProof = viaJson(first.certificates[0]);
      foreignProof.proof.batchProof = second.certificates[0].proof.batchProof;
      expect(integrityCodes(foreignProof)).to.deep.equal(["BATCH_PROOF_INVALID"]);
      const foreignRoot = viaJson(first.certificates[0]);
      foreignRoot.proof.batchRoot = second.batchRoot;
      expect(integrityCodes(foreignRoot)).to.deep.equal(["BATCH_PROOF_INVALID"]);
      const otherPosition = viaJson(first.certificates[0]);
      otherPosition.proof.batchProof = first.certificates[1].proof.batchProof;
      expect(integrityCodes(otherPosition)).to.deep.equal(["BATCH_PROOF_INVALID"]);
    });

    it("fails with MALFORMED_CERTIFICATE naming the field for malformed input", () => {
      const cases: [unknown, string][] = [
        [null, "Invalid wrapped certificate"],
        [{ ...viaJson(wrapped), version: "v0" }, "version"],
        [{ ...viaJson(wrapped), extra: 1 }, "extra"],
      ];
      const upper = viaJson(wrapped);
      upper.data["fields.name"].salt = `0x${upper.data["fields.name"].salt.slice(2).toUpperCase()}`;
      cases.push([upper, "data.fields.name.salt"]);
      const hiddenType = viaJson(wrapped);
      hiddenType.proof.hidden["type.typeId"] = otherHash(hiddenType.proof.certificateId);
      delete (hiddenType.data as Partial<WrappedCertificate["data"]>)["type.typeId"];
      cases.push([hiddenType, "type.typeId"]);
      const overlapping = viaJson(wrapped);
      overlapping.data["fields.address"] = { value: 1, salt: otherHash(overlapping.proof.certificateId) };
      cases.push([overlapping, "overlaps"]);
      const text = JSON.stringify(wrapped);
      const salt = `"salt":"0x${"1".repeat(64)}"`;
      cases.push([JSON.parse(text.replace('"data":{', `"data":{"__proto__":{"value":1,${salt}},`)), "__proto__"]);
      const badTypeId = viaJson(wrapped);
      badTypeId.data["type.typeId"].value = -1;
      cases.push([badTypeId, "data.type.typeId.value"]);
      for (const [input, mention] of cases) {
        const result = checkIntegrity(input);
        expect(result.valid).to.be.false;
        expect(result.issues[0].code).to.equal("MALFORMED_CERTIFICATE");
        expect(result.issues[0].message).to.contain(mention);
      }
    });
  });

  describe("wrapDocuments", () => {
    it("anchors ids with the agreed leaf: StandardMerkleTree.of(ids.map((id) => [id]), ['bytes32'])", () => {
      const batch = viaJson(wrapDocuments([sampleDocument(), sampleDocument(), sampleDocument(), sampleDocument()]));
      const ids = batch.certificates.map((certificate) => certificate.proof.certificateId);
      const tree = StandardMerkleTree.of(
        ids.map((certificateId) => [certificateId]),
        ["bytes32"],
      );
      expect(batch.batchRoot).to.equal(tree.root);
      for (const [index, certificate] of batch.certificates.entries()) {
        expect(tree.leafHash([ids[index]])).to.equal(keccak256(keccak256(abi.encode(["bytes32"], [ids[index]]))));
        expect(batchLeaf(ids[index])).to.equal(tree.leafHash([ids[index]]));
        expect(certificate.proof.batchRoot).to.equal(batch.batchRoot);
        expect(verifyBatchProof(ids[index], batch.batchRoot, certificate.proof.batchProof!)).to.be.true;
        expect(checkIntegrity(certificate)).to.include({ valid: true });
        expect(issueArguments(certificate).batchRoot).to.equal(batch.batchRoot);
      }
    });

    it("wraps a batch of one", () => {
      const batch = wrapDocuments([sampleDocument()]);
      expect(batch.certificates[0].proof.batchProof).to.deep.equal([]);
      expect(checkIntegrity(batch.certificates[0])).to.include({ valid: true });
    });

    it("refuses an empty batch, mixed registries and repeated ids", () => {
      expectDocumentError(() => wrapDocuments([]), "INVALID_BATCH");
      const elsewhere = sampleDocument({
        type: { typeId: TYPE_ID, chainId: 1, registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
      });
      expectDocumentError(() => wrapDocuments([sampleDocument(), elsewhere]), "INVALID_BATCH", "same registry");
      expectDocumentError(
        () => wrapDocuments([sampleDocument(), sampleDocument()], { salt: seededSalt("same") }),
        "INVALID_BATCH",
      );
    });
  });

  describe("issueArguments", () => {
    it("gives what the registry's issue takes", () => {
      const wrapped = wrapDocument(sampleDocument());
      expect(issueArguments(wrapped)).to.deep.equal({
        certificateId: wrapped.proof.certificateId,
        typeId: TYPE_ID,
        holderCommitment: wrapped.data["holder.commitment"].value,
        validFrom: VALID_FROM,
        validUntil: VALID_UNTIL,
        batchRoot: undefined,
      });
    });
  });

  describe("verify", () => {
    let reader: FakeChainReader;
    let wrapped: WrappedCertificate;
    beforeEach(() => {
      reader = new FakeChainReader();
      wrapped = viaJson(wrapDocument(sampleDocument()));
    });

    function outcomes(result: VerificationResult): Record<string, string> {
      return Object.fromEntries(Object.values(result.checks).map((check) => [check.name, check.outcome]));
    }

    function failure(result: VerificationResult, name: keyof VerificationResult["checks"]) {
      expect(result.valid).to.be.false;
      expect(result.checks[name].outcome).to.equal("failed");
      return result.checks[name].issues;
    }

    it("passes every check for an issued certificate in force", async () => {
      reader.issue(wrapped);
      const result = await verify(wrapped, reader);
      expect(result.valid).to.be.true;
      expect(outcomes(result)).to.deep.equal({
        integrity: "passed",
        issuance: "passed",
        status: "passed",
        validity: "passed",
        issuer: "passed",
      });
      expect(result.checks.issuer.message).to.contain("上海市卫生健康委员会");
      expect(result.certificateId).to.equal(wrapped.proof.certificateId);
    });

    it("passes for a selectively disclosed certificate", async () => {
      reader.issue(wrapped);
      const result = await verify(viaJson(disclose(wrapped, ["holder", "fields.address"])), reader);
      expect(result.valid).to.be.true;
    });

    it("passes for a certificate anchored in a batch, through its batch proof", async () => {
      const batch = wrapDocuments([sampleDocument(), sampleDocument(), sampleDocument()]);
      reader.anchor(batch.batchRoot);
      expect((await verify(batch.certificates[2], reader)).valid).to.be.true;
      const other = wrapDocuments([sampleDocument(), sampleDocument()]);
      expect(failure(await verify(other.certificates[0], reader), "issuance")[0].code).to.equal(
        "CERTIFICATE_NOT_ISSUED",
      );
    });

    it("fails status with CERTIFICATE_REVOKED and the reason", async () => {
      reader.issue(wrapped, { status: CertificateStatus.Revoked, revocationReason: "issued in error" });
      const issues = failure(await verify(wrapped, reader), "status");
      expect(issues).to.deep.equal([
        { code: "CERTIFICATE_REVOKED", message: "The certificate was revoked: issued in error" },
      ]);
    });

    it("fails status with CERTIFICATE_SUSPENDED", async () => {
      reader.issue(wrapped, { status: CertificateStatus.Suspended });
      expect(failure(await verify(wrapped, reader), "status")[0].code).to.equal("CERTIFICATE_SUSPENDED");
    });

    it("fails status with CERTIFICATE_SUPERSEDED, pointing to the new certificate", async () => {
      const replacement = wrapDocument(sampleDocument()).proof.certificateId;
      reader.issue(wrapped, { status: CertificateStatus.Superseded, supersededBy: replacement });
      const result = await verify(wrapped, reader);
      const issues = failure(result, "status");
      expect(issues[0].code).to.equal("CERTIFICATE_SUPERSEDED");
      expect(issues[0].message).to.contain(replacement);
      expect(result.supersededBy).to.equal(replacement);
    });

    it("fails validity with CERTIFICATE_EXPIRED from the end of the window", async () => {
      reader.issue(wrapped);
      reader.time = VALID_UNTIL - 1;
      expect((await verify(wrapped, reader)).valid).to.be.true;
      reader.time = VALID_UNTIL;
      expect(failure(await verify(wrapped, reader), "validity")[0].code).to.equal("CERTIFICATE_EXPIRED");
    });

    it("fails validity with CERTIFICATE_NOT_YET_VALID before the window", async () => {
      reader.issue(wrapped);
      reader.time = VALID_FROM - 1;
      expect(failure(await verify(wrapped, reader), "validity")[0].code).to.equal("CERTIFICATE_NOT_YET_VALID");
    });

    it("fails validity with VALIDITY_MISMATCH when the document and the registry disagree", async () => {
      reader.issue(wrapped, { validUntil: VALID_UNTIL + 1 });
      expect(failure(await verify(wrapped, reader), "validity")[0].code).to.equal("VALIDITY_MISMATCH");
    });

    it("fails issuance with CERTIFICATE_NOT_ISSUED for an unknown id, and skips the rest", async () => {
      const result = await verify(wrapped, reader);
      expect(failure(result, "issuance")[0].code).to.equal("CERTIFICATE_NOT_ISSUED");
      expect(outcomes(result)).to.deep.equal({
        integrity: "passed",
        issuance: "failed",
        status: "skipped",
        validity: "skipped",
        issuer: "skipped",
      });
    });

    it("fails issuance when the registry recorded another type, agency or holder", async () => {
      reader.issue(wrapped, { typeId: TYPE_ID + 1 });
      reader.types.set(TYPE_ID + 1, { ...reader.types.get(TYPE_ID)!, agencyId: AGENCY_ID + 1 });
      const codes = failure(await verify(wrapped, reader), "issuance").map((issue) => issue.code);
      expect(codes).to.deep.equal(["TYPE_MISMATCH", "AGENCY_MISMATCH"]);

      reader.issue(wrapped, { holderCommitment: otherHash(wrapped.data["holder.commitment"].value as string) });
      const holder = failure(await verify(wrapped, reader), "issuance");
      expect(holder[0].code).to.equal("HOLDER_COMMITMENT_NOT_ON_CHAIN");
    });

    it("fails issuance with WRONG_CHAIN or WRONG_REGISTRY when read elsewhere", async () => {
      reader.issue(wrapped);
      reader.chainId = 1;
      expect(failure(await verify(wrapped, reader), "issuance")[0].code).to.equal("WRONG_CHAIN");
      reader.chainId = 31337;
      reader.registry = "0x0000000000000000000000000000000000000001";
      expect(failure(await verify(wrapped, reader), "issuance")[0].code).to.equal("WRONG_REGISTRY");
    });

    it("fails issuer with ISSUER_KEY_COMPROMISED when the key was compromised before issuance", async () => {
      reader.issue(wrapped);
      reader.keys.get(KEY_ID)!.compromisedSince = ISSUED_AT - 10;
      const issues = failure(await verify(wrapped, reader), "issuer");
      expect(issues[0].code).to.equal("ISSUER_KEY_COMPROMISED");
      expect(issues[0].message).to.contain("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    });

    it("passes issuer when the key was compromised only after issuance", async () => {
      reader.issue(wrapped);
      reader.keys.get(KEY_ID)!.compromisedSince = ISSUED_AT + 10;
      expect((await verify(wrapped, reader)).valid).to.be.true;
    });

    it("fails issuer with ISSUER_KEY_NOT_AUTHORIZED or UNKNOWN_ISSUER_KEY", async () => {
      reader.issue(wrapped);
      reader.keys.get(KEY_ID)!.couldIssueAt = false;
      expect(failure(await verify(wrapped, reader), "issuer")[0].code).to.equal("ISSUER_KEY_NOT_AUTHORIZED");
      reader.keys.delete(KEY_ID);
      expect(failure(await verify(wrapped, reader), "issuer")[0].code).to.equal("UNKNOWN_ISSUER_KEY");
    });

    it("fails issuer with AGENCY_SUSPENDED, naming the agency", async () => {
      reader.issue(wrapped);
      reader.agencies.get(AGENCY_ID)!.status = AgencyStatus.Suspended;
      const issues = failure(await verify(wrapped, reader), "issuer");
      expect(issues[0]).to.deep.equal({
        code: "AGENCY_SUSPENDED",
        message: "The issuer, 上海市卫生健康委员会 (agency 3), is suspended",
      });
    });

    it("passes issuer for a dissolved agency, whose records stay verifiable", async () => {
      reader.issue(wrapped);
      Object.assign(reader.agencies.get(AGENCY_ID)!, { status: AgencyStatus.Dissolved, successorId: 9 });
      const result = await verify(wrapped, reader);
      expect(result.valid).to.be.true;
      expect(result.checks.issuer.message).to.contain("agency 9 keeps its records");
    });

    it("fails integrity for a tampered certificate, and skips the chain checks", async () => {
      reader.issue(wrapped);
      const spoiled = viaJson(wrapped);
      spoiled.data["fields.name"].value = "李四";
      const result = await verify(spoiled, reader);
      expect(failure(result, "integrity")[0].code).to.equal("CERTIFICATE_ID_MISMATCH");
      expect(outcomes(result)).to.include({ issuance: "skipped", status: "skipped" });
      expect((await verify("not a certificate", reader)).checks.integrity.issues[0].code).to.equal(
        "MALFORMED_CERTIFICATE",
      );
    });

    it("throws CHAIN_READ_FAILED, with the cause, when the reader fails", async () => {
      const down = new Error("connection refused");
      reader.certificate = () => Promise.reject(down);
      try {
        await verify(wrapped, reader);
        expect.fail("verify should throw");
      } catch (error) {
        expect(error).to.be.instanceOf(GovChainError);
        expect(error).to.include({ code: "CHAIN_READ_FAILED", cause: down });
      }
    });
  });

  describe("properties", () => {
    const key = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 6 })
      .filter((text) => !text.includes(".") && text !== "__proto__");
    const { value: jsonValue } = fc.letrec<{ value: JsonValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constant(null),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.string({ unit: "grapheme" }),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(key, tie("value"), { maxKeys: 4 }) as fc.Arbitrary<JsonObject>,
      ),
    }));
    const documents: fc.Arbitrary<CertificateDocument> = fc
      .record({
        typeId: fc.nat({ max: 2 ** 32 - 1 }),
        agencyId: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
        holderId: fc.stringMatching(/^[0-9A-Z]{1,18}$/),
        validFrom: fc.nat({ max: 2 ** 39 }),
        fields: fc.dictionary(key, jsonValue, { maxKeys: 6 }) as fc.Arbitrary<JsonObject>,
      })
      .map((d) =>
        sampleDocument({
          type: { typeId: d.typeId, chainId: 31337, registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
          issuer: { agencyId: d.agencyId },
          holder: { id: d.holderId },
          validity: { validFrom: d.validFrom, validUntil: 0 },
          fields: d.fields,
        }),
      );

    it("any document with any hideable subset hidden still verifies, and drops the hidden salts", () => {
      fc.assert(
        fc.property(documents, fc.infiniteStream(fc.boolean()), (document, coins) => {
          const wrapped = wrapDocument(document);
          const hideable = Object.keys(wrapped.data).filter((p) => p.startsWith("fields") || p.startsWith("holder"));
          const hide = hideable.filter(() => coins.next().value as boolean);
          const shown = viaJson(disclose(wrapped, hide));
          expect(checkIntegrity(shown).issues).to.deep.equal([]);
          expect(shown.proof.certificateId).to.equal(wrapped.proof.certificateId);
          expect(hiddenFields(shown)).to.deep.equal([...hide].sort());
          const text = JSON.stringify(shown);
          for (const hidden of hide) expect(text).to.not.contain(wrapped.data[hidden].salt);
        }),
        { numRuns: 150 },
      );
    });

    it("reports, never throws, for a value JSON.parse turns into Infinity", () => {
      const wrapped = wrapDocument(sampleDocument(), { salt: seededSalt("inf") });
      const text = JSON.stringify(wrapped).replace(/("type.typeId":\{"value":)\d+/, "$11e999");
      const result = checkIntegrity(JSON.parse(text));
      expect(result.valid).to.be.false;
      expect(result.issues[0].code).to.equal("MALFORMED_CERTIFICATE");
      expect(result.issues[0].message).to.contain("data.type.typeId");
    });

    it("any single-byte change that alters a wrapped certificate makes it fail", () => {
      const encoder = new TextEncoder();
      const decoder = new TextDecoder();
      fc.assert(
        fc.property(documents, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (document, at, flip, hide) => {
          const wrapped = wrapDocument(document);
          const certificate = hide ? disclose(wrapped, ["holder.id"]) : wrapped;
          const bytes = encoder.encode(JSON.stringify(certificate));
          const index = at % bytes.length;
          bytes[index] ^= flip;
          let parsed: unknown;
          try {
            parsed = JSON.parse(decoder.decode(bytes));
          } catch {
            return; // no longer JSON: refused before any hashing
          }
          let canonical: string;
          try {
            canonical = canonicalJson(parsed as JsonValue);
          } catch {
            // A flip that makes a number overflow to Infinity leaves JSON with no canonical form: refused, not thrown.
            expect(checkIntegrity(parsed).valid).to.be.false;
            return;
          }
          // A change that leaves the same JSON value (such as \u001f → \u001F) alters nothing to verify.
          fc.pre(canonical !== canonicalJson(certificate as unknown as JsonValue));
          expect(checkIntegrity(parsed).valid).to.be.false;
        }),
        { numRuns: 400 },
      );
    });

    it("the id does not depend on key order or JSON round trips", () => {
      fc.assert(
        fc.property(documents, fc.string(), (document, seed) => {
          const a = wrapDocument(document, { salt: seededSalt(seed) });
          const b = wrapDocument(reverseKeys(document), { salt: seededSalt(seed) });
          expect(b.proof.certificateId).to.equal(a.proof.certificateId);
          expect(readHeader(viaJson(a)).certificateId).to.equal(a.proof.certificateId);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe("browser safety", () => {
    const root = path.join(__dirname, "../../sdk/src");
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) return files(full);
        return full.endsWith(".ts") ? [full] : [];
      });
    const pure = [...files(path.join(root, "utils")), ...files(path.join(root, "errors"))];
    // Each of these runs in browsers as well as in Node (ajv compiles schemas with `new Function`, no Node APIs).
    const allowed = new Set(["ethers", "@openzeppelin/merkle-tree", "zod", "ajv/dist/2020", "ajv-formats"]);

    it("imports nothing Node-only in sdk/src/utils and sdk/src/errors", () => {
      expect(pure.length).to.be.greaterThan(5);
      for (const file of pure) {
        const source = readFileSync(file, "utf8");
        const where = path.relative(root, file);
        expect(source, where).to.not.match(/\brequire\s*\(/);
        expect(source, where).to.not.match(/\bBuffer\b/);
        expect(source, where).to.not.match(/\bprocess\./);
        expect(source, where).to.not.match(/__dirname|__filename/);
        for (const [, specifier] of source.matchAll(/from\s+"([^"]+)"/g)) {
          if (specifier.startsWith(".")) continue;
          expect(allowed.has(specifier), `${where} imports ${specifier}`).to.be.true;
        }
      }
    });
  });
});
