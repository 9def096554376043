import { gunzipSync, gzipSync } from "node:zlib";

import type { Gzip } from "../utils/vc/statusList";

/** GZIP with node:zlib (best compression), for status lists built in Node. */
export const nodeGzip: Gzip = {
  gzip: (bytes) => Promise.resolve(new Uint8Array(gzipSync(bytes, { level: 9 }))),
  gunzip: (bytes) => Promise.resolve(new Uint8Array(gunzipSync(bytes))),
};
