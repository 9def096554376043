import { DocumentError } from "../../errors/document";
import { isJsonObject, type JsonObject, type JsonValue } from "./json";

/**
 * The name of one salted field of a certificate: the keys from the document root to the value, joined by `.`
 * (`holder.id`, `fields.address.street`). Non-empty objects are flattened, so every nested value can be hidden on
 * its own; arrays, empty objects and scalars are single fields. Keys therefore may not be empty or contain `.`.
 */
export type FieldPath = string;

/** Separates the keys of a field path. */
export const PATH_SEPARATOR = ".";

/** The keys of a field path. */
export function splitPath(path: FieldPath): string[] {
  return path.split(PATH_SEPARATOR);
}

/** True when `path` is `prefix` itself or a field below it (`fields.address.street` is within `fields.address`). */
export function isWithin(path: FieldPath, prefix: FieldPath): boolean {
  return path === prefix || path.startsWith(prefix + PATH_SEPARATOR);
}

/** Why a key cannot be part of a field path, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key === "") return "keys may not be empty";
  if (key.includes(PATH_SEPARATOR)) return `keys may not contain "${PATH_SEPARATOR}"`;
  if (key === "__proto__") return 'the key "__proto__" is reserved';
  return undefined;
}

/** Why a string is not a well-formed field path, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  for (const key of splitPath(path)) {
    const problem = keyProblem(key);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Flattens a document into its fields, sorted by path (UTF-16 order). Every non-empty object is descended into;
 * anything else (scalar, array, empty object) is one field.
 */
export function flatten(document: JsonObject): Map<FieldPath, JsonValue> {
  const fields = new Map<FieldPath, JsonValue>();
  const walk = (object: JsonObject, prefix: string): void => {
    for (const key of Object.keys(object).sort()) {
      const value = object[key];
      const path = prefix === "" ? key : `${prefix}${PATH_SEPARATOR}${key}`;
      if (isJsonObject(value) && Object.keys(value).length > 0) walk(value, path);
      else fields.set(path, value);
    }
  };
  walk(document, "");
  return fields;
}

/**
 * Rebuilds a (partial) nested document from fields, the inverse of {@link flatten}.
 * @throws {DocumentError} `INVALID_DOCUMENT` when one path lies inside another (`a` and `a.b`).
 */
export function unflatten(fields: Iterable<readonly [FieldPath, JsonValue]>): JsonObject {
  const root: JsonObject = {};
  const leaves = new Set<JsonValue>();
  for (const [path, value] of fields) {
    const keys = splitPath(path);
    let node = root;
    for (const [depth, key] of keys.entries()) {
      const last = depth === keys.length - 1;
      const existing = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
      if (last) {
        if (existing !== undefined) {
          throw new DocumentError("INVALID_DOCUMENT", `${path}: the field overlaps another field`);
        }
        // defineProperty, not assignment, so that no key can ever reach a prototype.
        Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
        leaves.add(value);
      } else {
        if (existing === undefined) {
          const child: JsonObject = {};
          Object.defineProperty(node, key, { value: child, enumerable: true, writable: true, configurable: true });
          node = child;
        } else if (isJsonObject(existing) && !leaves.has(existing)) {
          node = existing;
        } else {
          throw new DocumentError("INVALID_DOCUMENT", `${path}: the field overlaps another field`);
        }
      }
    }
  }
  return root;
}
