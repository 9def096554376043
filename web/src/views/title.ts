import { h, replaceChildren } from "../dom";
import { t } from "../i18n";
import { routeHash } from "../router";
import { pageHeading, type View } from "./common";

/** `#/title?parcel=…`: a property title by parcel number. */
export const titleView: View = (context) => {
  const { root, params, portal } = context;
  const parcel = (params.get("parcel") ?? "").trim();
  const input = h("input", { id: "parcel", name: "parcel", type: "text", value: parcel, autocomplete: "off", required: true });
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
  }
};
