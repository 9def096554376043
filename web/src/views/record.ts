import { CertificateStatus } from "../../../sdk/src/utils/documents/reader";
import { h, hexCode, replaceChildren } from "../dom";
import { formatTime, t, tDynamic } from "../i18n";
import { routeHash } from "../router";
import { details, errorBox, errorText, loading, pageHeading, type View } from "./common";
import { reasonText, timeline } from "./verify";

const CERTIFICATE_ID = /^0x[0-9a-fA-F]{64}$/;

/** `#/certificate?id=…`: what the registry records about one certificate id (where "superseded" links point). */
export const recordView: View = async (context) => {
  const { root, params, portal } = context;
  const id = (params.get("id") ?? "").toLowerCase();
  const body = h("div", { "aria-live": "polite" }, loading());
  replaceChildren(root, pageHeading(t("record.heading")), h("p", { class: "lead" }, t("record.intro")), body);
  if (!CERTIFICATE_ID.test(id)) {
    replaceChildren(body, errorBox(t("record.badId")));
    return;
  }
  try {
    const record = await portal.verification(id);
    if (record.status === CertificateStatus.None) {
      replaceChildren(body, h("p", { class: "notice" }, t("record.unknown")), h("p", {}, hexCode(id, 32)));
      return;
    }
    const [agency, typeName, history] = await Promise.all([
      portal.agency(record.agencyId),
      portal.certificateTypeName(record.typeId),
      portal.history(id),
    ]);
    if (!context.isCurrent()) return;
    replaceChildren(
      body,
      details([
        [t("field.certificateId"), hexCode(id, 32)],
        [t("field.status"), h("strong", { id: "record-status" }, tDynamic(`status.${record.status}`))],
        [t("field.type"), typeName ?? `#${record.typeId}`],
        [t("field.agency"), agency?.name ?? `#${record.agencyId}`],
        [t("field.issuedAt"), formatTime(record.issuedAt)],
        [t("field.validFrom"), formatTime(record.validFrom)],
        [t("field.validUntil"), record.validUntil ? formatTime(record.validUntil) : t("common.never")],
        [
          t("field.reason"),
          record.status === CertificateStatus.Revoked ? reasonText(record.revocationReason) : undefined,
        ],
        [
          t("field.replacedBy"),
          record.supersededBy
            ? h("a", { href: routeHash("certificate", { id: record.supersededBy }) }, hexCode(record.supersededBy))
            : undefined,
        ],
      ]),
      h("h2", {}, t("verify.history")),
      timeline(history),
    );
  } catch (error) {
    if (context.isCurrent()) replaceChildren(body, errorBox(t("common.error", { message: errorText(error) })));
  }
};
