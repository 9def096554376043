import { isAddress } from "ethers";

import type { ConsentRecord } from "../../../sdk/src/contracts/datasharing";
import {
  agencyRequester,
  enterpriseRequester,
  GrantState,
  Sensitivity,
  type ConsentGrantMessage,
  type ConsentRevocationMessage,
} from "../../../sdk/src/utils/datasharing";
import { h, hexCode, replaceChildren, shortHex, type Child } from "../dom";
import { formatDate, formatTime, t, type MessageKey } from "../i18n";
import type { Portal } from "../portal";
import { routeHash } from "../router";
import { browserWallet, connectWallet, connectedWallet, relay, toJson, type SignedConsentMessage } from "../wallet";
import { errorBox, errorText, loading, pageHeading, table, type View, type ViewContext } from "./common";

/** How long a signed message may wait for its relay. */
const SIGNATURE_LIFETIME_SECONDS = 3_600;
const DAY_SECONDS = 86_400;
const DEFAULT_GRANT_DAYS = 90;

/** The last outcome of a signature (kept across the re-render that follows it). */
let notice: { kind: "ok" | "error"; content: Child } | undefined;

type ShownState = "active" | "expired" | "revoked" | "consumed";

function shownState(consent: ConsentRecord, now: number): ShownState {
  if (consent.state === GrantState.Revoked) return "revoked";
  if (consent.state === GrantState.Consumed) return "consumed";
  return consent.expiresAt !== 0 && consent.expiresAt <= now ? "expired" : "active";
}

async function requesterName(portal: Portal, agencyId: number, account: string): Promise<string> {
  if (agencyId === 0) return t("mydata.enterprise", { account: shortHex(account, 4) });
  return (await portal.agency(agencyId))?.name ?? `#${agencyId}`;
}

function purposeCell(portal: Portal, purpose: string): Child {
  const label = portal.purposeLabel(purpose);
  return label ? h("span", { title: purpose }, label) : hexCode(purpose, 4);
}

/** Signs with the wallet, then relays (or offers the signed message as a file). */
async function submitSigned(
  context: ViewContext,
  sign: () => Promise<SignedConsentMessage>,
  status: HTMLElement,
): Promise<void> {
  const { portal } = context;
  replaceChildren(status, h("p", { class: "loading", role: "status" }, t("mydata.signing")));
  try {
    const signed = await sign();
    if (portal.config.relayUrl) {
      const hash = await relay(portal.config.relayUrl, signed);
      notice = { kind: "ok", content: t("mydata.relayed", { hash: shortHex(hash) }) };
      portal.forget("subject:");
      context.rerender();
    } else {
      const file = new Blob([toJson(signed)], { type: "application/json" });
      const nonce = String(signed.message.nonce);
      replaceChildren(
        status,
        h(
          "p",
          { class: "notice" },
          t("mydata.download"),
          " ",
          h(
            "a",
            {
              href: URL.createObjectURL(file),
              download: `consent-${signed.kind}-${nonce}.json`,
              id: "signed-download",
            },
            t("mydata.downloadLink"),
          ),
        ),
      );
    }
  } catch (error) {
    replaceChildren(status, errorBox(t("mydata.signFailed", { message: errorText(error) })));
  }
}

function revokeButton(context: ViewContext, consent: ConsentRecord, label: string, status: HTMLElement): HTMLElement {
  return h(
    "button",
    {
      type: "button",
      class: "button button-small",
      "data-grant": consent.grantId.toString(),
      "aria-label": label,
      onClick: () =>
        void submitSigned(
          context,
          async () => {
            const wallet = connectedWallet()!;
            const deadline = (await context.portal.now()) + SIGNATURE_LIFETIME_SECONDS;
            const revocation: Omit<ConsentRevocationMessage, "subject" | "nonce"> = {
              requester: consent.requester,
              datasetId: consent.datasetId,
              purpose: consent.purpose,
              deadline,
            };
            const { message, signature } = await context.portal.client.dataSharing.signRevocation(
              wallet.signer,
              revocation,
            );
            return { kind: "revocation", message: { ...message }, signature };
          },
          status,
        ),
    },
    t("mydata.revoke"),
  );
}

