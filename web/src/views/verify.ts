import { REVOCATION_REASONS } from "../../../sdk/src/utils/certificates";
import {
  checkIntegrity,
  getDisclosedFields,
  hiddenFields,
  readHeader,
} from "../../../sdk/src/utils/documents/certificates";
import {
  HEADER_FIELDS,
  type CertificateHeader,
  type WrappedCertificate,
} from "../../../sdk/src/utils/documents/format";
import { CertificateStatus } from "../../../sdk/src/utils/documents/reader";
import {
  VERIFICATION_CHECKS,
  type VerificationCheck,
  type VerificationResult,
} from "../../../sdk/src/utils/documents/verify";
import { h, hexCode, replaceChildren, type Child } from "../dom";
import { formatTime, t, tDynamic, type MessageKey } from "../i18n";
import { decodeDocumentParam, DOCUMENT_PARAM } from "../links";
import type { TimedEvent } from "../portal";
import { routeHash } from "../router";
import { openCertificate, openedCertificate } from "../state";
import { details, errorBox, errorText, loading, pageHeading, type View, type ViewContext } from "./common";

const HEADER_PATHS = new Set<string>(Object.values(HEADER_FIELDS));
const FIELDS_PREFIX = "fields.";

/** A field path as a label: content fields lose their `fields.` prefix; the holder's get a translated name. */
export function fieldLabel(path: string): string {
  if (path === HEADER_FIELDS.holderId) return t("field.holder");
  if (path === HEADER_FIELDS.holderCommitment) return `${t("field.holder")} (commitment)`;
  return path.startsWith(FIELDS_PREFIX) ? path.slice(FIELDS_PREFIX.length) : path;
}

export function fieldValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The translated revocation reason for the SDK's English text (codes it does not know stay as given). */
export function reasonText(text: string): string {
  const entry = Object.entries(REVOCATION_REASONS).find(([, each]) => each === text);
  return entry ? tDynamic(`reason.${entry[0]}`) : text;
}

/** Reads the picked or dropped file and shows its verification. */
async function openFile(file: File, context: ViewContext, problem: HTMLElement): Promise<void> {
  let document: unknown;
  try {
    document = JSON.parse(await file.text()) as unknown;
  } catch (error) {
    replaceChildren(problem, errorBox(t("verify.notJson", { message: errorText(error) })));
    return;
  }
  openCertificate({ document, fileName: file.name });
  if (location.hash === routeHash("verify")) context.rerender();
  else location.hash = routeHash("verify");
}

function picker(context: ViewContext, problem: HTMLElement): HTMLElement {
  const input = h("input", {
    type: "file",
    id: "certificate-file",
    class: "file-input",
    accept: ".json,application/json",
    onChange: () => {
      const file = input.files?.[0];
      if (file) void openFile(file, context, problem);
    },
  });
  const zone = h(
    "div",
    { class: "dropzone", id: "dropzone" },
    h("p", {}, t("verify.drop")),
    input,
    h("label", { for: "certificate-file", class: "button" }, t("verify.choose")),
  );
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const file = event.dataTransfer?.files[0];
    if (file) void openFile(file, context, problem);
  });
  return zone;
}

/** The sentence shown for a check, in the page's language. */
function checkSentence(check: VerificationCheck, result: VerificationResult, agencyName: string): string {
  if (check.outcome === "skipped") return t("skipped.any");
  if (check.outcome === "failed") return tDynamic(`issue.${check.issues[0].code}`);
  const record = result.chain.record;
  switch (check.name) {
    case "issuance":
      return t("passed.issuance", { date: record ? formatTime(record.issuedAt) : "" });
    case "validity":
      return t("passed.validity", {
        from: record ? formatTime(record.validFrom) : "",
        until: record && record.validUntil !== 0 ? formatTime(record.validUntil) : t("common.never"),
      });
    case "issuer":
      return t("passed.issuer", { agency: agencyName });
    default:
      return t(`passed.${check.name}` as MessageKey);
  }
}

const ICONS = { passed: "✓", failed: "✗", skipped: "–" } as const;

function checksList(result: VerificationResult, agencyName: string): HTMLElement {
  return h(
    "ol",
    { class: "checks", id: "checks" },
    VERIFICATION_CHECKS.map((name) => {
      const check = result.checks[name];
      return h(
        "li",
        { class: `check check-${check.outcome}`, "data-check": name, "data-outcome": check.outcome },
        h("span", { class: "check-icon", "aria-hidden": "true" }, ICONS[check.outcome]),
        h(
          "div",
          { class: "check-body" },
          h(
            "h3",
            {},
            h("span", { class: "check-name" }, tDynamic(`check.${name}`)),
            " ",
            h("span", { class: "check-outcome" }, tDynamic(`outcome.${check.outcome}`)),
          ),
          h("p", {}, checkSentence(check, result, agencyName)),
          check.outcome === "failed"
            ? h(
                "details",
                {},
                h("summary", {}, t("verify.technical")),
                check.issues.map((issue) => h("p", { class: "technical" }, `${issue.code}: ${issue.message}`)),
              )
            : null,
        ),
      );
    }),
  );
}

