import { create as qrCreate, toString as qrSvg, type QRCodeErrorCorrectionLevel } from "qrcode";

import {
  checkIntegrity,
  disclose,
  getDisclosedFields,
  hiddenFields,
  readHeader,
} from "../../../sdk/src/utils/documents/certificates";
import { HEADER_FIELDS, type WrappedCertificate } from "../../../sdk/src/utils/documents/format";
import { h, hexCode, replaceChildren } from "../dom";
import { formatDate, t } from "../i18n";
import { decodeDocumentParam, DOCUMENT_PARAM, encodeDocumentParam, verificationLink } from "../links";
import { routeHash } from "../router";
import { openCertificate, openedCertificate } from "../state";
import { errorBox, errorText, pageHeading, type View } from "./common";
import { fieldLabel, fieldValue } from "./verify";

/** Fields the holder chose to hide before printing, per certificate id (kept while the tab is open). */
const hiddenForPrint = new Map<string, Set<string>>();

/** The holder section hides the holder id and its commitment together. */
const HOLDER_SECTION = "holder";

/** Above this QR version (117 modules a side) medium error correction makes the code too dense to scan well. */
const DENSE_QR_VERSION = 25;
/** White modules around the code, as the QR standard asks. */
const QR_MARGIN = 4;
/** CSS pixels per module on screen: a whole number keeps every module the same size, which scanners like. */
const QR_MODULE_PX = 3;

/**
 * The QR code of a link as SVG: medium error correction (survives a crease or a stain) while the code stays
 * reasonably coarse, low when that keeps it smaller; undefined when the link does not fit in a QR code at all.
 */
async function qrCode(link: string): Promise<{ svg: string; modules: number } | undefined> {
  let chosen: { level: QRCodeErrorCorrectionLevel; modules: number } | undefined;
  for (const level of ["M", "L"] as const) {
    try {
      const { version, modules } = qrCreate(link, { errorCorrectionLevel: level });
      chosen = { level, modules: modules.size + 2 * QR_MARGIN };
      if (version <= DENSE_QR_VERSION) break;
    } catch {
      // Too much data for this level.
    }
  }
  if (!chosen) return undefined;
  const svg = await qrSvg(link, { type: "svg", errorCorrectionLevel: chosen.level, margin: QR_MARGIN });
  return { svg, modules: chosen.modules };
}

/** The printable sheet of a (disclosed) certificate, with the QR code that opens its verification. */
async function sheet(
  certificate: WrappedCertificate,
  agencyName: string,
  typeName: string,
  validity: { from: number; until: number },
): Promise<HTMLElement> {
  const header = readHeader(certificate);
  const fields = Object.entries(getDisclosedFields(certificate)).filter(
    ([path]) => path.startsWith("fields.") || path === HEADER_FIELDS.holderId,
  );
  const hidden = hiddenFields(certificate);
  const link = verificationLink(location.href, await encodeDocumentParam(certificate));
  const code = await qrCode(link);
  const qr = h("figure", { class: "qr", id: "qr" });
  if (code === undefined) {
    qr.append(errorBox(t("print.tooLarge")));
  } else {
    const image = h("div", { class: "qr-image", role: "img", "aria-label": t("print.scan"), "data-link": link });
    // The SVG comes from the qrcode library (not from the document), so it is safe to insert as markup.
    image.innerHTML = code.svg;
    const size = String(code.modules * QR_MODULE_PX);
    image.querySelector("svg")?.setAttribute("width", size);
    image.querySelector("svg")?.setAttribute("height", size);
    qr.append(image, h("figcaption", {}, t("print.scan")));
  }
  return h(
    "article",
    { class: "sheet", id: "sheet" },
    h(
      "header",
      { class: "sheet-header" },
      h("p", { class: "sheet-agency" }, t("print.issuedBy", { agency: agencyName })),
      h("h2", {}, typeName),
    ),
    h(
      "div",
      { class: "sheet-body" },
      h(
        "dl",
        { class: "fields" },
        fields.map(([path, value]) =>
          h("div", { "data-path": path }, h("dt", {}, fieldLabel(path)), h("dd", {}, fieldValue(value))),
        ),
        h("div", {}, h("dt", {}, t("field.validFrom")), h("dd", {}, validity.from ? formatDate(validity.from) : "—")),
        h(
          "div",
          {},
          h("dt", {}, t("field.validUntil")),
          h("dd", {}, validity.until ? formatDate(validity.until) : t("common.never")),
        ),
      ),
      qr,
    ),
    h(
      "footer",
      { class: "sheet-footer" },
      hidden.length > 0 ? h("p", {}, t("print.hiddenCount", { count: hidden.length })) : null,
      h("p", {}, t("field.certificateId"), ": ", hexCode(header.certificateId, 32)),
    ),
  );
}

