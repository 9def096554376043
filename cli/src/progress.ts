/**
 * Progress of long work: a bar with count, rate and ETA redrawn in place on a terminal, plain lines otherwise (logs,
 * CI, pipes). Writes to stderr, so stdout keeps only results.
 */

export interface ProgressOptions {
  /** What is counted ("certificates"). */
  unit: string;
  total: number;
  /** Redraws in place when true (defaults to whether stderr is a terminal). */
  tty?: boolean;
  write?: (text: string) => void;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
  /** Least time between two plain lines. */
  lineIntervalMs?: number;
  /** Width of the bar in characters. */
  width?: number;
}

const DEFAULT_LINE_INTERVAL_MS = 2_000;
const DEFAULT_WIDTH = 30;
const REDRAW_INTERVAL_MS = 100;

/** `75s` → "1m15s"; unknown → "?". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export class Progress {
  private done = 0;
  /** Counted as done without work in this run (found done by a resumed run): not part of the rate. */
  private skipped = 0;
  private lastDone = -1;
  private readonly startedAt: number;
  private lastDrawAt = -Infinity;
  private readonly tty: boolean;
  private readonly write: (text: string) => void;
  private readonly now: () => number;
  private finished = false;

  constructor(private readonly options: ProgressOptions) {
    this.tty = options.tty ?? Boolean(process.stderr.isTTY);
    this.write = options.write ?? ((text) => process.stderr.write(text));
    this.now = options.now ?? (() => Date.now());
    this.startedAt = this.now();
  }

  /** Counts `n` more done (work found already done on a resumed run counts too, at no rate). */
  tick(n = 1): void {
    this.done = Math.min(this.options.total, this.done + n);
    const now = this.now();
    const interval = this.tty ? REDRAW_INTERVAL_MS : (this.options.lineIntervalMs ?? DEFAULT_LINE_INTERVAL_MS);
    if (this.done === this.options.total || now - this.lastDrawAt >= interval) this.draw(now);
  }

  /** Marks the start of work without counting it as done (a resumed run's starting point). */
  skip(n: number): void {
    this.done = Math.min(this.options.total, this.done + n);
    this.skipped += n;
    this.draw(this.now());
  }

  /** The current line, without the carriage return. */
  line(now = this.now()): string {
    const { total, unit } = this.options;
    const elapsed = Math.max((now - this.startedAt) / 1000, 1e-3);
    const counted = this.done - this.skipped;
    const rate = counted / elapsed;
    const remaining = total - this.done;
    const eta = remaining === 0 ? 0 : rate > 0 ? remaining / rate : Number.NaN;
    const percent = total === 0 ? 100 : Math.floor((this.done / total) * 100);
    const stats = `${this.done}/${total} ${unit} ${percent}% | ${rate.toFixed(1)}/s | ETA ${formatDuration(eta)}`;
    if (!this.tty) return stats;
    const width = this.options.width ?? DEFAULT_WIDTH;
    const filled = total === 0 ? width : Math.round((this.done / total) * width);
    return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${stats}`;
  }

  private draw(now: number): void {
    if (this.finished) return;
    // A plain line is written only when the count moved: logs get no repeated lines.
    if (!this.tty && this.done === this.lastDone) return;
    this.lastDrawAt = now;
    this.lastDone = this.done;
    this.write(this.tty ? `\r${this.line(now)}\x1b[K` : `${this.line(now)}\n`);
  }

  /** Ends the bar (a terminal gets its newline). */
  finish(): void {
    if (this.finished) return;
    this.draw(this.now());
    this.finished = true;
    if (this.tty) this.write("\n");
  }
}