/** What to do about a failed verification: the first failure decides. */
function advice(result: VerificationResult, history: TimedEvent[], agencyName: string): Child {
  const failed = VERIFICATION_CHECKS.map((name) => result.checks[name]).find((check) => check.outcome === "failed");
  if (!failed) return null;
  const code = failed.issues[0].code;
  let body: Child;
  if (failed.name === "integrity") {
    body = t("advice.tampered");
  } else if (code === "CERTIFICATE_REVOKED") {
    const revoked = [...history].reverse().find((event) => event.kind === "revoked");
    body = t("advice.revoked", {
      date: revoked ? formatTime(revoked.timestamp) : "?",
      reason: reasonText(result.chain.record?.revocationReason ?? ""),
    });
  } else if (code === "CERTIFICATE_SUSPENDED") {
    body = t("advice.suspended", { agency: agencyName });
  } else if (code === "CERTIFICATE_SUPERSEDED" && result.supersededBy) {
    body = [
      t("advice.superseded"),
      " ",
      h(
        "a",
        { href: routeHash("certificate", { id: result.supersededBy }), id: "replacement-link" },
        t("advice.supersededLink"),
      ),
      " (",
      hexCode(result.supersededBy),
      ")",
    ];
  } else if (code === "CERTIFICATE_EXPIRED" || code === "CERTIFICATE_NOT_YET_VALID") {
    body = t("advice.expired");
  } else if (failed.name === "issuance") {
    body = t("advice.notIssued");
  } else if (failed.name === "issuer") {
    body = t("advice.issuer");
  } else {
    body = t("advice.other");
  }
  return h(
    "section",
    { class: "advice", "aria-labelledby": "advice-heading", id: "advice" },
    h("h2", { id: "advice-heading" }, t("verify.whatToDo")),
    h("p", {}, body),
  );
}

/** A certificate's events as a timeline. */
export function timeline(events: TimedEvent[], id = "history"): HTMLElement {
  return h(
    "ol",
    { class: "timeline", id },
    events.map((event) =>
      h(
        "li",
        { "data-kind": event.kind },
        h("time", { datetime: new Date(event.timestamp * 1000).toISOString() }, formatTime(event.timestamp)),
        " ",
        h("strong", {}, tDynamic(`event.${event.kind}`)),
        event.detail ? [" — ", event.kind === "revoked" ? reasonText(event.detail) : hexCode(event.detail)] : null,
        " ",
        h("span", { class: "muted" }, "#", String(event.blockNumber)),
      ),
    ),
  );
}

function fieldsSection(certificate: WrappedCertificate): HTMLElement[] {
  const disclosed = Object.entries(getDisclosedFields(certificate)).filter(
    ([path]) => !HEADER_PATHS.has(path) || path === HEADER_FIELDS.holderId,
  );
  const hidden = hiddenFields(certificate);
  return [
    h(
      "section",
      { "aria-labelledby": "fields-heading" },
      h("h2", { id: "fields-heading" }, t("verify.fields")),
      disclosed.length === 0
        ? h("p", {}, t("verify.noFields"))
        : h(
            "dl",
            { class: "fields", id: "disclosed-fields" },
            disclosed.map(([path, value]) =>
              h("div", { "data-path": path }, h("dt", {}, fieldLabel(path)), h("dd", {}, fieldValue(value))),
            ),
          ),
    ),
    h(
      "section",
      { "aria-labelledby": "hidden-heading" },
      h("h2", { id: "hidden-heading" }, t("verify.hidden")),
      hidden.length === 0
        ? h("p", { id: "hidden-none" }, t("verify.noneHidden"))
        : [
            h("p", { class: "muted" }, t("verify.hiddenNote")),
            h(
              "ul",
              { class: "hidden-fields", id: "hidden-fields" },
              hidden.map((path) => h("li", { "data-path": path }, fieldLabel(path))),
            ),
          ],
    ),
  ];
}