async function grantForm(context: ViewContext, status: HTMLElement): Promise<HTMLElement> {
  const { portal } = context;
  const [datasets, agencies, now] = await Promise.all([portal.datasets(), portal.agencies(), portal.now()]);
  // Consent applies to personal data only; the registry refuses it for public and internal datasets.
  const open = datasets.filter((dataset) => !dataset.withdrawn && dataset.sensitivity >= Sensitivity.Personal);
  const datasetSelect = h(
    "select",
    { id: "grant-dataset", name: "dataset", required: true },
    open.map((dataset) => h("option", { value: dataset.id }, dataset.title)),
  );
  const purposeSelect = h("select", { id: "grant-purpose", name: "purpose", required: true });
  const fillPurposes = (): void => {
    const dataset = open.find((each) => String(each.id) === datasetSelect.value);
    replaceChildren(
      purposeSelect,
      (dataset?.purposes ?? []).map((code) =>
        h("option", { value: code }, portal.purposeLabel(code) ?? shortHex(code)),
      ),
    );
  };
  datasetSelect.addEventListener("change", fillPurposes);
  fillPurposes();
  const agencySelect = h(
    "select",
    { id: "grant-agency", name: "agency" },
    h("option", { value: "" }, t("mydata.requesterNone")),
    agencies.map((agency) => h("option", { value: agency.id }, agency.name)),
  );
  const enterprise = h("input", {
    id: "grant-enterprise",
    name: "enterprise",
    type: "text",
    inputmode: "text",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "0x…",
  });
  const defaultExpiry = new Date((now + DEFAULT_GRANT_DAYS * DAY_SECONDS) * 1000).toISOString().slice(0, 10);
  const expires = h("input", {
    id: "grant-expires",
    name: "expires",
    type: "date",
    value: defaultExpiry,
    required: true,
  });
  const singleUse = h("input", { id: "grant-single-use", name: "singleUse", type: "checkbox" });

  const form = h(
    "form",
    { class: "form grant-form", id: "grant-form", novalidate: true },
    h("p", { class: "muted" }, t("mydata.grantHelp")),
    h("div", { class: "field" }, h("label", { for: "grant-dataset" }, t("mydata.dataset")), datasetSelect),
    h("div", { class: "field" }, h("label", { for: "grant-purpose" }, t("mydata.purpose")), purposeSelect),
    h("div", { class: "field" }, h("label", { for: "grant-agency" }, t("mydata.requesterAgency")), agencySelect),
    h("div", { class: "field" }, h("label", { for: "grant-enterprise" }, t("mydata.requesterEnterprise")), enterprise),
    h("div", { class: "field" }, h("label", { for: "grant-expires" }, t("mydata.expiresAt")), expires),
    h("div", { class: "checkbox" }, singleUse, h("label", { for: "grant-single-use" }, t("mydata.singleUse"))),
    h(
      "p",
      { class: "actions" },
      h("button", { type: "submit", class: "button", id: "grant-submit" }, t("mydata.sign")),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const datasetId = Number(datasetSelect.value);
    const purpose = purposeSelect.value;
    const enterpriseAccount = enterprise.value.trim();
    let requester: bigint | undefined;
    if (agencySelect.value) requester = agencyRequester(Number(agencySelect.value));
    else if (isAddress(enterpriseAccount)) requester = enterpriseRequester(enterpriseAccount);
    const expiresAt = Math.floor(Date.parse(`${expires.value}T23:59:59Z`) / 1000);
    if (!datasetId || !purpose || requester === undefined || !Number.isFinite(expiresAt)) {
      replaceChildren(status, errorBox(t("mydata.datasetRequired")));
      return;
    }
    void submitSigned(
      context,
      async () => {
        const wallet = connectedWallet()!;
        const grant: Omit<ConsentGrantMessage, "subject" | "nonce"> = {
          requester,
          datasetId,
          purpose,
          expiresAt,
          singleUse: singleUse.checked,
          deadline: (await portal.now()) + SIGNATURE_LIFETIME_SECONDS,
        };
        const { message, signature } = await portal.client.dataSharing.signConsent(wallet.signer, grant);
        return { kind: "grant", message: { ...message }, signature };
      },
      status,
    );
  });
  return form;
}

