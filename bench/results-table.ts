import fs from "node:fs";
import path from "node:path";

/** One line of `bench/results.json`. Names are dotted by registry (`cert.issue`); peers' own rows by `peer.`. */
export interface BenchResult {
  name: string;
  value: number;
  unit: "gas" | "per_s" | "ms" | "us";
  peer?: string;
  peerValue?: number;
  ratio?: number;
}

/** Two decimals: per-certificate gas of a batch is a fraction; rates need no more. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Collects results in order and writes them; `compare` fills in the peer and the GovChain/peer ratio. */
export class BenchResults {
  readonly rows: BenchResult[] = [];

  add(name: string, value: number, unit: BenchResult["unit"]): void {
    this.rows.push({ name, value: round(value), unit });
  }

  compare(name: string, value: number, unit: BenchResult["unit"], peer: string, peerValue: number): void {
    const ratio = peerValue === 0 ? undefined : Math.round((value / peerValue) * 1000) / 1000;
    this.rows.push({ name, value: round(value), unit, peer, peerValue: round(peerValue), ratio });
  }

  get(name: string): number {
    const row = this.rows.find((r) => r.name === name);
    if (!row) throw new Error(`benchmark result ${name} was not measured`);
    return row.value;
  }

  /** Writes `results.json` into `directory`; the report is written by `report.ts`. (This module is not named `results.ts`: Node would resolve `./results` to `results.json` first.). */
  write(directory: string): void {
    fs.writeFileSync(path.join(directory, "results.json"), JSON.stringify(this.rows, null, 2) + "\n");
  }
}
