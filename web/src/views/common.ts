import { GovChainError } from "../../../sdk/src/errors/base";
import { h, type Child } from "../dom";
import { t } from "../i18n";
import type { Portal } from "../portal";

/** What a view gets: the chain, the route's parameters, and a way to tell whether it is still on screen. */
export interface ViewContext {
  portal: Portal;
  params: URLSearchParams;
  /** The element the view fills. */
  root: HTMLElement;
  /** False once the visitor moved on: a slow read must then not draw over the new page. */
  isCurrent: () => boolean;
  /** Draws the current route again (after the view changed what it shows). */
  rerender: () => void;
}

export type View = (context: ViewContext) => void | Promise<void>;

/** A readable sentence for any error (SDK errors carry one in `shortMessage`). */
export function errorText(error: unknown): string {
  if (error instanceof GovChainError) return error.shortMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function loading(): HTMLElement {
  return h("p", { class: "loading", role: "status" }, t("common.loading"));
}

export function errorBox(message: string): HTMLElement {
  return h("p", { class: "notice notice-error", role: "alert" }, message);
}

/** A page heading that receives focus after navigation, so screen readers announce the new page. */
export function pageHeading(text: string): HTMLElement {
  return h("h1", { tabindex: -1, id: "page-heading" }, text);
}

/** A definition list from label/value pairs (pairs with an undefined value are left out). */
export function details(pairs: [string, Child][], className = "facts"): HTMLElement {
  return h(
    "dl",
    { class: className },
    pairs
      .filter(([, value]) => value !== undefined)
      .map(([label, value]) => h("div", {}, h("dt", {}, label), h("dd", {}, value))),
  );
}

/** A table with a caption, column headers and rows; it scrolls sideways inside its own box on narrow screens. */
export function table(caption: string, headers: string[], rows: Child[][], id?: string): HTMLElement {
  return h(
    "div",
    { class: "table-wrap", role: "region", "aria-label": caption, tabindex: 0 },
    h(
      "table",
      { id },
      h("caption", { class: "visually-hidden" }, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          headers.map((header) => h("th", { scope: "col" }, header)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            {},
            row.map((cell, index) => (index === 0 ? h("th", { scope: "row" }, cell) : h("td", {}, cell))),
          ),
        ),
      ),
    ),
  );
}