export const printView: View = async (context) => {
  const { root, params, portal } = context;
  replaceChildren(root, pageHeading(t("print.heading")));
  const param = params.get(DOCUMENT_PARAM);
  let document: unknown;
  try {
    document = param !== null ? await decodeDocumentParam(param) : openedCertificate()?.document;
  } catch (error) {
    root.append(errorBox(t("verify.badLink", { message: errorText(error) })));
    return;
  }
  if (param !== null) openCertificate({ document, fileName: undefined });
  const certificate = document === undefined ? undefined : checkIntegrity(document).certificate;
  if (!certificate || !checkIntegrity(certificate).valid) {
    root.append(
      h("p", { class: "notice" }, t("print.none"), " ", h("a", { href: routeHash("verify") }, t("common.back"))),
    );
    return;
  }
  const id = certificate.proof.certificateId;
  const hidden = hiddenForPrint.get(id) ?? new Set<string>();
  hiddenForPrint.set(id, hidden);
  const header = readHeader(certificate);
  const [agency, typeName, record] = await Promise.all([
    portal.agency(header.agencyId).catch(() => undefined),
    portal.certificateTypeName(header.typeId).catch(() => undefined),
    portal.verification(id).catch(() => undefined),
  ]);
  // The registry's dates: a document saying 0 ("from issuance") is resolved there.
  const validity = {
    from: record?.status ? record.validFrom : header.validFrom,
    until: record?.status ? record.validUntil : header.validUntil,
  };
  const agencyName = agency?.name ?? `#${header.agencyId}`;

  const hideable = Object.keys(certificate.data).filter((path) => path.startsWith("fields."));
  if (certificate.data[HEADER_FIELDS.holderId] !== undefined) hideable.unshift(HOLDER_SECTION);
  const sheetSlot = h("div", { "aria-live": "polite" });
  const draw = async (): Promise<void> => {
    const shown = hidden.size === 0 ? certificate : disclose(certificate, [...hidden]);
    const drawn = await sheet(shown, agencyName, typeName ?? `#${header.typeId}`, validity);
    if (context.isCurrent()) replaceChildren(sheetSlot, drawn);
  };

  root.append(
    h(
      "div",
      { class: "no-print" },
      h("p", { class: "lead" }, t("print.intro")),
      h(
        "fieldset",
        { class: "hide-fields" },
        h("legend", {}, t("print.hide")),
        h("p", { class: "muted" }, t("print.hideHelp")),
        hideable.map((path) => {
          const inputId = `hide-${path.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
          const box = h("input", {
            type: "checkbox",
            id: inputId,
            "data-path": path,
            checked: hidden.has(path),
            onChange: () => {
              if (box.checked) hidden.add(path);
              else hidden.delete(path);
              void draw();
            },
          });
          return h(
            "div",
            { class: "checkbox" },
            box,
            h("label", { for: inputId }, path === HOLDER_SECTION ? t("field.holder") : fieldLabel(path)),
          );
        }),
      ),
      h(
        "p",
        { class: "actions" },
        h(
          "button",
          { type: "button", class: "button", id: "print-button", onClick: () => window.print() },
          t("print.print"),
        ),
        h("a", { class: "button button-secondary", href: routeHash("verify") }, t("common.back")),
      ),
    ),
    sheetSlot,
  );
  await draw();
};
