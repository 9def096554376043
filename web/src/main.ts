import { ConfigError, loadPortalConfig } from "./config";
import { h, replaceChildren } from "./dom";
import { initLanguage, language, setLanguage, t } from "./i18n";
import { Portal } from "./portal";
import { parseRoute, routeHash, type RouteName } from "./router";
import { errorBox, errorText, loading, type View } from "./views/common";
import { myDataView } from "./views/mydata";
import { printView } from "./views/print";
import { recordView } from "./views/record";
import { titleView } from "./views/title";
import { verifyView } from "./views/verify";

const VIEWS: Record<RouteName, View> = {
  verify: verifyView,
  print: printView,
  certificate: recordView,
  title: titleView,
  mydata: myDataView,
};

/** Which navigation entry a route belongs to. */
const SECTION: Record<RouteName, RouteName> = {
  verify: "verify",
  print: "verify",
  certificate: "verify",
  title: "title",
  mydata: "mydata",
};

let portal: Portal | undefined;
let startupError: string | undefined;
/** Increases with every render, so that a slow view can tell it is no longer on screen. */
let renderCount = 0;

function header(current: RouteName): HTMLElement {
  const link = (name: RouteName, key: "nav.verify" | "nav.title" | "nav.mydata") =>
    h(
      "li",
      {},
      h("a", { href: routeHash(name), "aria-current": SECTION[current] === name ? "page" : undefined }, t(key)),
    );
  return h(
    "header",
    { class: "site-header" },
    h("a", { class: "skip-link", href: "#main", onClick: skipToContent }, t("app.skip")),
    h(
      "div",
      { class: "brand-row" },
      h("p", { class: "brand" }, h("a", { href: routeHash("verify") }, t("app.title"))),
      h(
        "button",
        {
          type: "button",
          class: "lang-switch",
          id: "lang-switch",
          lang: language() === "en" ? "zh-CN" : "en",
          "aria-label": t("lang.switchLabel"),
          onClick: () => {
            setLanguage(language() === "en" ? "zh-CN" : "en");
            render();
            document.getElementById("lang-switch")?.focus();
          },
        },
        t("lang.switch"),
      ),
    ),
    h(
      "nav",
      { "aria-label": t("nav.label") },
      h("ul", {}, link("verify", "nav.verify"), link("title", "nav.title"), link("mydata", "nav.mydata")),
    ),
  );
}

/** The skip link moves focus to the content without touching the hash (which holds the route). */
function skipToContent(event: Event): void {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

function footer(): HTMLElement {
  const manifest = portal?.config.manifest;
  return h(
    "footer",
    { class: "site-footer" },
    h("p", {}, t("app.footer")),
    manifest
      ? h("p", { class: "muted" }, t("app.network", { network: manifest.network, chainId: manifest.chainId }))
      : null,
  );
}

function render(focusHeading = false): void {
  const route = parseRoute(location.hash);
  const count = ++renderCount;
  const main = h("main", { id: "main", tabindex: -1 });
  const app = document.getElementById("app")!;
  replaceChildren(app, header(route.name), main, footer());
  if (startupError !== undefined) {
    main.append(errorBox(startupError));
    document.body.dataset.ready = "true";
    return;
  }
  if (!portal) {
    main.append(loading());
    return;
  }
  const view = VIEWS[route.name];
  const done = Promise.resolve(
    view({
      portal,
      params: route.params,
      root: main,
      isCurrent: () => count === renderCount,
      rerender: () => render(),
    }),
  );
  if (focusHeading) document.getElementById("page-heading")?.focus();
  done
    .catch((error: unknown) => {
      if (count === renderCount) main.append(errorBox(t("common.error", { message: errorText(error) })));
    })
    .finally(() => {
      if (count === renderCount) document.body.dataset.ready = "true";
    });
  document.body.dataset.ready = "false";
}

async function start(): Promise<void> {
  initLanguage();
  render();
  window.addEventListener("hashchange", () => render(true));
  try {
    const config = await loadPortalConfig(new URL("config.json", location.href).href);
    portal = await Portal.connect(config);
  } catch (error) {
    startupError =
      error instanceof ConfigError
        ? t("error.config", { message: error.message })
        : t("error.connect", { message: errorText(error) });
  }
  render();
}

void start();
