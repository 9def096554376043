import fs from "node:fs";
import path from "node:path";

import type { WrappedCertificate } from "../../sdk/src/utils/documents/format";
import type { Hex } from "../../sdk/src/utils/documents/hashing";
import { InputError } from "../../sdk/src/utils/validation";

/**
 * The journal of a certificate batch: append-only JSON lines in `<out>/.govchain-journal.jsonl`, each write
 * fsynced. It makes `issue-batch` safe to kill at any moment (even `kill -9` while a transaction is in flight):
 *
 * 1. Certificate salts are random, so a certificate exists only once it is written down. Every wrapped certificate
 *    of a group (one `issueBatch` chunk, or the whole anchored batch) is appended, then the group is *sealed* with
 *    one more line, and the journal is fsynced — all before the group's transaction is signed.
 * 2. A re-run reads the journal. A sealed group is re-checked on chain (the certificates' status, or the anchored
 *    root) and sent again only if it is not there; the registry refuses an id twice, so a late duplicate cannot
 *    land. Unsealed lines (the process died while writing them, so nothing of theirs was sent) are ignored and
 *    their rows wrapped afresh.
 * 3. A truncated last line (killed mid-write) is cut off before anything else is appended.
 *
 * The header line holds the batch's key (input file hash, type, anchoring, schema, chain and registry): a journal
 * of another batch is refused rather than mixed up. A lock file keeps two runs from working on one folder at once.
 */

export const JOURNAL_FILE = ".govchain-journal.jsonl";
export const LOCK_FILE = ".govchain-journal.lock";

/** What identifies a batch: re-running with the same input and options resumes it. */
export interface JournalHeader {
  kind: "header";
  key: string;
  input: string;
  inputSha256: string;
  typeId: number;
  anchor: boolean;
  rows: number;
  chainId: number;
  registry: string;
  /** The validity the batch started with; a resumed run keeps it. */
  validFrom: number;
  validUntil: number;
  createdAt: string;
}

export interface WrappedEntry {
  kind: "wrapped";
  group: number;
  row: number;
  certificate: WrappedCertificate;
}

export interface SealEntry {
  kind: "sealed";
  group: number;
  rows: number[];
  /** The anchored batch root, for an anchored group. */
  root?: Hex;
}

export interface ConfirmedEntry {
  kind: "confirmed";
  group: number;
  transactionHash?: string;
}

export interface DoneEntry {
  kind: "done";
  at: string;
}

export type JournalEntry = JournalHeader | WrappedEntry | SealEntry | ConfirmedEntry | DoneEntry;

/** A sealed group: its certificates by row, as they will be (or were) sent. */
export interface SealedGroup {
  group: number;
  rows: number[];
  root?: Hex;
  certificates: Map<number, WrappedCertificate>;
  confirmed: boolean;
}

export class Journal {
  private constructor(
    readonly file: string,
    private fd: number,
    readonly header: JournalHeader,
    readonly groups: Map<number, SealedGroup>,
    private nextGroup: number,
    public done: boolean,
    /** True when the journal existed: this run resumes a batch. */
    readonly resumed: boolean,
  ) {}

  /** Opens the journal of `header.key` in `directory`, creating it (and the folder) when absent. */
  static open(directory: string, header: Omit<JournalHeader, "kind" | "createdAt">): Journal {
    fs.mkdirSync(directory, { recursive: true });
    const file = path.join(directory, JOURNAL_FILE);
    if (!fs.existsSync(file)) {
      const full: JournalHeader = { kind: "header", ...header, createdAt: new Date().toISOString() };
      const fd = fs.openSync(file, "a");
      fs.writeSync(fd, JSON.stringify(full) + "\n");
      fs.fsyncSync(fd);
      syncDirectory(directory);
      return new Journal(file, fd, full, new Map(), 1, false, false);
    }
    const entries = readEntries(file);
    const first = entries[0];
    if (first?.kind !== "header") {
      throw new InputError(`${file} is not a GovChain batch journal: move it away or choose another --out`);
    }
    if (first.key !== header.key) {
      throw new InputError(
        `${directory} holds the journal of another batch (${first.input}, type ${first.typeId}${first.anchor ? ", anchored" : ""}, started ${first.createdAt}): choose another --out`,
      );
    }
    const wrapped = new Map<number, Map<number, WrappedCertificate>>();
    const groups = new Map<number, SealedGroup>();
    let done = false;
    let maxGroup = 0;
    for (const entry of entries.slice(1)) {
      if (entry.kind === "wrapped") {
        maxGroup = Math.max(maxGroup, entry.group);
        if (!wrapped.has(entry.group)) wrapped.set(entry.group, new Map());
        wrapped.get(entry.group)!.set(entry.row, entry.certificate);
      } else if (entry.kind === "sealed") {
        const certificates = wrapped.get(entry.group) ?? new Map<number, WrappedCertificate>();
        const missing = entry.rows.filter((row) => !certificates.has(row));
        if (missing.length > 0) {
          throw new InputError(`${file} is damaged: group ${entry.group} lacks rows ${missing.join(", ")}`);
        }
        groups.set(entry.group, {
          group: entry.group,
          rows: entry.rows,
          root: entry.root,
          certificates,
          confirmed: false,
        });
      } else if (entry.kind === "confirmed") {
        const group = groups.get(entry.group);
        if (group) group.confirmed = true;
      } else if (entry.kind === "done") {
        done = true;
      }
    }
    const fd = fs.openSync(file, "a");
    return new Journal(file, fd, first, groups, maxGroup + 1, done, true);
  }

