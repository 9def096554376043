import path from "node:path";

import { build } from "vite";

import { portalViteConfig } from "../vite.config";

/** Where `buildPortal` writes the static site by default. */
export const PORTAL_DIST = path.join(__dirname, "..", "dist");

/** Builds the portal into static files (index.html, assets/) with Vite; returns the output folder. */
export async function buildPortal(outDir: string = PORTAL_DIST): Promise<string> {
  await build({ configFile: false, ...portalViteConfig({ outDir }) });
  return outDir;
}

if (require.main === module) {
  buildPortal().then(
    (outDir) => console.log(`portal built into ${path.relative(process.cwd(), outDir)}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
