import type { ContractChecker, Expectation } from "./checker";
import {
  jsonBodySchema,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  resolve,
  type Schema,
  typesOf,
} from "./openapi";
import type { ContractRequest } from "./request";
import { NUL, paramValuesFor, RTL, randomJunk, seedOf, valuesFor } from "./values";

/** How a mutant changes the body; paths are property names (array indexes as digits). */
export type BodyEdit =
  | { kind: "set"; path: string[]; value: unknown }
  | { kind: "delete"; path: string[] }
  | { kind: "replace"; value: unknown }
  | { kind: "raw"; text: string }
  | { kind: "none" };

/** One malformed (or merely odd) variant of a valid request, applicable to any valid request of the operation. */
export interface Mutant {
  name: string;
  /** "refusal": the document (schema, required body, media type, idempotency rule) forbids it. */
  expect: Exclude<Expectation, "success">;
  body?: BodyEdit;
  /** Another Content-Type; null sends none. */
  contentType?: string | null;
  pathParam?: { name: string; value: string };
  query?: { name: string; value: string };
  header?: { name: string; value: string | null };
  /** The path with a `/` appended: another path, which the router must answer like any unknown one. */
  trailingSlash?: boolean;
  /** The valid request's key with another body, no key at all, or a malformed one. */
  idempotencyKey?: "reuse" | "omit" | "too-long";
}

/** Not a field of any schema: what an unknown field is called. */
export const UNKNOWN_FIELD = "contract_unknown_field";

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** The body with one edit made (on a copy); undefined means no body at all. */
export function editBody(body: unknown, edit: BodyEdit): unknown {
  if (edit.kind === "replace") return clone(edit.value);
  if (edit.kind === "none" || edit.kind === "raw") return undefined;
  const root: unknown = clone(body) ?? {};
  let node = root as Record<string, unknown>;
  for (const [i, key] of edit.path.entries()) {
    if (i === edit.path.length - 1) {
      if (edit.kind === "delete") delete node[key];
      else node[key] = clone(edit.value);
      break;
    }
    const next = node[key];
    if (next === null || typeof next !== "object") {
      if (edit.kind === "delete") break;
      node[key] = /^\d+$/.test(edit.path[i + 1] ?? "") ? [] : {};
    }
    node = node[key] as Record<string, unknown>;
  }
  return root;
}

/** Every field of a body schema, depth first: its path and schema. */
function fieldsOf(doc: OpenApiDocument, schema: Schema, path: string[] = []): [string[], Schema][] {
  const s = resolve(doc, schema);
  const fields: [string[], Schema][] = [];
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    const resolved = resolve(doc, child);
    fields.push([[...path, name], resolved], ...fieldsOf(doc, resolved, [...path, name]));
  }
  if (s.items) {
    const items = resolve(doc, s.items);
    fields.push([[...path, "0"], items], ...fieldsOf(doc, items, [...path, "0"]));
  }
  if (typeof s.additionalProperties === "object") {
    fields.push([[...path, "contract_key"], resolve(doc, s.additionalProperties)]);
  }
  return fields;
}

function paramMutants(checker: ContractChecker, params: Parameter[]): Mutant[] {
  const mutants: Mutant[] = [];
  const valid = (p: Parameter, value: string) => {
    if (p.in === "path" && value === "") return false;
    return checker.paramValidator(p.schema ?? {})(value);
  };
  for (const p of params) {
    if (p.in === "path") {
      // ".." is a dot segment: the URL resolves it away, leaving the parent path (often with a trailing slash).
      const values = ["not-a-uuid", "x".repeat(5000), NUL, RTL, "..", crypto.randomUUID()];
      for (const value of values) {
        const known = value.length === 36; // a well-formed id nobody has: 404
        mutants.push({
          name: `path ${p.name} = ${value.length > 20 ? `${value.length} chars` : JSON.stringify(value)}`,
          expect: value === ".." ? "elsewhere" : known || !valid(p, value) ? "refusal" : "either",
          pathParam: { name: p.name, value },
        });
      }
    } else if (p.in === "query") {
      for (const value of paramValuesFor(p.schema ?? {})) {
        mutants.push({
          name: `query ${p.name} = ${value.length > 20 ? `${value.length} chars` : JSON.stringify(value)}`,
          expect: valid(p, value) ? "either" : "refusal",
          query: { name: p.name, value },
        });
      }
    } else if (p.in === "header") {
      if (p.required)
        mutants.push({ name: `no ${p.name}`, expect: "refusal", header: { name: p.name, value: null } });
      for (const value of ["not-a-uuid", "x".repeat(5000), crypto.randomUUID()]) {
        mutants.push({
          name: `header ${p.name} = ${value.length > 40 ? `${value.length} chars` : value}`,
          expect: valid(p, value) ? "either" : "refusal",
          header: { name: p.name, value },
        });
      }
    }
  }
  return mutants;
}

/**
 * The battery for one operation, derived from its document entry: body shape and every
 * field (missing, null, wrong type, edge strings and numbers, unknown, random junk), the
 * media type, the idempotency rules, the path, query and header parameters. `sample` is
 * a valid body, against which a mutant is classified: refused by the schema, or maybe not.
 */
