import fs from "node:fs";
import path from "node:path";

import { type Manifest, parseManifest } from "../utils/manifest";

/** Node-only manifest persistence (the browser gets the manifest over HTTP and calls `parseManifest`). */

/** Reads and validates a manifest; `undefined` when the file does not exist. */
export function readManifestFile(file: string): Manifest | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return parseManifest(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** Writes a manifest atomically (temporary file, then rename), so a killed process never leaves half a file. */
export function writeManifestFile(file: string, manifest: Manifest): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(manifest, null, 2) + "\n");
  fs.renameSync(temporary, file);
}
