import type { Title, TitleHistoryEntry } from "../../../sdk/src/contracts/titles";
import { BASIS_POINTS, SeizureStatus, TitleStatus } from "../../../sdk/src/utils/titles";
import { h, hexCode, replaceChildren, type Child } from "../dom";
import { formatDate, formatTime, language, t, tDynamic } from "../i18n";
import type { Portal } from "../portal";
import { routeHash } from "../router";
import { details, errorBox, errorText, loading, pageHeading, table, type View, type ViewContext } from "./common";

const TITLE_ID = /^\d{1,78}$/;
/** Areas are recorded in hundredths of a square metre, amounts in the currency's minor unit (fen). */
const AREA_SCALE = 100;
const MINOR_UNITS = 100n;

function money(amount: bigint): string {
  const whole = amount / MINOR_UNITS;
  const cents = (amount % MINOR_UNITS).toString().padStart(2, "0");
  // Intl formats decimal strings exactly (no float rounding for large amounts).
  const format = new Intl.NumberFormat(language(), { style: "currency", currency: "CNY" }).format as (
    value: string,
  ) => string;
  return format(`${whole}.${cents}`);
}

function percent(shares: number): string {
  return new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 2 }).format(
    shares / BASIS_POINTS,
  );
}

async function agencyName(portal: Portal, agencyId: number): Promise<string> {
  return (await portal.agency(agencyId))?.name ?? `#${agencyId}`;
}

function titleLink(titleId: bigint): HTMLElement {
  return h("a", { href: routeHash("title", { id: titleId.toString() }) }, hexCode("0x" + titleId.toString(16), 6));
}

/** One line of detail for a history entry, when its arguments say something a reader needs. */
async function historyDetail(portal: Portal, entry: TitleHistoryEntry): Promise<Child> {
  const args = entry.args;
  switch (entry.event) {
    case "TitleRegistered":
      return String(args.parcelNumber);
    case "OwnershipRegistered": {
      // The SDK turns event arguments into plain objects; an array of structs may come back keyed "0", "1", ….
      const owners = Object.values((args.owners ?? {}) as Record<string, { account: string; shares: bigint }>);
      return [
        tDynamic(`title.basis.${Number(args.basis)}`),
        ": ",
        owners.map((o) => `${o.account.slice(0, 8)}… ${percent(Number(o.shares))}`).join(", "),
      ];
    }
    case "LienRegistered":
      return `${await agencyName(portal, Number(args.lenderAgencyId))} — ${money(BigInt(args.amount as bigint))} (${t("title.rank")} ${Number(args.rank)})`;
    case "SeizureFiled":
    case "SeizureTookEffect":
      return agencyName(portal, Number(args.courtAgencyId));
    default:
      return null;
  }
}

