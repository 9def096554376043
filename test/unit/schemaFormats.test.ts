import { expect } from "chai";
import fc from "fast-check";

import { canonicalJson } from "../../sdk/src/utils/documents";
import {
  compileFieldSchema,
  createSchemaValidator,
  fieldSchemaHash,
  isResidentIdNumber,
  isUnifiedSocialCreditCode,
  residentIdNumberCheck,
  unifiedSocialCreditCodeCheck,
} from "../../sdk/src/utils/schemaFormats";

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

describe("schema formats", function () {
  describe("isUnifiedSocialCreditCode", function () {
    it("accepts published codes whose check character is right", function () {
      for (const code of ["91350100M000100Y43", "911100001000044477", "91110108551385082Q"]) {
        expect(isUnifiedSocialCreditCode(code), code).to.be.true;
      }
    });

    it("refuses a wrong check character, lowercase, excluded letters and wrong lengths", function () {
      expect(isUnifiedSocialCreditCode("91350100M000100Y44")).to.be.false;
      expect(isUnifiedSocialCreditCode("91350100m000100y43")).to.be.false;
      expect(isUnifiedSocialCreditCode("91350100M000100I43")).to.be.false; // I is not in the alphabet
      expect(isUnifiedSocialCreditCode("9135010M000100Y43")).to.be.false;
      expect(isUnifiedSocialCreditCode("913501A0M000100Y43")).to.be.false; // division code must be digits
      expect(isUnifiedSocialCreditCode("")).to.be.false;
    });

    it("catches every single-character substitution (MOD 31 over a prime modulus)", function () {
      const body = fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{9}$/);
      fc.assert(
        fc.property(body, fc.nat(16), fc.nat(30), (b, position, replacement) => {
          const code = b + unifiedSocialCreditCodeCheck(b)!;
          expect(isUnifiedSocialCreditCode(code)).to.be.true;
          const changed = USCC_ALPHABET[replacement];
          fc.pre(changed !== code[position] && (position < 2 || position > 7 || /\d/.test(changed)));
          const altered = code.slice(0, position) + changed + code.slice(position + 1);
          expect(isUnifiedSocialCreditCode(altered)).to.be.false;
        }),
      );
    });
  });

  describe("isResidentIdNumber", function () {
    it("accepts numbers with the right MOD 11-2 check character, X included", function () {
      expect(isResidentIdNumber("11010519491231002X")).to.be.true;
      expect(isResidentIdNumber("440308199901101512")).to.be.true;
    });

    it("refuses a wrong check digit, lowercase x, a 15-digit number and an unknown province", function () {
      expect(isResidentIdNumber("110105194912310021")).to.be.false;
      expect(isResidentIdNumber("11010519491231002x")).to.be.false;
      expect(isResidentIdNumber("110105491231002")).to.be.false;
      const body = "99010519491231002";
      expect(isResidentIdNumber(body + residentIdNumberCheck(body))).to.be.false;
    });

    it("refuses birth dates that are not on the calendar, and after `today` when given", function () {
      const withCheck = (body: string) => body + residentIdNumberCheck(body);
      expect(isResidentIdNumber(withCheck("11010520000229001"))).to.be.true; // 2000 is a leap year
      expect(isResidentIdNumber(withCheck("11010519000229001"))).to.be.false; // 1900 is not
      expect(isResidentIdNumber(withCheck("11010519491301001"))).to.be.false; // month 13
      expect(isResidentIdNumber(withCheck("11010519490431001"))).to.be.false; // 31 April
      expect(isResidentIdNumber(withCheck("11010517991231001"))).to.be.false; // before 1800
      expect(isResidentIdNumber(withCheck("11010520300101001"), { today: "20250101" })).to.be.false;
      expect(isResidentIdNumber(withCheck("11010520300101001"))).to.be.true;
    });
  });

  describe("createSchemaValidator", function () {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      "x-govchain-holder": "creditCode",
      required: ["creditCode", "name", "capital"],
      additionalProperties: false,
      properties: {
        creditCode: { type: "string", format: "unified-social-credit-code" },
        representativeId: { type: "string", format: "resident-id-number" },
        name: { type: "string", minLength: 1 },
        capital: { type: "integer", minimum: 0 },
        founded: { type: "string", format: "date" },
      },
    };

    it("reports each bad field by name", function () {
      const { validate } = compileFieldSchema(createSchemaValidator(), schema);
      expect(validate({ creditCode: "91350100M000100Y43", name: "示例公司", capital: 5 })).to.deep.equal([]);
      const problems = validate({ creditCode: "91350100M000100Y44", capital: 5, founded: "2020-02-30", extra: 1 });
      expect(problems.map((p) => p.field)).to.have.members(["creditCode", "name", "founded", "extra"]);
      expect(problems.find((p) => p.field === "creditCode")!.message).to.contain("unified-social-credit-code");
    });

    it("coerces spreadsheet text to the schema's types when asked", function () {
      const { validate } = compileFieldSchema(createSchemaValidator({ coerceTypes: true }), schema);
      const row: Record<string, unknown> = { creditCode: "91350100M000100Y43", name: "甲", capital: "1000" };
      expect(validate(row)).to.deep.equal([]);
      expect(row.capital).to.equal(1000);
    });

    it("refuses a schema with a misspelt keyword (strict mode)", function () {
      expect(() => createSchemaValidator().compile({ type: "object", requierd: ["a"] })).to.throw(/requierd/);
    });
  });

  describe("fieldSchemaHash", function () {
    it("hashes the canonical JSON, so key order and whitespace do not matter", function () {
      const a = fieldSchemaHash({ type: "object", properties: { b: { type: "string" }, a: { type: "number" } } });
      const b = fieldSchemaHash(
        JSON.parse('{ "properties": { "a": {"type":"number"}, "b": {"type": "string"} }, "type": "object" }'),
      );
      expect(a).to.equal(b);
      expect(a).to.match(/^0x[0-9a-f]{64}$/);
      expect(canonicalJson({ b: 1, a: 2 })).to.equal('{"a":2,"b":1}');
    });
  });
});
