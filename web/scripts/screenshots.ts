import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Page } from "playwright-core";

import { DEMO_ACCOUNTS, devWallet } from "../../scripts/demo/accounts";
import { encodeDocumentParam } from "../src/links";
import { launchPortalBrowser } from "./browser";
import { buildPortal } from "./build";
import { DEMO_PURPOSES, RELAYER_ACCOUNT, startPortalDemo } from "./demo";
import { startPortalServer } from "./serve";

/**
 * `npm run screenshots`: builds the portal, starts the demonstration chain, and writes a PNG of every screen to
 * web/screenshots/ (desktop, phone and Chinese), so that a reviewer can see the pages without running them.
 */

const OUT_DIR = path.join(__dirname, "..", "screenshots");
const PHONE = { width: 375, height: 812 };

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  console.log("building the portal and starting the demonstration chain…");
  const [demo] = await Promise.all([startPortalDemo(), buildPortal()]);
  const server = await startPortalServer({
    rpcUrl: demo.chain.rpcUrl,
    manifest: demo.manifest,
    relaySigner: devWallet(RELAYER_ACCOUNT),
    purposeLabels: DEMO_PURPOSES,
  });
  const browser = await launchPortalBrowser();
  try {
    const link = async (document: unknown) => `#/verify?doc=${await encodeDocumentParam(document)}`;
    const shoot = async (page: Page, hash: string, name: string, prepare?: (page: Page) => Promise<void>) => {
      await page.goto("about:blank");
      await page.goto(`${server.url}${hash}`);
      await page.waitForSelector("body[data-ready=true]");
      await prepare?.(page);
      await page.waitForSelector("body[data-ready=true]");
      const file = path.join(OUT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`  ${path.relative(process.cwd(), file)}`);
    };
    const { certificates, summary } = demo;
    const apartment = `#/title?parcel=${encodeURIComponent(summary.titles.apartment)}`;
    const shop = `#/title?parcel=${encodeURIComponent(summary.titles.shop)}`;

    const page = await browser.newPage();
    await shoot(page, "#/verify", "01-verify-start");
    await shoot(page, await link(certificates.valid), "02-verify-valid");
    await shoot(page, await link(certificates.tampered), "03-verify-tampered");
    await shoot(page, await link(certificates.revoked), "04-verify-revoked");
    await shoot(page, await link(certificates.superseded), "05-verify-superseded");
    await shoot(page, `#/certificate?id=${certificates.replacement.proof.certificateId}`, "06-certificate-record");
    await shoot(page, await link(certificates.partial), "07-verify-partially-disclosed");
    await shoot(page, `#/print?doc=${await encodeDocumentParam(certificates.valid)}`, "08-print-with-qr", async (p) => {
      await p.check('input[data-path="fields.legalRepresentative"]');
      await p.waitForFunction(() => document.querySelector("#sheet")?.textContent?.includes("hidden by the holder"));
    });
    await shoot(page, apartment, "09-title-mortgaged");
    await shoot(page, shop, "10-title-frozen");
    await shoot(page, `#/mydata?subject=${demo.subject}`, "11-mydata-read-only");

    const wallet = await browser.newPage({ wallet: devWallet(DEMO_ACCOUNTS.citizenZhang), rpcUrl: demo.chain.rpcUrl });
    await shoot(wallet, "#/mydata", "12-mydata-wallet-connected", async (p) => {
      await p.click("#connect-wallet");
      await p.waitForSelector("#grant-form");
    });
    await wallet.close();

    await page.click("#lang-switch");
    await shoot(page, await link(certificates.revoked), "13-zh-verify-revoked");
    await shoot(page, apartment, "14-zh-title-mortgaged");
    await shoot(page, `#/mydata?subject=${demo.subject}`, "15-zh-mydata");
    await page.click("#lang-switch");
    await page.close();

    const phone = await browser.newPage();
    await phone.setViewportSize(PHONE);
    await shoot(phone, await link(certificates.valid), "16-phone-verify-valid");
    await shoot(phone, shop, "17-phone-title-frozen");
    await shoot(phone, `#/mydata?subject=${demo.subject}`, "18-phone-mydata");
  } finally {
    await browser.close();
    await server.close();
    await demo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