async function titleDetails(context: ViewContext, title: Title): Promise<Child[]> {
  const { portal } = context;
  const titles = portal.client.titles;
  const [liens, seizures, restricted, lineage, history, registrar] = await Promise.all([
    titles.liensOf(title.titleId),
    titles.seizuresOf(title.titleId),
    titles.isRestricted(title.titleId),
    titles.lineageOf(title.titleId),
    titles.history(title.titleId),
    agencyName(portal, title.agencyId),
  ]);
  const parcelNumber =
    title.parcelNumber ?? String(history.find((e) => e.event === "TitleRegistered")?.args.parcelNumber ?? "");
  const [lienRows, seizureRows, timelineItems] = await Promise.all([
    Promise.all(
      liens.map(async (lien) => [
        String(lien.rank),
        await agencyName(portal, lien.lenderAgencyId),
        tDynamic(`title.lienKind.${lien.kind}`),
        money(lien.amount),
        h(
          "span",
          { class: `badge badge-lien-${lien.status}`, "data-status": lien.status },
          tDynamic(`title.lienStatus.${lien.status}`),
        ),
        lien.periodEnd ? formatDate(lien.periodEnd) : "—",
      ]),
    ),
    Promise.all(
      seizures.map(async (seizure) => [
        await agencyName(portal, seizure.courtAgencyId),
        h(
          "span",
          {
            class: `badge ${seizure.status === SeizureStatus.Active ? "badge-frozen" : ""}`,
            "data-status": seizure.status,
          },
          tDynamic(`title.seizureStatus.${seizure.status}`),
        ),
        formatDate(seizure.filedAt),
        seizure.effectiveAt ? formatDate(seizure.effectiveAt) : "—",
        seizure.endedAt ? formatDate(seizure.endedAt) : "—",
        hexCode(seizure.caseReference, 4),
      ]),
    ),
    Promise.all(
      history.map(async (entry) => {
        const time = await portal.blockTime(entry.blockNumber);
        return h(
          "li",
          { "data-kind": entry.event === "SeizureTookEffect" ? "frozen" : entry.event, "data-event": entry.event },
          h("time", { datetime: new Date(time * 1000).toISOString() }, formatTime(time)),
          " ",
          h("strong", {}, tDynamic(`title.event.${entry.event}`)),
          await historyDetail(portal, entry).then((detail) => (detail ? [" — ", detail] : null)),
        );
      }),
    ),
  ]);
  const frozen = seizures.some((s) => s.status === SeizureStatus.Active);
  const mortgaged = title.activeLiens > 0;

  return [
    h(
      "section",
      { "aria-labelledby": "parcel-heading", class: "title-summary", id: "title-summary" },
      h("h2", { id: "parcel-heading" }, parcelNumber),
      h(
        "p",
        { class: "badges", id: "title-badges" },
        h(
          "span",
          { class: `badge ${title.status === TitleStatus.Active ? "badge-active" : ""}` },
          tDynamic(`title.status.${title.status}`),
        ),
        mortgaged
          ? [" ", h("span", { class: "badge badge-expired", id: "badge-mortgaged" }, t("title.mortgaged"))]
          : null,
        frozen || restricted
          ? [
              " ",
              h(
                "span",
                { class: "badge badge-frozen", id: "badge-frozen" },
                frozen ? t("title.frozen") : t("title.restricted"),
              ),
            ]
          : null,
      ),
      details([
        [t("title.kind"), tDynamic(`title.unit.${title.kind}`)],
        [t("title.area"), `${new Intl.NumberFormat(language()).format(title.area / AREA_SCALE)} m²`],
        [t("title.landUse"), String(title.landUse)],
        [t("title.registrar"), registrar],
        [t("title.registeredAt"), formatTime(title.registeredAt)],
        [t("title.revision"), String(title.revision)],
        [t("title.titleId"), hexCode("0x" + title.titleId.toString(16), 8)],
      ]),
    ),
    h(
      "section",
      { "aria-labelledby": "owners-heading" },
      h("h2", { id: "owners-heading" }, t("title.owners")),
      table(
        t("title.owners"),
        [t("title.owner"), t("title.share")],
        title.owners.map((owner) => [h("code", { class: "hex" }, owner.account), percent(owner.shares)]),
        "owners",
      ),
    ),
    h(
      "section",
      { "aria-labelledby": "liens-heading" },
      h("h2", { id: "liens-heading" }, t("title.liens")),
      lienRows.length === 0
        ? h("p", { class: "muted", id: "no-liens" }, t("title.noLiens"))
        : table(
            t("title.liens"),
            [
              t("title.rank"),
              t("title.lender"),
              t("title.lienKind"),
              t("title.amount"),
              t("field.status"),
              t("title.periodEnd"),
            ],
            lienRows,
            "liens",
          ),
    ),
    h(
      "section",
      { "aria-labelledby": "freezes-heading" },
      h("h2", { id: "freezes-heading" }, t("title.freezes")),
      seizureRows.length === 0
        ? h("p", { class: "muted", id: "no-freezes" }, t("title.noFreezes"))
        : table(
            t("title.freezes"),
            [
              t("title.authority"),
              t("field.status"),
              t("title.filed"),
              t("title.since"),
              t("title.until"),
              t("title.case"),
            ],
            seizureRows,
            "freezes",
          ),
    ),
    h(
      "section",
      { "aria-labelledby": "lineage-heading" },
      h("h2", { id: "lineage-heading" }, t("title.lineage")),
      lineage.parents.length === 0 && lineage.children.length === 0
        ? h("p", { class: "muted", id: "no-lineage" }, t("title.noLineage"))
        : details([
            [
              t("title.parents"),
              lineage.parents.length ? lineage.parents.map((id) => [titleLink(id), " "]) : undefined,
            ],
            [
              t("title.children"),
              lineage.children.length ? lineage.children.map((id) => [titleLink(id), " "]) : undefined,
            ],
          ]),
    ),
    h(
      "section",
      { "aria-labelledby": "title-history-heading" },
      h("h2", { id: "title-history-heading" }, t("title.timeline")),
      h("ol", { class: "timeline", id: "title-history" }, timelineItems),
    ),
  ];
}

/** `#/title?parcel=…` (or `?id=…` for lineage links): a property title and everything recorded about it. */
export const titleView: View = async (context) => {
  const { root, params, portal } = context;
  const parcel = (params.get("parcel") ?? "").trim();
  const id = (params.get("id") ?? "").trim();
  const input = h("input", {
    id: "parcel",
    name: "parcel",
    type: "text",
    value: parcel,
    autocomplete: "off",
    required: true,
  });
  const form = h(
    "form",
    { class: "form inline-form", id: "parcel-form", role: "search" },
    h("div", { class: "field" }, h("label", { for: "parcel" }, t("title.parcel")), input),
    h("button", { type: "submit", class: "button" }, t("title.search")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = routeHash("title", { parcel: input.value.trim() });
  });
  const results = h("div", { id: "title-results", "aria-live": "polite" });
  replaceChildren(root, pageHeading(t("title.heading")), h("p", { class: "lead" }, t("title.intro")), form, results);
  if (!portal.has("TitleRegistry")) {
    replaceChildren(results, h("p", { class: "notice", id: "title-not-deployed" }, t("title.notDeployed")));
    return;
  }
  if (!parcel && !TITLE_ID.test(id)) return;
  replaceChildren(results, loading());
  try {
    const title = parcel
      ? await portal.client.titles.titleByParcel(parcel)
      : await portal.client.titles.title(BigInt(id));
    if (!context.isCurrent()) return;
    if (!title) {
      replaceChildren(
        results,
        h("p", { class: "notice", id: "title-not-found" }, t("title.notFound", { parcel: parcel || id })),
      );
      return;
    }
    const content = await titleDetails(context, title);
    if (context.isCurrent()) replaceChildren(results, content);
  } catch (error) {
    if (context.isCurrent()) replaceChildren(results, errorBox(t("common.error", { message: errorText(error) })));
  }
};
