import path from "node:path";

import { defineConfig, type UserConfig } from "vite";

/** The portal's folder (web/) and the repository root, whose sdk/ and typechain-types/ the bundle imports. */
const WEB_ROOT = __dirname;
const REPOSITORY_ROOT = path.resolve(WEB_ROOT, "..");

/**
 * The portal's Vite configuration, as a function so that tests and scripts can build it programmatically
 * (`build({ configFile: false, ...portalViteConfig() })`) without relying on Vite's config-file loader.
 */
export function portalViteConfig(overrides: { outDir?: string } = {}): UserConfig {
  return {
    root: WEB_ROOT,
    // Relative asset URLs: the static build can be hosted under any path, not only at a domain's root.
    base: "./",
    // config.json is written next to index.html by whoever hosts the build (see web/scripts/serve.ts).
    publicDir: false,
    build: {
      outDir: overrides.outDir ?? path.join(WEB_ROOT, "dist"),
      emptyOutDir: true,
      target: "es2022",
      sourcemap: true,
      chunkSizeWarningLimit: 1_500,
      rollupOptions: {
        onwarn(warning, warn) {
          // zod ships comments Rollup cannot place; harmless, and not ours to fix.
          if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules")) return;
          warn(warning);
        },
      },
    },
    resolve: {
      // The SDK is imported by relative path from ../sdk/src; it imports ../../../typechain-types, which Vite
      // resolves as ordinary TypeScript sources. Prefer browser builds of dependencies (qrcode's, for one).
      mainFields: ["browser", "module", "jsnext:main", "jsnext"],
    },
    server: {
      // The dev server may read the SDK, the generated contract types and node_modules above web/.
      fs: { allow: [REPOSITORY_ROOT] },
    },
    logLevel: "warn",
  };
}

// Vite's command line reads a default export from its config file; the house style asks for named exports
// everywhere else, so this is the one exception.
export default defineConfig(portalViteConfig());
