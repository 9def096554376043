#!/usr/bin/env node
"use strict";
/**
 * The `govchain` launcher: runs cli/src/main.ts through ts-node (transpile only, with the repository's tsconfig), so
 * `npx govchain` works from a checkout without a build step.
 */
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
if (!fs.existsSync(path.join(root, "typechain-types", "index.ts"))) {
  process.stderr.write("error: the contract bindings are missing: run `npx hardhat compile` in " + root + " first\n");
  process.exit(1);
}
require("ts-node").register({
  transpileOnly: true,
  project: path.join(root, "tsconfig.json"),
  // Each run compiles only what it loads; type checking is `npm run lint:ts`'s job.
  compilerOptions: { module: "commonjs" },
});
require(path.join(root, "cli", "src", "main.ts"))
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
