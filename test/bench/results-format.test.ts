import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import { z } from "zod";

/**
 * The shape of `bench/results.json`, which `npm run bench` writes and `gas-targets` and the report read. Only the
 * shape: no timing is asserted here (speed lives in `npm run bench`). Skipped when the file has not been generated.
 */

const RESULTS_FILE = path.join(__dirname, "..", "..", "bench", "results.json");

/** Dotted, lowercase-first segments: `cert.issueBatch.100.perCert`, `peer.documentStore.issue`. */
const NAME = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

/** Names the gas targets of the issues are checked against: when present they must be gas. */
const GAS_TARGET_NAMES = [
  "cert.issue",
  "cert.issueBatch.100.perCert",
  "cert.anchor.1000",
  "cert.revoke",
  "cert.status",
  "title.register",
  "title.approveSale",
  "title.lien",
  "consent.grant",
  "consent.grantBySig",
  "consent.checkAccess",
  "consent.receipt",
];

const row = z
  .object({
    name: z.string().regex(NAME),
    value: z.number().finite().nonnegative(),
    unit: z.enum(["gas", "per_s", "ms", "us"]),
    peer: z.string().min(1).optional(),
    peerValue: z.number().finite().positive().optional(),
    ratio: z.number().finite().nonnegative().optional(),
  })
  .strict();

const results = z.array(row).min(1);

type Row = z.infer<typeof row>;

describe("bench/results.json", function () {
  let rows: Row[] = [];

  before(function () {
    if (!existsSync(RESULTS_FILE)) this.skip();
    rows = results.parse(JSON.parse(readFileSync(RESULTS_FILE, "utf8")));
  });

  it("is an array of { name, value, unit, peer?, peerValue?, ratio? } with known units", function () {
    expect(rows.length).to.be.greaterThan(0);
  });

  it("names every row once", function () {
    const names = rows.map((r) => r.name);
    expect(new Set(names).size).to.equal(names.length);
  });

  it("gives a peer its value and the GovChain/peer ratio together", function () {
    for (const r of rows) {
      const fields = [r.peer, r.peerValue, r.ratio].filter((field) => field !== undefined).length;
      expect(fields, r.name).to.be.oneOf([0, 3]);
      if (r.peerValue !== undefined && r.ratio !== undefined) {
        // Values are rounded to two decimals and ratios to three, so allow for rounding.
        expect(r.ratio, r.name).to.be.closeTo(r.value / r.peerValue, 0.001 + 0.01 / r.peerValue);
      }
    }
  });

  it("keeps the peers' own rows apart and without a peer of their own", function () {
    for (const r of rows.filter((candidate) => candidate.name.startsWith("peer."))) {
      expect(r.peer, r.name).to.equal(undefined);
    }
  });

  it("measures the gas targets in gas", function () {
    for (const r of rows.filter((candidate) => GAS_TARGET_NAMES.includes(candidate.name))) {
      expect(r.unit, r.name).to.equal("gas");
    }
  });
});