async function subjectData(context: ViewContext, subject: string, status: HTMLElement): Promise<Child[]> {
  const { portal } = context;
  const [consents, receipts, now] = await Promise.all([
    portal.consentsOf(subject),
    portal.receiptsOf(subject),
    portal.now(),
  ]);
  const wallet = connectedWallet();
  const canAct = wallet !== undefined && wallet.account.toLowerCase() === subject.toLowerCase();
  const datasetTitle = async (id: number): Promise<string> => (await portal.dataset(id))?.title ?? `#${id}`;

  const rows = await Promise.all(
    consents.map(async (consent) => ({
      consent,
      state: shownState(consent, now),
      dataset: await datasetTitle(consent.datasetId),
      requester: await requesterName(portal, consent.requesterAgencyId, consent.requesterAccount),
    })),
  );
  const expiry = (consent: ConsentRecord): Child => [
    consent.expiresAt ? formatDate(consent.expiresAt) : t("common.never"),
    consent.singleUse ? [" (", t("mydata.singleUse"), ")"] : null,
  ];
  const active = rows.filter((row) => row.state === "active");
  const past = rows.filter((row) => row.state !== "active");
  const receiptRows = await Promise.all(
    receipts.map(async (receipt) => [
      h("time", {}, formatTime(await portal.blockTime(receipt.blockNumber))),
      await datasetTitle(receipt.datasetId),
      await requesterName(portal, receipt.requesterAgencyId, receipt.requesterAccount),
      purposeCell(portal, receipt.purpose),
      hexCode(receipt.recordHash, 4),
    ]),
  );

  const headers = [t("mydata.dataset"), t("mydata.requester"), t("mydata.purpose"), t("mydata.expires")];
  return [
    h(
      "section",
      { "aria-labelledby": "active-heading" },
      h("h2", { id: "active-heading" }, t("mydata.active"), " ", h("span", { class: "count" }, String(active.length))),
      active.length === 0
        ? h("p", { class: "muted" }, t("mydata.noActive"))
        : table(
            t("mydata.active"),
            canAct ? [...headers, t("mydata.actions")] : headers,
            active.map(({ consent, dataset, requester }) => {
              const row: Child[] = [dataset, requester, purposeCell(portal, consent.purpose), expiry(consent)];
              if (canAct) {
                row.push(revokeButton(context, consent, t("mydata.revokeLabel", { dataset, requester }), status));
              }
              return row;
            }),
            "active-grants",
          ),
    ),
    h(
      "section",
      { "aria-labelledby": "past-heading" },
      h("h2", { id: "past-heading" }, t("mydata.past"), " ", h("span", { class: "count" }, String(past.length))),
      past.length === 0
        ? h("p", { class: "muted" }, t("mydata.noPast"))
        : table(
            t("mydata.past"),
            [...headers, t("mydata.state")],
            past.map(({ consent, dataset, requester, state }) => [
              dataset,
              requester,
              purposeCell(portal, consent.purpose),
              expiry(consent),
              h(
                "span",
                { class: `badge badge-${state}`, "data-state": state },
                t(`mydata.state.${state}` as MessageKey),
              ),
            ]),
            "past-grants",
          ),
    ),
    h(
      "section",
      { "aria-labelledby": "receipts-heading" },
      h(
        "h2",
        { id: "receipts-heading" },
        t("mydata.receipts"),
        " ",
        h("span", { class: "count" }, String(receipts.length)),
      ),
      receipts.length === 0
        ? h("p", { class: "muted" }, t("mydata.noReceipts"))
        : table(
            t("mydata.receipts"),
            [t("mydata.when"), t("mydata.dataset"), t("mydata.requester"), t("mydata.purpose"), t("mydata.record")],
            receiptRows,
            "receipts",
          ),
    ),
    canAct
      ? h(
          "section",
          { "aria-labelledby": "grant-heading" },
          h("h2", { id: "grant-heading" }, t("mydata.grant")),
          await grantForm(context, status),
        )
      : null,
  ];
}

export const myDataView: View = async (context) => {
  const { root, params } = context;
  const subject = (params.get("subject") ?? "").trim();
  const input = h("input", {
    id: "subject",
    name: "subject",
    type: "text",
    value: subject,
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "0x…",
    required: true,
  });
  const form = h(
    "form",
    { class: "form inline-form", id: "subject-form", role: "search" },
    h("div", { class: "field" }, h("label", { for: "subject" }, t("mydata.subject")), input),
    h("button", { type: "submit", class: "button" }, t("mydata.show")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = routeHash("mydata", { subject: input.value.trim() });
  });

  const wallet = connectedWallet();
  const walletBox = h("div", { class: "wallet", id: "wallet" });
  if (wallet) {
    walletBox.append(h("p", { id: "wallet-account" }, t("mydata.connected", { account: wallet.account })));
    if (subject && wallet.account.toLowerCase() !== subject.toLowerCase()) {
      walletBox.append(h("p", { class: "muted" }, t("mydata.wrongAccount", { account: wallet.account })));
    }
  } else if (browserWallet()) {
    walletBox.append(
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary",
          id: "connect-wallet",
          onClick: async () => {
            try {
              const account = await connectWallet();
              const target = routeHash("mydata", { subject: account });
              if (location.hash === target) context.rerender();
              else location.hash = target;
            } catch (error) {
              replaceChildren(status, errorBox(errorText(error)));
            }
          },
        },
        t("mydata.connect"),
      ),
    );
  } else {
    walletBox.append(h("p", { class: "muted", id: "no-wallet" }, t("mydata.noWallet")));
  }

  const status = h("div", { id: "mydata-status", "aria-live": "polite" });
  if (notice) {
    status.append(
      h(
        "p",
        { class: `notice ${notice.kind === "ok" ? "notice-ok" : "notice-error"}`, role: "status" },
        notice.content,
      ),
    );
    notice = undefined;
  }
  const results = h("div", { id: "mydata-results", "aria-live": "polite" });
  replaceChildren(
    root,
    pageHeading(t("mydata.heading")),
    h("p", { class: "lead" }, t("mydata.intro")),
    form,
    walletBox,
    status,
    results,
  );
  if (!subject) return;
  if (!isAddress(subject)) {
    replaceChildren(results, errorBox(t("mydata.badAddress")));
    return;
  }
  replaceChildren(results, loading());
  try {
    const content = await subjectData(context, subject, status);
    if (context.isCurrent()) replaceChildren(results, content);
  } catch (error) {
    if (context.isCurrent()) replaceChildren(results, errorBox(t("common.error", { message: errorText(error) })));
  }
};
