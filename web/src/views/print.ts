import { toString as qrSvg } from "qrcode";

import {
  checkIntegrity,
  disclose,
  getDisclosedFields,
  hiddenFields,
  readHeader,
  type WrappedCertificate,
} from "../../../sdk/src/utils/documents/certificates";
import { HEADER_FIELDS } from "../../../sdk/src/utils/documents/format";
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

/** The QR code of a link as SVG, at the lowest error correction that fits; undefined when it cannot fit. */
async function qrCode(link: string): Promise<string | undefined> {
  for (const errorCorrectionLevel of ["M", "L"] as const) {
    try {
      return await qrSvg(link, { type: "svg", errorCorrectionLevel, margin: 4 });
    } catch {
      // Too much data for this level: try the next.
    }
  }
  return undefined;
}

/** The printable sheet of a (disclosed) certificate, with the QR code that opens its verification. */
async function sheet(certificate: WrappedCertificate, agencyName: string, typeName: string): Promise<HTMLElement> {
  const header = readHeader(certificate);
  const fields = Object.entries(getDisclosedFields(certificate)).filter(
    ([path]) => path.startsWith("fields.") || path === HEADER_FIELDS.holderId,
  );
  const hidden = hiddenFields(certificate);
  const link = verificationLink(location.href, await encodeDocumentParam(certificate));
  const svg = await qrCode(link);
  const qr = h("figure", { class: "qr", id: "qr" });
  if (svg === undefined) {
    qr.append(errorBox(t("print.tooLarge")));
  } else {
    const image = h("div", { class: "qr-image", role: "img", "aria-label": t("print.scan"), "data-link": link });
    // The SVG comes from the qrcode library (not from the document), so it is safe to insert as markup.
    image.innerHTML = svg;
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
        h("div", {}, h("dt", {}, t("field.validFrom")), h("dd", {}, header.validFrom ? formatDate(header.validFrom) : "—")),
        h(
          "div",
          {},
          h("dt", {}, t("field.validUntil")),
          h("dd", {}, header.validUntil ? formatDate(header.validUntil) : t("common.never")),
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
    root.append(h("p", { class: "notice" }, t("print.none"), " ", h("a", { href: routeHash("verify") }, t("common.back"))));
    return;
  }
  const id = certificate.proof.certificateId;
  const hidden = hiddenForPrint.get(id) ?? new Set<string>();
  hiddenForPrint.set(id, hidden);
  const header = readHeader(certificate);
  const [agency, typeName] = await Promise.all([
    portal.agency(header.agencyId).catch(() => undefined),
    portal.certificateTypeName(header.typeId).catch(() => undefined),
  ]);
  const agencyName = agency?.name ?? `#${header.agencyId}`;

  const hideable = Object.keys(certificate.data).filter((path) => path.startsWith("fields."));
  if (certificate.data[HEADER_FIELDS.holderId] !== undefined) hideable.unshift(HOLDER_SECTION);
  const sheetSlot = h("div", { "aria-live": "polite" });
  const draw = async (): Promise<void> => {
    const shown = hidden.size === 0 ? certificate : disclose(certificate, [...hidden]);
    const drawn = await sheet(shown, agencyName, typeName ?? `#${header.typeId}`);
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
        h("button", { type: "button", class: "button", id: "print-button", onClick: () => window.print() }, t("print.print")),
        h("a", { class: "button button-secondary", href: routeHash("verify") }, t("common.back")),
      ),
    ),
    sheetSlot,
  );
  await draw();
};
