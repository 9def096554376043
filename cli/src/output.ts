import { InvalidArgumentError } from "commander";

import { GovChainError } from "../../sdk/src/errors/base";
import { DocumentError } from "../../sdk/src/errors/document";
import { InputError } from "../../sdk/src/utils/validation";

/** Exit codes: 0 success; 1 a failure or a negative answer (an invalid certificate); 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** One problem with an input file, located by row (or item) and field. */
export interface InputProblem {
  row?: number;
  field?: string;
  message: string;
}

/**
 * An input the CLI refuses before sending anything, with every problem found (a batch reports all its bad rows).
 * Exits with {@link EXIT_USAGE}.
 */
export class InputProblemsError extends InputError {
  override name = "InputProblemsError";

  constructor(
    shortMessage: string,
    readonly problems: readonly InputProblem[],
  ) {
    super(shortMessage);
  }
}

/** Where a problem is: `row 4, field creditCode`. */
export function locate(problem: InputProblem): string {
  const where = [
    problem.row === undefined ? undefined : `row ${problem.row}`,
    problem.field ? `field ${problem.field}` : undefined,
  ].filter((part) => part !== undefined);
  return where.length ? `${where.join(", ")}: ${problem.message}` : problem.message;
}

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}

export interface OutputStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processStreams: OutputStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Human or machine output. With `--json`, stdout carries exactly one JSON document per command (the result, or
 * `{ ok: false, error }`); notes and progress go to stderr in both modes, so stdout can be piped.
 */
export class Output {
  constructor(
    readonly json: boolean,
    readonly verbose: boolean,
    private readonly streams: OutputStreams = processStreams,
  ) {}

  /** The command's result: `data` as JSON, or `human` lines for a person. */
  result(data: unknown, human: string | readonly string[]): void {
    if (this.json) {
      this.streams.stdout(toJson(data) + "\n");
      return;
    }
    const lines = typeof human === "string" ? [human] : human;
    if (lines.length) this.streams.stdout(lines.join("\n") + "\n");
  }

  /** A note for the person running the command (stderr, so it never mixes with results). */
  note(line: string): void {
    this.streams.stderr(line + "\n");
  }

  /** A note shown only with `--verbose`. */
  debug(line: string): void {
    if (this.verbose) this.note(line);
  }

  /** Prints an error the way every command does, and returns the exit code it calls for. */
  error(error: unknown): number {
    const code = exitCodeOf(error);
    const message = errorMessage(error);
    this.streams.stderr(`error: ${message}\n`);
    const problems = error instanceof InputProblemsError ? error.problems : [];
    for (const problem of problems.slice(1, MAX_PROBLEMS_SHOWN)) this.streams.stderr(`  ${locate(problem)}\n`);
    if (problems.length > MAX_PROBLEMS_SHOWN) {
      this.streams.stderr(`  ... and ${problems.length - MAX_PROBLEMS_SHOWN} more\n`);
    }
    if (this.verbose) {
      for (const line of verboseLines(error)) this.streams.stderr(`  ${line}\n`);
    } else if (
      !(error instanceof GovChainError) &&
      !(error instanceof InvalidArgumentError) &&
      error instanceof Error
    ) {
      this.streams.stderr("  (run with --verbose for the details)\n");
    }
    if (this.json) {
      this.streams.stdout(
        toJson({
          ok: false,
          error: {
            code: error instanceof GovChainError ? error.code : "UNEXPECTED",
            message,
            details: error instanceof GovChainError ? error.details : undefined,
            problems: problems.length ? problems : undefined,
          },
        }) + "\n",
      );
    }
    return code;
  }
}

const MAX_PROBLEMS_SHOWN = 50;

function errorMessage(error: unknown): string {
  if (error instanceof GovChainError) return error.shortMessage;
  if (error instanceof Error) return error.message.split("\n")[0];
  return String(error);
}

function exitCodeOf(error: unknown): number {
  return error instanceof InputError || error instanceof DocumentError || error instanceof InvalidArgumentError
    ? EXIT_USAGE
    : EXIT_FAILURE;
}

/** Details, then each cause, then (for unexpected errors) the stack. */
function verboseLines(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof GovChainError) {
      if (depth > 0) lines.push(`caused by: ${current.shortMessage}`);
      if (current.details) lines.push(`details: ${current.details}`);
    } else if (current instanceof Error) {
      lines.push(depth > 0 ? `caused by: ${current.message}` : (current.stack ?? current.message));
    } else if (depth > 0) {
      lines.push(`caused by: ${String(current)}`);
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}