  /** Rows already in a sealed group (they are never wrapped again). */
  sealedRows(): Set<number> {
    const rows = new Set<number>();
    for (const group of this.groups.values()) for (const row of group.rows) rows.add(row);
    return rows;
  }

  /**
   * Writes a group's certificates and seals it, durably. Only after this returns may its transaction be sent.
   */
  seal(certificates: ReadonlyMap<number, WrappedCertificate>, root?: Hex): SealedGroup {
    const group = this.nextGroup++;
    const rows = [...certificates.keys()];
    const lines = rows.map((row) =>
      JSON.stringify({ kind: "wrapped", group, row, certificate: certificates.get(row)! } satisfies WrappedEntry),
    );
    lines.push(JSON.stringify({ kind: "sealed", group, rows, ...(root ? { root } : {}) } satisfies SealEntry));
    this.append(lines);
    const sealed: SealedGroup = { group, rows, root, certificates: new Map(certificates), confirmed: false };
    this.groups.set(group, sealed);
    return sealed;
  }

  /** Records that a group is on chain. */
  confirm(group: SealedGroup, transactionHash?: string): void {
    group.confirmed = true;
    this.append([JSON.stringify({ kind: "confirmed", group: group.group, transactionHash } satisfies ConfirmedEntry)]);
  }

  /** Records that every certificate is on chain and every file written. */
  finish(): void {
    this.done = true;
    this.append([JSON.stringify({ kind: "done", at: new Date().toISOString() } satisfies DoneEntry)]);
  }

  /** Every certificate of the batch, by row, in row order. */
  certificates(): Map<number, WrappedCertificate> {
    const all = new Map<number, WrappedCertificate>();
    for (const group of this.groups.values())
      for (const [row, certificate] of group.certificates) all.set(row, certificate);
    return new Map([...all].sort(([a], [b]) => a - b));
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private append(lines: readonly string[]): void {
    fs.writeSync(this.fd, lines.join("\n") + "\n");
    fs.fsyncSync(this.fd);
  }
}

/** Reads the entries; a truncated last line (a write cut short by a kill) is removed from the file. */
function readEntries(file: string): JournalEntry[] {
  const text = fs.readFileSync(file, "utf8");
  const complete = text.lastIndexOf("\n") + 1;
  if (complete < text.length) {
    // The tail after the last newline was being written when the process died: nothing of it was relied on.
    fs.truncateSync(file, Buffer.byteLength(text.slice(0, complete), "utf8"));
  }
  const entries: JournalEntry[] = [];
  const lines = text.slice(0, complete).split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    try {
      entries.push(JSON.parse(lines[i]) as JournalEntry);
    } catch {
      throw new InputError(`${file} is damaged at line ${i + 1}: move it away to start the batch afresh`);
    }
  }
  return entries;
}

/** Makes a new file's directory entry durable (POSIX); harmless where directories cannot be opened. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(directory, "r");
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; the file's own fsync is what matters there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes a file atomically: temporary file, fsync, rename. A reader sees the old file or the new, never half. */
export function writeFileAtomic(file: string, contents: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, "w");
  try {
    fs.writeSync(fd, contents);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

/** True when a process with this id is running (signal 0 only checks). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the folder's lock, so that two runs never wrap the same rows twice. A lock left by a killed run (its process
 * is gone) is taken over. Returns the release function.
 */
export function acquireLock(directory: string): () => void {
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(file, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new InputError(`another govchain run (process ${holder}) is working on ${directory}: wait for it to end`);
      }
      fs.rmSync(file, { force: true }); // a killed run's lock
    }
  }
  throw new InputError(`cannot lock ${directory}: remove ${file} if no other govchain run uses the folder`);
}