export function mutantsOf(
  checker: ContractChecker,
  op: Operation,
  sample: ContractRequest,
  opts: { junk?: number } = {},
): Mutant[] {
  const doc = checker.doc;
  const mutants = paramMutants(checker, op.doc.parameters ?? []);
  mutants.push({ name: "a trailing slash", expect: "elsewhere", trailingSlash: true });
  mutants.push({
    name: "an unknown query parameter",
    expect: "either",
    query: { name: UNKNOWN_FIELD, value: "x" },
  });
  const schema = jsonBodySchema(doc, op.doc);
  const required = op.doc.requestBody?.required === true;
  const judged = (name: string, edit: BodyEdit): Mutant => {
    const body = editBody(sample.json, edit);
    const allowed = schema === undefined || checker.validator(schema)(body);
    return { name, expect: allowed ? "either" : "refusal", body: edit };
  };

  if (op.method === "POST" || op.method === "PUT" || op.method === "PATCH") {
    const absent = required ? "refusal" : "either";
    mutants.push({ name: "no body", expect: absent, body: { kind: "none" }, contentType: null });
    mutants.push({ name: "an empty body", expect: absent, body: { kind: "raw", text: "" } });
    mutants.push({
      name: "invalid JSON",
      expect: schema ? "refusal" : "either",
      body: { kind: "raw", text: '{"params": {' },
    });
  }
  if (schema) {
    mutants.push({ name: "a text/plain body", expect: "refusal", contentType: "text/plain" });
    mutants.push({ name: "a body without Content-Type", expect: "refusal", contentType: null });
    mutants.push(
      judged("the body as an array", { kind: "replace", value: [sample.json] }),
      judged("the body as a string", { kind: "replace", value: "params" }),
      judged("the body as null", { kind: "replace", value: null }),
      judged("an empty object", { kind: "replace", value: {} }),
      judged("an unknown top-level field", { kind: "set", path: [UNKNOWN_FIELD], value: "x" }),
    );
    const fields = fieldsOf(doc, schema);
    for (const [path, field] of fields) {
      const at = path.join(".");
      mutants.push(judged(`${at} missing`, { kind: "delete", path }));
      for (const [what, value] of valuesFor(field))
        mutants.push(judged(`${at} = ${what}`, { kind: "set", path, value }));
      if (typesOf(field).includes("object") && field.additionalProperties === undefined) {
        mutants.push(
          judged(`an unknown field in ${at}`, { kind: "set", path: [...path, UNKNOWN_FIELD], value: "x" }),
        );
      }
    }
    for (const [path, value] of randomJunk(fields, seedOf(op.key), opts.junk ?? 4)) {
      mutants.push(
        judged(`${path.join(".")} = random ${JSON.stringify(value).slice(0, 30)}`, {
          kind: "set",
          path,
          value,
        }),
      );
    }
  }
  if (op.method === "POST" && op.path.startsWith("/v1/")) {
    mutants.push({ name: "no Idempotency-Key", expect: "refusal", idempotencyKey: "omit" });
    mutants.push({ name: "a 256-character Idempotency-Key", expect: "refusal", idempotencyKey: "too-long" });
    mutants.push({
      name: "the valid request's Idempotency-Key with another body",
      expect: "refusal",
      idempotencyKey: "reuse",
      body: {
        kind: "replace",
        value: {
          ...asObject(sample.json),
          params: { ...asObject(asObject(sample.json).params), [UNKNOWN_FIELD]: "other" },
        },
      },
    });
  }
  return distinct(sample, mutants);
}

/** Mutants that send something else than the valid request and than each other ("id missing" where it was absent sends the valid request). */
function distinct(sample: ContractRequest, mutants: Mutant[]): Mutant[] {
  const signature = (r: ContractRequest) =>
    JSON.stringify([
      r.path,
      r.pathParams,
      r.query,
      r.headers,
      r.raw ?? null,
      r.json ?? null,
      r.encoding ?? "json",
    ]);
  const seen = new Set([signature(applyMutant(sample, { name: "", expect: "either" }, "K"))]);
  return mutants.filter((m) => {
    const s = signature(applyMutant(sample, m, "K"));
    if (seen.has(s)) return false;
    seen.add(s);
    return true;
  });
}

const asObject = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The mutant made concrete on a valid request; `key` is the valid request's Idempotency-Key. */
export function applyMutant(base: ContractRequest, m: Mutant, key: string | undefined): ContractRequest {
  const req: ContractRequest = {
    ...base,
    headers: { ...base.headers },
    query: { ...base.query },
    pathParams: { ...base.pathParams },
  };
  if (m.body) {
    const edit = m.body;
    delete req.raw;
    if (edit.kind === "raw") {
      req.raw = edit.text;
      req.headers["Content-Type"] ??= "application/json";
    } else if (edit.kind === "none") delete req.json;
    else {
      // A structured mutant goes as JSON, also where the valid request was a form: a form has no types.
      req.json = editBody(base.json, edit);
      req.encoding = "json";
      req.headers["Content-Type"] = "application/json";
    }
  }
  if (m.contentType === null) delete req.headers["Content-Type"];
  else if (m.contentType !== undefined) req.headers["Content-Type"] = m.contentType;
  if (m.pathParam) req.pathParams[m.pathParam.name] = m.pathParam.value;
  if (m.trailingSlash) req.path = `${req.path}/`;
  if (m.query) req.query[m.query.name] = m.query.value;
  if (m.header) {
    if (m.header.value === null) delete req.headers[m.header.name];
    else req.headers[m.header.name] = m.header.value;
  }
  if (m.idempotencyKey === "omit") delete req.headers["Idempotency-Key"];
  else if (m.idempotencyKey === "too-long") req.headers["Idempotency-Key"] = "k".repeat(256);
  else if (m.idempotencyKey === "reuse" && key !== undefined) req.headers["Idempotency-Key"] = key;
  return req;
}
