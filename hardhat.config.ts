import path from "node:path";

import "@nomicfoundation/hardhat-toolbox";
import "@openzeppelin/hardhat-upgrades";
import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/types";

/** The one compiler we ship: the npm `solc` package (solcjs), pinned exactly in package.json. */
const SOLC_VERSION = "0.8.28";

// Compilation must never touch the network: instead of letting Hardhat download a native solc build, hand it the
// solcjs build that npm already installed. Refuse any other version so a stray pragma cannot silently fall back.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(
      `GovChain compiles only with solc ${SOLC_VERSION} (npm package solc); asked for ${args.solcVersion}`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solcjs = require("solc") as { version(): string };
  return {
    compilerPath: path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solcjs.version(),
  };
});

/** Reads an optional environment variable; never a committed secret. */
function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

const besuKey = env("GOVCHAIN_PRIVATE_KEY");

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      // OpenZeppelin 5.x uses `mcopy`; Hardhat would otherwise pick an older default target for this solc.
      evmVersion: "cancun",
      // Registries are deployed once and called millions of times (every issuance, status check and consent
      // check), so we optimise for run time over deployment size. 1,000 runs keeps every implementation well under
      // the 24 KiB code-size limit while taking most of the run-time saving that higher values give.
      optimizer: { enabled: true, runs: 1_000 },
    },
  },
  networks: {
    // The in-process network behaves like our production chain: Cancun rules and free gas (base fee 0).
    hardhat: { hardfork: "cancun", initialBaseFeePerGas: 0 },
    localhost: { url: env("GOVCHAIN_RPC_URL") ?? "http://127.0.0.1:8545" },
    // A permissioned Besu network: free gas (min-gas-price 0), keys signed locally (Besu has no eth_accounts).
    besu: {
      url: env("GOVCHAIN_RPC_URL") ?? "http://127.0.0.1:8545",
      accounts: besuKey ? [besuKey] : [],
      gasPrice: 0,
    },
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: env("REPORT_GAS") !== undefined, currency: "USD", offline: true },
  mocha: { timeout: 120_000 },
};

export default config;
