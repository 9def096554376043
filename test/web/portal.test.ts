import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import jsQR from "jsqr";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";

import { GovChainClient } from "../../sdk/src/client";
import { GrantState, purposeCode } from "../../sdk/src/utils/datasharing";
import { hiddenFields } from "../../sdk/src/utils/documents/certificates";
import type { WrappedCertificate } from "../../sdk/src/utils/documents/format";
import { DEMO_ACCOUNTS, devWallet } from "../../scripts/demo/accounts";
import { buildPortal } from "../../web/scripts/build";
import { CHROMIUM_PATH, launchPortalBrowser, type PortalBrowser } from "../../web/scripts/browser";
import { DEMO_PURPOSES, RELAYER_ACCOUNT, startPortalDemo, type PortalDemo } from "../../web/scripts/demo";
import { startPortalServer, type PortalServer } from "../../web/scripts/serve";
import { decodeDocumentParam, encodeDocumentParam } from "../../web/src/links";

describe("Verification portal in Chromium", function () {
  this.timeout(120_000);

  let outDir: string;
  let demo: PortalDemo | undefined;
  let reader: GovChainClient;
  /** Agency names by the demo's keys (marketRegulation, bank, tax, court, …). */
  const names: Record<string, string> = {};
  let server: PortalServer | undefined;
  let browser: PortalBrowser | undefined;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM_PATH)) {
      console.warn(`    (skipped: no Chromium at ${CHROMIUM_PATH})`);
      this.skip();
    }
    outDir = mkdtempSync(path.join(os.tmpdir(), "govchain-portal-dist-"));
    [demo] = await Promise.all([startPortalDemo(), buildPortal(outDir)]);
    reader = await GovChainClient.connect({ manifest: demo!.manifest, rpcUrl: demo!.chain.rpcUrl });
    for (const [key, id] of Object.entries(demo!.summary.agencies))
      names[key] = (await reader.directory.agency(id))!.name;
    server = await startPortalServer({
      rpcUrl: demo!.chain.rpcUrl,
      manifest: demo!.manifest,
      root: outDir,
      relaySigner: devWallet(RELAYER_ACCOUNT),
      purposeLabels: DEMO_PURPOSES,
    });
    browser = await launchPortalBrowser();
    page = await browser.newPage();
  });

  after(async function () {
    await browser?.close();
    await server?.close();
    await demo?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** Opens a route and waits until the view has finished reading the chain. */
  async function open(target: Page, hash: string): Promise<void> {
    // A fresh document each time: going to another hash of the same page would not reload it.
    await target.goto("about:blank");
    await target.goto(`${server!.url}${hash}`);
    await target.waitForSelector("body[data-ready=true]");
  }

  async function verifyLink(certificate: unknown, target: Page = page): Promise<void> {
    await open(target, `#/verify?doc=${await encodeDocumentParam(certificate)}`);
    await target.waitForSelector("#verdict");
  }

  async function outcomes(target: Page = page): Promise<Record<string, string | null>> {
    const checks = target.locator("#checks > li");
    const result: Record<string, string | null> = {};
    for (let i = 0; i < (await checks.count()); i++) {
      const check = checks.nth(i);
      result[(await check.getAttribute("data-check"))!] = await check.getAttribute("data-outcome");
    }
    return result;
  }

  function file(certificate: WrappedCertificate, name: string) {
    return { name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(certificate, null, 2)) };
  }

  it("verifies a valid certificate picked from a file, with every check, the agency and the disclosed fields", async function () {
    await open(page, "#/verify");
    await page.setInputFiles("#certificate-file", file(demo!.certificates.valid, "licence.json"));
    await page.waitForSelector("#verdict");
    expect(await page.getAttribute("#verdict", "data-valid")).to.equal("true");
    expect(await page.textContent("#verdict h2")).to.equal("Valid certificate");
    expect(await outcomes()).to.deep.equal({
      integrity: "passed",
      issuance: "passed",
      status: "passed",
      validity: "passed",
      issuer: "passed",
    });
    expect(await page.locator("#checks .check-name").allTextContents()).to.deep.equal([
      "Integrity",
      "Issuance",
      "Status",
      "Validity period",
      "Issuer identity",
    ]);
    expect(await page.textContent("#agency-name")).to.equal(names.marketRegulation);
    expect(await page.textContent("#disclosed-fields")).to.contain("上海示例科技有限公司");
    expect(await page.textContent("#disclosed-fields")).to.contain("91310000MA1FL8TQ49");
    expect(await page.textContent("#hidden-none")).to.contain("Nothing is hidden");
    expect(await page.locator("#history li").getAttribute("data-kind")).to.equal("issued");
    expect(await page.textContent("#verdict")).to.contain("File: licence.json");
  });

  it("fails a tampered certificate on integrity, skips the chain checks and says not to rely on it", async function () {
    await verifyLink(demo!.certificates.tampered);
    expect(await page.getAttribute("#verdict", "data-valid")).to.equal("false");
    expect(await outcomes()).to.deep.equal({
      integrity: "failed",
      issuance: "skipped",
      status: "skipped",
      validity: "skipped",
      issuer: "skipped",
    });
    expect(await page.textContent("#verdict")).to.contain("altered after it was issued");
    expect(await page.textContent("#advice")).to.contain("Do not rely on this document");
    // The agency is what the document claims, labelled as such.
    expect(await page.textContent(".facts")).to.contain("as the document claims, not confirmed");
    expect(await page.locator("#print-link").count()).to.equal(0);
  });

  it("shows why and when a revoked certificate was revoked", async function () {
    await verifyLink(demo!.certificates.revoked);
    expect(await page.getAttribute("#verdict", "data-valid")).to.equal("false");
    expect((await outcomes()).status).to.equal("failed");
    expect(await page.textContent("#revocation-reason")).to.equal("obtained by fraud");
    const advice = (await page.textContent("#advice"))!;
    expect(advice).to.match(/Revoked on .*2\d{3}.*Reason: obtained by fraud/);
    expect(await page.locator("#history li").evaluateAll((items) => items.map((li) => li.dataset.kind))).to.deep.equal([
      "issued",
      "revoked",
    ]);
  });

  it("links a superseded certificate to the record of its replacement", async function () {
    await verifyLink(demo!.certificates.superseded);
    expect((await outcomes()).status).to.equal("failed");
    await page.click("#replacement-link");
    await page.waitForSelector("#record-status");
    expect(page.url()).to.contain(demo!.certificates.replacement.proof.certificateId);
    expect(await page.textContent("#record-status")).to.equal("in force");
    expect(await page.textContent("main")).to.contain(names.marketRegulation);
  });

  it("verifies a partially disclosed certificate and lists the fields the holder hid", async function () {
    await verifyLink(demo!.certificates.partial);
    expect(await page.getAttribute("#verdict", "data-valid")).to.equal("true");
    expect(
      await page.locator("#hidden-fields li").evaluateAll((items) => items.map((li) => li.dataset.path)),
    ).to.deep.equal(["fields.spouseA.idNumber", "fields.spouseB.idNumber", "holder.id"]);
    const disclosed = (await page.textContent("#disclosed-fields"))!;
    expect(disclosed).to.contain("spouseA.name");
    expect(disclosed).to.contain("李四");
    expect(disclosed).not.to.contain("310104199001011233");
    expect(await page.textContent("#agency-name")).to.equal(names.civilAffairs);
  });

  it("prints a certificate with a QR code that opens its verification, hiding what the holder chose", async function () {
    await open(page, `#/print?doc=${await encodeDocumentParam(demo!.certificates.valid)}`);
    await page.check('input[data-path="fields.legalRepresentative"]');
    await page.waitForFunction(() =>
      document.querySelector("#sheet")?.textContent?.includes("1 field(s) hidden by the holder"),
    );
    await page.waitForSelector("#qr svg");
    const png = PNG.sync.read(await page.screenshot({ fullPage: true }));
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(code, "the QR code in the screenshot decodes").to.not.equal(null);
    const link = code!.data;
    expect(link.startsWith(`${server!.url}#/verify?doc=`)).to.be.true;
    const carried = (await decodeDocumentParam(new URL(link).hash.split("doc=")[1])) as WrappedCertificate;
    expect(carried.proof.certificateId).to.equal(demo!.certificates.valid.proof.certificateId);
    expect(hiddenFields(carried)).to.deep.equal(["fields.legalRepresentative"]);

    const scanned = await browser!.newPage();
    await scanned.goto(link);
    await scanned.waitForSelector("#verdict");
    expect(await scanned.getAttribute("#verdict", "data-valid")).to.equal("true");
    expect(await scanned.textContent("#hidden-fields")).to.contain("legalRepresentative");
    await scanned.close();
  });

  it("switches to Chinese, updates the lang attribute and remembers the choice", async function () {
    await verifyLink(demo!.certificates.revoked);
    await page.click("#lang-switch");
    expect(await page.getAttribute("html", "lang")).to.equal("zh-CN");
    await page.waitForSelector("#verdict");
    expect(await page.textContent("h1")).to.equal("核验证照");
    expect(await page.textContent("#verdict h2")).to.equal("证照无效");
    expect(await page.textContent("#revocation-reason")).to.equal("以欺诈手段取得");
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal("lang-switch");
    await page.reload();
    await page.waitForSelector("#verdict");
    expect(await page.getAttribute("html", "lang")).to.equal("zh-CN");
    await page.click("#lang-switch");
    expect(await page.getAttribute("html", "lang")).to.equal("en");
  });

  it("reaches the language switch, the navigation and the file picker with the keyboard", async function () {
    await open(page, "#/verify");
    const reached: string[] = [];
    for (let i = 0; i < 12 && !reached.includes("certificate-file"); i++) {
      await page.keyboard.press("Tab");
      reached.push(
        await page.evaluate(() => {
          const active = document.activeElement as HTMLElement | null;
          return active?.id || active?.textContent?.trim() || "";
        }),
      );
    }
    expect(reached).to.include.members(["Skip to content", "lang-switch", "My data", "certificate-file"]);
    // The visually hidden input shows its focus on its label.
    const outline = await page.evaluate(
      () => getComputedStyle(document.querySelector('label[for="certificate-file"]')!).outlineStyle,
    );
    expect(outline).to.equal("solid");
    // Enter on a navigation link follows it.
    await page.focus('nav a[href="#/mydata"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector("#subject");
    expect(page.url()).to.contain("#/mydata");
  });

  it("looks up a mortgaged title by parcel number: co-owners and shares, the lien and the full history", async function () {
    await open(page, "#/title");
    await page.fill("#parcel", demo!.summary.titles.apartment);
    await page.press("#parcel", "Enter");
    await page.waitForSelector("#title-summary");
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.textContent("#title-summary h2")).to.equal(demo!.summary.titles.apartment);
    expect(await page.locator("#badge-mortgaged").count()).to.equal(1);
    expect(await page.locator("#badge-frozen").count()).to.equal(0);
    const owners = await page
      .locator("#owners tbody tr")
      .evaluateAll((rows) => rows.map((row) => Array.from(row.children, (cell) => cell.textContent)));
    expect(owners).to.deep.equal([
      [devWallet(DEMO_ACCOUNTS.citizenLi).address, "50%"],
      [devWallet(DEMO_ACCOUNTS.enterprise).address, "50%"],
    ]);
    const lien = (await page.textContent("#liens tbody tr"))!;
    expect(lien).to.contain(names.bank);
    expect(lien).to.contain("in force");
    expect(lien).to.contain("3,000,000.00");
    expect(await page.textContent("#no-freezes")).to.contain("No court freezes");
    const events = await page.locator("#title-history li").evaluateAll((items) => items.map((li) => li.dataset.event));
    expect(events).to.include.members([
      "TitleRegistered",
      "OwnershipRegistered",
      "TransferProposed",
      "TransferAccepted",
      "LienConsented",
      "LienRegistered",
    ]);
    expect(events.filter((e) => e === "OwnershipRegistered")).to.have.length(2);
  });

  it("shows a court freeze on a title, with the court and when it took effect", async function () {
    await open(page, `#/title?parcel=${encodeURIComponent(demo!.summary.titles.shop)}`);
    await page.waitForSelector("#title-summary");
    expect(await page.locator("#badge-frozen").count()).to.equal(1);
    const freeze = (await page.textContent("#freezes tbody tr"))!;
    expect(freeze).to.contain(names.court);
    expect(freeze).to.contain("in force");
    expect(await page.textContent("#no-liens")).to.contain("No liens");
    const events = await page.locator("#title-history li").evaluateAll((items) => items.map((li) => li.dataset.event));
    expect(events).to.include.members(["TitleRegistered", "SeizureFiled"]);
    await open(page, "#/title?parcel=NO-SUCH-PARCEL");
    expect(await page.textContent("#title-not-found")).to.contain("NO-SUCH-PARCEL");
  });

  it("fits a 375 px phone screen without horizontal scrolling", async function () {
    const phone = await browser!.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    const pages = [
      `#/verify?doc=${await encodeDocumentParam(demo!.certificates.partial)}`,
      `#/print?doc=${await encodeDocumentParam(demo!.certificates.valid)}`,
      `#/mydata?subject=${demo!.subject}`,
      `#/title?parcel=${encodeURIComponent(demo!.summary.titles.apartment)}`,
    ];
    for (const hash of pages) {
      await open(phone, hash);
      const { scroll, client } = await phone.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(scroll, hash.slice(0, 12)).to.be.at.most(client);
    }
    await phone.close();
  });

  it("lists a subject's active and past consents and every access receipt, read-only without a wallet", async function () {
    await open(page, `#/mydata?subject=${demo!.subject}`);
    expect(await page.locator("#no-wallet").count()).to.equal(1);
    const active = page.locator("#active-grants tbody tr");
    expect(await active.count()).to.equal(2);
    expect(await page.textContent("#active-grants")).to.contain(names.bank);
    expect(await page.textContent("#active-grants")).to.contain(names.tax);
    expect(await page.textContent("#active-grants")).to.contain("loan-application");
    expect(await page.locator("#active-grants button").count()).to.equal(0);
    const states = await page
      .locator("#past-grants [data-state]")
      .evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).dataset.state));
    expect(states.sort()).to.deep.equal(["consumed", "expired", "revoked"]);
    expect(await page.locator("#receipts tbody tr").count()).to.equal(3);
    expect(await page.textContent("#receipts")).to.contain("Marriage registration records");
  });

  it("withdraws and grants consents signed in a browser wallet (EIP-712) and relayed", async function () {
    const withWallet = await browser!.newPage({
      wallet: devWallet(DEMO_ACCOUNTS.citizenZhang),
      rpcUrl: demo!.chain.rpcUrl,
    });
    await open(withWallet, "#/mydata");
    await withWallet.click("#connect-wallet");
    await withWallet.waitForSelector("#active-grants button");
    expect(await withWallet.textContent("#wallet-account")).to.contain(demo!.subject);
    const before = await reader.dataSharing.consentsOf(demo!.subject);
    const target = before.find(
      (c) => c.requesterAgencyId === demo!.revocable.requesterAgencyId && c.purpose === demo!.revocable.purpose,
    )!;
    expect(target.state).to.equal(GrantState.Active);

    await withWallet.click(`#active-grants button[data-grant="${target.grantId}"]`);
    await withWallet.waitForSelector("#mydata-status .notice-ok");
    await withWallet.waitForSelector("body[data-ready=true]");
    const after = await reader.dataSharing.consentsOf(demo!.subject);
    expect(after.find((c) => c.grantId === target.grantId)!.state).to.equal(GrantState.Revoked);
    expect(await withWallet.locator("#active-grants tbody tr").count()).to.equal(1);

    await withWallet.selectOption("#grant-purpose", purposeCode("housing-purchase"));
    await withWallet.selectOption("#grant-agency", String(demo!.summary.agencies.marketRegulation));
    await withWallet.click("#grant-submit");
    await withWallet.waitForSelector("#mydata-status .notice-ok");
    await withWallet.waitForSelector("body[data-ready=true]");
    const granted = (await reader.dataSharing.consentsOf(demo!.subject)).filter(
      (c) => c.state === GrantState.Active && c.purpose === purposeCode("housing-purchase"),
    );
    expect(granted.map((c) => c.requesterAgencyId)).to.include(demo!.summary.agencies.marketRegulation);
    expect(await withWallet.locator("#active-grants tbody tr").count()).to.equal(2);
    await withWallet.close();
  });
});
