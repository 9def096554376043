import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";

import { acquireLock, Journal, JOURNAL_FILE } from "../../cli/src/journal";
import { InputProblemsError } from "../../cli/src/output";
import { formatDuration, Progress } from "../../cli/src/progress";
import { parseBatchInput } from "../../cli/src/rows";
import { wrapDocument } from "../../sdk/src/utils/documents";
import { InputError } from "../../sdk/src/utils/validation";
import { licenceCsv } from "../helpers/cli";

/** The CLI's pure-ish pieces without a chain: spreadsheet parsing, the batch journal, the progress bar. */
describe("govchain CLI pieces", function () {
  describe("parseBatchInput", function () {
    it("reads a spreadsheet export: BOM, CRLF, quoted commas, doubled quotes, line breaks and Chinese", function () {
      const { format, rows } = parseBatchInput("licences.csv", Buffer.from(licenceCsv(2), "utf8"));
      expect(format).to.equal("csv");
      expect(rows.map((r) => r.row)).to.deep.equal([2, 3]); // numbered as in the spreadsheet: header is row 1
      expect(rows[0].values.creditCode).to.match(/^91310000MA0000001/); // no BOM glued to the first column
      expect(rows[0].values.companyName).to.equal('上海"示例"第1号科技有限公司');
      expect(rows[0].values.address).to.equal("上海市浦东新区张江路1号, 1楼");
      expect(rows[0].values.businessScope).to.equal("技术开发\r\n技术咨询，技术服务");
    });

    it("reads LF files without a BOM, leaves empty cells out and nests dotted columns", function () {
      const csv = "holder,address.city,address.street,note\nA,上海,淮海中路 1 号,\n";
      const { rows } = parseBatchInput("x.csv", Buffer.from(csv));
      expect(rows[0].values).to.deep.equal({ holder: "A", address: { city: "上海", street: "淮海中路 1 号" } });
    });

    it("refuses malformed CSV, inconsistent rows, duplicate columns and text that is not UTF-8", function () {
      const parse = (text: string | Buffer) => () =>
        parseBatchInput("x.csv", typeof text === "string" ? Buffer.from(text) : text);
      expect(parse('a,b\n"1,2\n')).to.throw(InputError, /x\.csv is not valid CSV: Quote Not Closed/);
      expect(parse("a,b\n1,2,3\n")).to.throw(InputError, /not valid CSV/);
      expect(parse("a,a\n1,2\n")).to.throw(InputProblemsError, /row 1, field a: the column appears twice/);
      expect(parse("a,b\n")).to.throw(InputError, /no rows/);
      expect(parse(Buffer.from([0x61, 0x0a, 0xc4, 0xe3, 0x0a]))).to.throw(InputError, /not UTF-8/); // GBK 你
    });

    it("reads a JSON array (BOM allowed) and names a malformed file or a bad item", function () {
      const { rows } = parseBatchInput("x.json", Buffer.from('\ufeff[{"a":"甲"},{"a":"乙"}]'));
      expect(rows).to.deep.equal([
        { row: 1, values: { a: "甲" } },
        { row: 2, values: { a: "乙" } },
      ]);
      expect(() => parseBatchInput("x.json", Buffer.from('[{"a":1},'))).to.throw(
        InputError,
        /x\.json is not valid JSON/,
      );
      expect(() => parseBatchInput("x.json", Buffer.from('[{"a":1}, 2]'))).to.throw(/row 2 is not a JSON object/);
      expect(() => parseBatchInput("x.json", Buffer.from('{"a":1}'))).to.throw(/must hold a JSON array/);
    });
  });

  describe("Journal", function () {
    let dir: string;
    const header = {
      key: "k1",
      input: "batch.csv",
      inputSha256: "00",
      typeId: 1,
      anchor: false,
      rows: 3,
      chainId: 31337,
      registry: "0x0000000000000000000000000000000000000001",
      validFrom: 0,
      validUntil: 0,
    };
    const certificate = (n: number) =>
      wrapDocument({
        type: { typeId: 1, chainId: 31337, registry: header.registry },
        issuer: { agencyId: 1 },
        holder: { id: `holder-${n}` },
        validity: { validFrom: 0, validUntil: 0 },
        fields: { n },
      });

    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-journal-"));
    });
    afterEach(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("keeps sealed groups across runs and forgets unsealed lines and a torn last line", function () {
      const first = Journal.open(dir, header);
      const sealed = first.seal(new Map([[2, certificate(2)]]));
      first.confirm(sealed, "0xabc");
      first.close();
      // A run killed while writing the next group: one whole unsealed line, then half a line.
      const file = path.join(dir, JOURNAL_FILE);
      fs.appendFileSync(
        file,
        JSON.stringify({ kind: "wrapped", group: 2, row: 3, certificate: certificate(3) }) + "\n",
      );
      fs.appendFileSync(file, '{"kind":"wrapped","group":2,"row":4,"certif');

      const second = Journal.open(dir, header);
      expect(second.resumed).to.be.true;
      expect([...second.sealedRows()]).to.deep.equal([2]);
      expect(second.certificates().get(2)!.proof.certificateId).to.equal(
        sealed.certificates.get(2)!.proof.certificateId,
      );
      const next = second.seal(new Map([[3, certificate(3)]]));
      expect(next.group).to.equal(3); // never reuses the number of an unsealed group
      second.close();
      const lines = fs.readFileSync(file, "utf8").split("\n");
      expect(lines.at(-1)).to.equal(""); // the torn line was cut, the new ones start on a line of their own
      lines.slice(0, -1).forEach((line) => JSON.parse(line));
      expect([...Journal.open(dir, header).sealedRows()]).to.deep.equal([2, 3]);
    });

    it("refuses the journal of another batch", function () {
      Journal.open(dir, header).close();
      expect(() => Journal.open(dir, { ...header, key: "k2" })).to.throw(InputError, /journal of another batch/);
    });

    it("locks the folder against a second live run and takes over a dead run's lock", function () {
      const release = acquireLock(dir);
      fs.writeFileSync(path.join(dir, ".govchain-journal.lock"), String(process.ppid)); // a live process
      expect(() => acquireLock(dir)).to.throw(InputError, /another govchain run/);
      fs.writeFileSync(path.join(dir, ".govchain-journal.lock"), "999999999"); // no such process
      const again = acquireLock(dir);
      again();
      release();
      expect(fs.existsSync(path.join(dir, ".govchain-journal.lock"))).to.be.false;
    });
  });

  describe("Progress", function () {
    it("draws a bar with count, rate and ETA in place on a terminal", function () {
      let now = 0;
      let text = "";
      const progress = new Progress({
        unit: "certificates",
        total: 200,
        tty: true,
        write: (t) => (text += t),
        now: () => now,
      });
      now = 10_000;
      progress.tick(50);
      // eslint-disable-next-line no-control-regex -- the terminal's erase-to-end-of-line sequence
      expect(text).to.match(/^\r\[#{8}\.{22}\] 50\/200 certificates 25% \| 5\.0\/s \| ETA 30s\x1b\[K$/);
      now = 40_000;
      progress.tick(150);
      progress.finish();
      expect(text.endsWith("200/200 certificates 100% | 5.0/s | ETA 0s\x1b[K\n")).to.be.true;
    });

    it("writes plain lines when not a terminal, not counting work found done in the rate", function () {
      let now = 0;
      const lines: string[] = [];
      const progress = new Progress({
        unit: "certificates",
        total: 100,
        tty: false,
        write: (t) => lines.push(t),
        now: () => now,
        lineIntervalMs: 1_000,
      });
      progress.skip(40);
      now = 500;
      progress.tick(10); // too soon for another line
      now = 2_000;
      progress.tick(10);
      progress.finish();
      expect(lines).to.deep.equal([
        "40/100 certificates 40% | 0.0/s | ETA ?\n",
        "60/100 certificates 60% | 10.0/s | ETA 4s\n",
      ]);
      expect(formatDuration(75)).to.equal("1m15s");
      expect(formatDuration(7_300)).to.equal("2h01m");
    });
  });
});
