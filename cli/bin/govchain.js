#!/usr/bin/env node
"use strict";
/**
 * The `govchain` launcher: runs cli/src/main.ts with ts-node (transpile only, the repository's tsconfig), so
 * `npx govchain` works from a checkout without a build step.
 *
 * Transpiling the SDK and the contract bindings on every run costs seconds of CPU, so the JavaScript ts-node produces
 * is cached in Hardhat's cache folder (cache/govchain-cli, git-ignored), keyed by each file's path and contents and
 * by the TypeScript and tsconfig in use; ts-node (and TypeScript) are loaded only when a file is not in the cache.
 * `GOVCHAIN_TS_CACHE=0` turns the cache off.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
if (!fs.existsSync(path.join(root, "typechain-types", "index.ts"))) {
  process.stderr.write(`error: the contract bindings are missing: run \`npx hardhat compile\` in ${root} first\n`);
  process.exit(1);
}

const tsconfig = path.join(root, "tsconfig.json");
const options = {
  transpileOnly: true,
  project: tsconfig,
  // Type checking is `npm run lint:ts`'s job; each run only transpiles.
  compilerOptions: { module: "commonjs" },
};

if (process.env.GOVCHAIN_TS_CACHE === "0") {
  require("ts-node").register(options);
} else {
  registerCachedTranspiler();
}

require(path.join(root, "cli", "src", "main.ts"))
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });

function registerCachedTranspiler() {
  // Stack traces point into the TypeScript sources (ts-node appends an inline source map).
  if (typeof process.setSourceMapsEnabled === "function") process.setSourceMapsEnabled(true);
  const cacheDir = path.join(root, "cache", "govchain-cli");
  const salt = [
    require("typescript/package.json").version,
    require("ts-node/package.json").version,
    fs.readFileSync(tsconfig, "utf8"),
    JSON.stringify(options),
  ].join("\0");
  let service;
  const compile = (code, file) => {
    service ??= require("ts-node").create(options);
    return service.compile(code, file);
  };
  require.extensions[".ts"] = (module, file) => {
    const code = fs.readFileSync(file, "utf8");
    const key = crypto.createHash("sha256").update(salt).update("\0").update(file).update("\0").update(code);
    const cached = path.join(cacheDir, `${key.digest("hex")}.js`);
    let output;
    try {
      output = fs.readFileSync(cached, "utf8");
    } catch {
      output = compile(code, file);
      try {
        fs.mkdirSync(cacheDir, { recursive: true });
        const temporary = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, output);
        fs.renameSync(temporary, cached);
      } catch {
        // A read-only checkout still runs, only slower.
      }
    }
    module._compile(output, file);
  };
}
