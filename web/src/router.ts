/** Hash routes: `#/verify?doc=…`, `#/print`, `#/certificate?id=…`, `#/title?parcel=…`, `#/mydata?subject=…`. */

export const ROUTES = ["verify", "print", "certificate", "title", "mydata"] as const;
export type RouteName = (typeof ROUTES)[number];

export interface Route {
  name: RouteName;
  params: URLSearchParams;
}

/** Parses a location hash; anything unknown is the verification page. */
export function parseRoute(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const name = (ROUTES as readonly string[]).includes(path) ? (path as RouteName) : "verify";
  return { name, params: new URLSearchParams(query) };
}

/** The hash of a route with parameters (empty values are left out). */
export function routeHash(name: RouteName, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return `#/${name}${text ? `?${text}` : ""}`;
}
