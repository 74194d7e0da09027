import { describe, expect, it } from "vitest";
import { ContractChecker } from "../../contract/checker";
import { documentedResponse, type Operation, resolve, type Schema, typesOf } from "../../contract/openapi";
import { storedState } from "../../contract/state";
import {
  changedSince,
  doc,
  entitled,
  ok,
  operations,
  paramsSchema,
  send,
  settledState,
  validRequest,
} from "./support";

// OWASP API3:2023. Mass assignment: every operation with a body is sent, besides its valid
// `params`, every property its answer shows that the request does not take (id, status,
// livemode, amounts, secrets…) and the usual privileged names (partner_id, tier, scopes…), set
// to values the service would never choose; none may be taken, and another partner named by
// partner_id keeps its state. Exposure: every operation's answer to a valid request carries no
// property its documented schema does not list (the document made strict: no additional
// properties anywhere), so nothing beyond the contract leaves.

type Json = Record<string, unknown>;

/** Names a partner might try to set on anything. */
const PRIVILEGED = [
  "id",
  "object",
  "partner_id",
  "livemode",
  "environment",
  "status",
  "tier",
  "products",
  "scopes",
  "data_access",
  "rate_limit_per_second",
  "created_at",
  "updated_at",
];

const marker = () => `mass-assigned-${crypto.randomUUID()}`;
const UUID = /^[0-9a-f-]{36}$/i;

/** The documented schema of a successful answer's `result`. */
function resultSchema(op: Operation): Schema {
  const content = documentedResponse(op.doc, 200)?.content?.["application/json"]?.schema;
  return resolve(doc, resolve(doc, content).properties?.result);
}

/** A value the service would never have chosen for this property, given what it chose before. */
function poisonFor(schema: Schema | undefined, chosen: unknown, victim: string): unknown {
  const s = resolve(doc, schema);
  const other = s.enum?.find((v) => v !== chosen);
  if (other !== undefined) return other;
  if (typeof chosen === "boolean") return !chosen;
  if (typeof chosen === "number") return chosen + 4242;
  if (typeof chosen === "string") {
    if (UUID.test(chosen)) return crypto.randomUUID();
    if (!Number.isNaN(Date.parse(chosen)) && /^\d{4}-/.test(chosen)) return "2001-01-01T00:00:00.000Z";
    return marker();
  }
  if (chosen === null && typesOf(s).includes("string")) return marker();
  return chosen === undefined ? victim : undefined;
}

/** The document with every object schema closed: no property beyond those it lists (allOf merged). */
function strict(schema: Schema): Schema {
  if (schema.allOf) {
    const parts = schema.allOf.map((p) => resolve(doc, p));
    if (parts.every((p) => typesOf(p).includes("object") || p.properties)) {
      const merged: Schema = {
        type: "object",
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      };
      return strict(merged);
    }
  }
  const out: Schema = { ...schema };
  if (out.properties) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, strict(v)]));
    if (out.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (out.items) out.items = strict(out.items);
  if (typeof out.additionalProperties === "object")
    out.additionalProperties = strict(out.additionalProperties);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const list = out[key];
    if (list) out[key] = list.map(strict);
  }
  return out;
}

const strictChecker = new ContractChecker({
  ...doc,
  components: {
    ...doc.components,
    schemas: Object.fromEntries(
      Object.entries(doc.components?.schemas ?? {}).map(([k, v]) => [k, strict(v)]),
    ),
  },
});

const withBody = operations.filter((op) => op.path.startsWith("/v1/") && paramsSchema(op) !== undefined);

describe("OWASP API3:2023 Broken Object Property Level Authorization", () => {
  for (const op of withBody) {
    it(`${op.key} takes none of the read-only or privileged properties it is sent`, async () => {
      const writable = new Set(Object.keys(paramsSchema(op)?.properties ?? {}));
      const shown = resultSchema(op);
      const victim = await entitled();
      const plain = await send(await validRequest(op, victim));
      expect(ok(plain), plain.text.slice(0, 200)).toBe(true);
      const chosen = ((plain.body as { result?: Json }).result ?? {}) as Json;

      const poison: Json = {};
      for (const name of new Set([...Object.keys(chosen), ...PRIVILEGED])) {
        if (writable.has(name)) continue;
        const value =
          name === "partner_id"
            ? victim.partner.id
            : poisonFor(shown.properties?.[name], chosen[name], victim.partner.id);
        if (value !== undefined) poison[name] = value;
      }
      expect(Object.keys(poison).length).toBeGreaterThan(3);

      const caller = await entitled();
      const valid = await validRequest(op, caller);
      const body = valid.json as { params?: Json };
      const before = await settledState([victim.partner.id]);
      const sent = await send({ ...valid, json: { ...body, params: { ...body.params, ...poison } } });
      expect(sent.status, sent.text.slice(0, 300)).toBeLessThan(500);
      if (ok(sent)) {
        const result = ((sent.body as { result?: Json }).result ?? {}) as Json;
        for (const [name, value] of Object.entries(poison)) {
          if (name === "partner_id") continue;
          expect(result[name], `${op.key} took ${name} = ${JSON.stringify(value)}`).not.toEqual(value);
        }
      }
      // Values nobody else could have written (markers, fresh ids, a date long past) are nowhere stored.
      const unique = Object.values(poison).filter(
        (v): v is string =>
          typeof v === "string" &&
          (v.startsWith("mass-assigned-") ||
            v.startsWith("2001-") ||
            (UUID.test(v) && v !== victim.partner.id)),
      );
      expect(unique.length).toBeGreaterThan(0);
      const stored = JSON.stringify(await storedState(caller.partner.id));
      expect(unique.filter((v) => stored.includes(v))).toEqual([]);
      expect(await changedSince(before, [victim.partner.id])).toEqual([]);
    });
  }

  it("the strict document refuses a property it does not list", async () => {
    const op = operations.find((o) => o.key === "GET /v1/partner") as Operation;
    const ex = await send(await validRequest(op, await entitled()));
    expect(strictChecker.check(op, ex, "success")).toEqual([]);
    const body = ex.body as { result: Json };
    const leaky = { ...ex, body: { ...body, result: { ...body.result, password_hash: "x" } } };
    expect(strictChecker.check(op, leaky, "success").join()).toContain(
      "does not match the documented schema",
    );
  });

  for (const op of operations) {
    it(`${op.key} answers nothing its documented schema does not list`, async () => {
      const ctx = await entitled();
      const ex = await send(await validRequest(op, ctx));
      expect(ok(ex), ex.text.slice(0, 200)).toBe(true);
      expect(strictChecker.check(op, ex, "success")).toEqual([]);
    });
  }
});
