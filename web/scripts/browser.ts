import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import type { HDNodeWallet, TypedDataField } from "ethers";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/**
 * Debian's Chromium driven by playwright-core, for the portal's browser tests and screenshots. A fresh profile per
 * run, no network beyond loopback, and an optional fake EIP-1193 wallet whose keys stay in Node.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-quic",
  "--no-first-run",
  "--disable-sync",
];

export interface PortalBrowser {
  context: BrowserContext;
  newPage: (options?: { wallet?: HDNodeWallet; rpcUrl?: string }) => Promise<Page>;
  close: () => Promise<void>;
}

/** Launches Chromium with a fresh user-data dir (a persistent context is how playwright passes one). */
export async function launchPortalBrowser(
  options: { viewport?: { width: number; height: number }; locale?: string; deviceScaleFactor?: number } = {},
): Promise<PortalBrowser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "govchain-portal-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    locale: options.locale ?? "en-US",
    timezoneId: "Asia/Shanghai",
    acceptDownloads: true,
  });
  return {
    context,
    newPage: async ({ wallet, rpcUrl } = {}) => {
      const page = await context.newPage();
      if (wallet) await installFakeWallet(page, wallet, rpcUrl);
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

interface TypedDataPayload {
  domain: Record<string, unknown>;
  types: Record<string, TypedDataField[]>;
  message: Record<string, unknown>;
}

/**
 * Gives the page a `window.ethereum` (EIP-1193) backed by a development wallet in Node: the page asks for accounts
 * and typed-data signatures (`eth_signTypedData_v4`) as it would from a browser wallet; other calls go to the node.
 */
export async function installFakeWallet(page: Page, wallet: HDNodeWallet, rpcUrl?: string): Promise<void> {
  await page.exposeFunction("__govchainDevWallet", async (method: string, params: unknown[]): Promise<unknown> => {
    switch (method) {
      case "eth_requestAccounts":
      case "eth_accounts":
        return [wallet.address];
      case "eth_signTypedData_v4": {
        const [account, json] = params as [string, string];
        if (account.toLowerCase() !== wallet.address.toLowerCase()) throw new Error(`unknown account ${account}`);
        const { domain, types, message } = JSON.parse(json) as TypedDataPayload;
        const { EIP712Domain: _domain, ...rest } = types;
        return wallet.signTypedData(domain, rest, message);
      }
      default: {
        if (!rpcUrl) throw new Error(`the development wallet does not answer ${method}`);
        const response = await fetch(rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        });
        const body = (await response.json()) as { result?: unknown; error?: { message: string } };
        if (body.error) throw new Error(body.error.message);
        return body.result;
      }
    }
  });
  await page.addInitScript(() => {
    const bridge = (window as unknown as { __govchainDevWallet: (m: string, p: unknown[]) => Promise<unknown> })
      .__govchainDevWallet;
    (window as unknown as { ethereum: unknown }).ethereum = {
      isGovChainDevWallet: true,
      request: ({ method, params }: { method: string; params?: unknown[] }) => bridge(method, params ?? []),
      on: () => undefined,
      removeListener: () => undefined,
    };
  });
}