async function renderResult(
  context: ViewContext,
  document: unknown,
  target: HTMLElement,
  source: string,
): Promise<void> {
  const { portal } = context;
  const result = await portal.verify(document);
  const certificate = checkIntegrity(document).certificate;
  const header: CertificateHeader | undefined = certificate ? readHeader(certificate) : undefined;
  const issued = result.checks.issuance.outcome === "passed";
  const [claimedAgency, typeName, history] = await Promise.all([
    header && !result.chain.agency ? portal.agency(header.agencyId) : undefined,
    header && !result.chain.type ? portal.certificateTypeName(header.typeId).catch(() => undefined) : undefined,
    issued && result.certificateId ? portal.history(result.certificateId) : ([] as TimedEvent[]),
  ]);
  const agencyName = result.chain.agency?.name ?? claimedAgency?.name ?? (header ? `#${header.agencyId}` : "");
  const failures = VERIFICATION_CHECKS.map((name) => result.checks[name]).filter((c) => c.outcome === "failed");
  const record = result.chain.record;

  replaceChildren(
    target,
    h(
      "section",
      {
        class: `verdict ${result.valid ? "verdict-valid" : "verdict-invalid"}`,
        id: "verdict",
        "data-valid": String(result.valid),
      },
      h("p", { class: "verdict-icon", "aria-hidden": "true" }, result.valid ? "✓" : "✗"),
      h(
        "div",
        {},
        h("h2", {}, result.valid ? t("verify.valid") : t("verify.invalid")),
        result.valid
          ? h("p", {}, t("verify.validText"))
          : h(
              "ul",
              { class: "verdict-reasons" },
              [...new Set(failures.map((c) => c.issues[0].code))].map((code) => h("li", {}, tDynamic(`issue.${code}`))),
            ),
        h("p", { class: "muted" }, source),
      ),
    ),
    advice(result, history, agencyName),
    h(
      "section",
      { "aria-labelledby": "checks-heading" },
      h("h2", { id: "checks-heading" }, t("verify.checks")),
      checksList(result, agencyName),
    ),
    header
      ? h(
          "section",
          { "aria-labelledby": "details-heading" },
          h("h2", { id: "details-heading" }, t("verify.details")),
          details([
            [t("field.type"), result.chain.type?.name ?? typeName ?? `#${header.typeId}`],
            [
              result.chain.agency ? t("field.agency") : t("field.agencyClaimed"),
              h("span", { id: "agency-name" }, agencyName),
            ],
            [t("field.certificateId"), hexCode(header.certificateId, 10)],
            [t("field.issuedAt"), record && issued ? formatTime(record.issuedAt) : undefined],
            [t("field.validFrom"), record && issued ? formatTime(record.validFrom) : undefined],
            [
              t("field.validUntil"),
              record && issued ? (record.validUntil ? formatTime(record.validUntil) : t("common.never")) : undefined,
            ],
            [
              t("field.status"),
              record && issued ? h("span", { id: "record-status" }, tDynamic(`status.${record.status}`)) : undefined,
            ],
            [
              t("field.reason"),
              record?.status === CertificateStatus.Revoked
                ? h("span", { id: "revocation-reason" }, reasonText(record.revocationReason))
                : undefined,
            ],
          ]),
        )
      : null,
    certificate ? fieldsSection(certificate) : null,
    history.length > 0
      ? h(
          "section",
          { "aria-labelledby": "history-heading" },
          h("h2", { id: "history-heading" }, t("verify.history")),
          timeline(history),
        )
      : null,
    h(
      "p",
      { class: "actions" },
      result.checks.integrity.outcome === "passed"
        ? h("a", { class: "button", href: routeHash("print"), id: "print-link" }, t("verify.print"))
        : null,
      h(
        "button",
        {
          type: "button",
          class: "button button-secondary",
          id: "verify-another",
          onClick: () => {
            openCertificate(undefined);
            if (location.hash === routeHash("verify")) context.rerender();
            else location.hash = routeHash("verify");
          },
        },
        t("verify.another"),
      ),
    ),
  );
}

export const verifyView: View = async (context) => {
  const { root, params } = context;
  const problem = h("div");
  const result = h("div", { id: "verify-result", "aria-live": "polite", "aria-busy": "false" });
  replaceChildren(
    root,
    pageHeading(t("verify.heading")),
    h("p", { class: "lead" }, t("verify.intro")),
    picker(context, problem),
    problem,
    result,
  );

  const param = params.get(DOCUMENT_PARAM);
  let document: unknown;
  let source: string;
  if (param !== null) {
    try {
      document = await decodeDocumentParam(param);
    } catch (error) {
      replaceChildren(result, errorBox(t("verify.badLink", { message: errorText(error) })));
      return;
    }
    // The link's certificate becomes the opened one, so that "print" and a language switch keep it.
    openCertificate({ document, fileName: undefined });
    source = t("verify.source.link");
  } else {
    const opened = openedCertificate();
    if (!opened) {
      replaceChildren(result, h("p", { class: "muted", id: "verify-empty" }, t("verify.empty")));
      return;
    }
    document = opened.document;
    source = opened.fileName ? t("verify.source.file", { name: opened.fileName }) : t("verify.source.link");
  }
  result.setAttribute("aria-busy", "true");
  replaceChildren(result, loading());
  try {
    const target = h("div");
    await renderResult(context, document, target, source);
    if (context.isCurrent()) replaceChildren(result, target);
  } catch (error) {
    if (context.isCurrent()) replaceChildren(result, errorBox(t("common.error", { message: errorText(error) })));
  } finally {
    result.setAttribute("aria-busy", "false");
  }
};
