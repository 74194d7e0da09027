import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_BODY_BYTES } from "../../../src/platform/middleware/json-body";
import { editBody } from "../../contract/mutations";
import { type Operation, resolve, type Schema, typesOf } from "../../contract/openapi";
import { exchangeOf, toRequest } from "../../contract/request";
import { BASE, basic, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import {
  bare,
  changedSince,
  credentialsOf,
  doc,
  entitled,
  expectEnvelope,
  ok,
  operations,
  paramsSchema,
  send,
  sendWith,
  settledState,
  v1,
  validRequest,
} from "./support";

// OWASP API4:2023. What one request may make the gateway hold or do is bounded: the body
// (1 MiB; the token endpoint 64 KiB), a list's page (its documented `limit` maximum), every
// string and array the document bounds (maxLength, maxItems: enforced, and present on every free
// text), and every /v1 operation counts against the partner's rate limit. The contract battery
// (test/contract/) sends 10 KB strings everywhere; this file checks each documented bound at its
// edge. Upstream calls' time and size limits are API10's.

const withBody = v1.filter((op) => ["POST", "PUT", "PATCH"].includes(op.method));
const lists = v1.filter((op) =>
  (op.doc.parameters ?? []).some((p) => p.in === "query" && p.name === "limit"),
);

/** Every field of a schema with its path (array items as "0"), as the battery walks them. */
function fieldsOf(schema: Schema, path: string[] = []): [string[], Schema][] {
  const s = resolve(doc, schema);
  const out: [string[], Schema][] = [];
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    const r = resolve(doc, child);
    out.push([[...path, name], r], ...fieldsOf(r, [...path, name]));
  }
  if (s.items) out.push(...fieldsOf(s.items, [...path, "0"]), [[...path, "0"], resolve(doc, s.items)]);
  if (typeof s.additionalProperties === "object")
    out.push([[...path, "contract_key"], resolve(doc, s.additionalProperties)]);
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) out.push(...fieldsOf(alt, path));
  return out;
}

const bodyFields = (op: Operation) => {
  const params = paramsSchema(op);
  return params ? fieldsOf(params, ["params"]) : [];
};

afterEach(() => {
  vi.useRealTimers();
});

describe("OWASP API4:2023 Unrestricted Resource Consumption", () => {
  it(`every operation with a body refuses one over ${MAX_BODY_BYTES} bytes, declared or streamed: 413 code 32`, async () => {
    const ctx = await entitled();
    const { partner } = ctx;
    const credentialOf = await credentialsOf(ctx, withBody);
    const before = await settledState([partner.id]);
    const big = JSON.stringify({ params: { pad: "x".repeat(MAX_BODY_BYTES) } });
    expect(withBody.length).toBeGreaterThan(25);
    for (const op of withBody) {
      const req = bare(op, { token: credentialOf(op), headers: { "Content-Type": "application/json" } });
      const declared = await send({ ...req, raw: big });
      expectEnvelope(declared, 413, 32);
      const streamed = new Request(toRequest(BASE, req), {
        body: new Blob([big]).stream(),
        // @ts-expect-error workerd's RequestInit takes `duplex` for a streamed body
        duplex: "half",
      });
      expectEnvelope(await exchangeOf(req, await SELF.fetch(streamed)), 413, 32);
    }
    expect(await changedSince(before, [partner.id])).toEqual([]);
  });

  it("the token endpoint refuses a body over 64 KiB", async () => {
    const p = await provisionPartner();
    const res = await SELF.fetch(`${BASE}/oauth2/token`, {
      method: "POST",
      headers: {
        Authorization: basic(p.consumerKey, p.consumerSecret),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: `grant_type=client_credentials&pad=${"x".repeat(64 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });

  it("every list documents a page size of at most 100, answers it, and refuses one more", async () => {
    expect(lists.length).toBeGreaterThan(10);
    for (const op of lists) {
      const limit = op.doc.parameters?.find((p) => p.name === "limit")?.schema ?? {};
      expect(limit.maximum, op.key).toBeLessThanOrEqual(100);
      expect(limit.minimum, op.key).toBe(1);
      const ctx = await entitled();
      const valid = await validRequest(op, ctx);
      const max = String(limit.maximum);
      const page = await send({ ...valid, query: { ...valid.query, limit: max } });
      expect(ok(page), `${op.key} limit=${max}: ${page.text.slice(0, 200)}`).toBe(true);
      for (const value of [String((limit.maximum ?? 0) + 1), "0", "1000000"]) {
        const refused = await send({ ...valid, query: { ...valid.query, limit: value } });
        expect(expectEnvelope(refused, 400, 4).field, `${op.key} limit=${value}`).toBe("limit");
      }
    }
  });

  it("every free-text string of a request body is bounded: maxLength, or an enum, pattern or format", () => {
    const unbounded = withBody.flatMap((op) =>
      bodyFields(op)
        .filter(([, s]) => typesOf(s).includes("string"))
        .filter(([, s]) => s.maxLength === undefined && !s.enum && !s.pattern && !s.format)
        .map(([path]) => `${op.key} ${path.join(".")}`),
    );
    expect(unbounded).toEqual([]);
    const arrays = withBody.flatMap((op) =>
      bodyFields(op)
        .filter(([, s]) => typesOf(s).includes("array") && s.maxItems === undefined)
        .map(([path]) => `${op.key} ${path.join(".")}`),
    );
    expect(arrays).toEqual([]);
  });

  it("every documented maxLength and maxItems is enforced at its edge: one more is 400 code 4 naming the field", async () => {
    const cases = withBody.flatMap((op) =>
      bodyFields(op)
        .filter(
          ([path, s]) =>
            s.maxLength !== undefined || s.maxItems !== undefined || path.includes("contract_key"),
        )
        .filter(([path]) => !path.includes("0"))
        .map(([path, s]) => ({ op, path, s })),
    );
    expect(cases.length).toBeGreaterThan(10);
    for (const { op, path, s } of cases) {
      const ctx = await entitled();
      const valid = await validRequest(op, ctx);
      const before = await settledState([ctx.partner.id]);
      const over =
        s.maxItems !== undefined
          ? Array.from({ length: s.maxItems + 1 }, () => resolve(doc, s.items).enum?.[0] ?? "x")
          : "x".repeat((s.maxLength ?? 0) + 1);
      const ex = await send({ ...valid, json: editBody(valid.json, { kind: "set", path, value: over }) });
      const at = `${op.key} ${path.join(".")}`;
      expect(expectEnvelope(ex, 400, 4).field, at).toBe(path.join("."));
      expect(await changedSince(before, [ctx.partner.id]), at).toEqual([]);
      // Free text is taken right up to its bound (a token or a number has more rules than its length).
      if (s.maxLength !== undefined && /description|contract_key|address|full_name/.test(path.join("."))) {
        const edge = await send({
          ...valid,
          json: editBody(valid.json, { kind: "set", path, value: "x".repeat(s.maxLength) }),
        });
        expect(ok(edge), `${at} at ${s.maxLength}: ${edge.text.slice(0, 200)}`).toBe(true);
      }
    }
  });

  it("every /v1 operation counts against the partner's rate limit: the second request in a second is 429 code 40", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const second = new Date("2026-11-22T12:00:00.250Z");
    for (const op of v1) {
      const p = await provisionPartner({ tier: "sandbox", rateLimitPerSecond: 1 });
      const ctx = { partner: p, token: await tokenFor(p) };
      // The operation's credential (a publishable key for POST /v1/tokens) is issued a second
      // before: issuing it is a request of the partner's too.
      vi.setSystemTime(second.getTime() - 1_000);
      const token = (await credentialsOf(ctx, [op]))(op);
      vi.setSystemTime(second);
      const req = () => bare(op, { token, ...(withBody.includes(op) ? { json: { params: {} } } : {}) });
      await sendWith({}, req());
      const before = await settledState([p.id]);
      const limited = await sendWith({}, req());
      expectEnvelope(limited, 429, 40);
      expect(await changedSince(before, [p.id]), op.key).toEqual([]);
    }
  }, 60_000);

  it("operations other than /v1 are few and cheap: the document lists only the authorization server's endpoints and /status", () => {
    expect(operations.filter((op) => !op.path.startsWith("/v1/")).map((op) => op.key)).toEqual([
      "POST /oauth2/token",
      "POST /oauth2/revoke",
      "POST /oauth2/introspect",
      "POST /oauth2/par",
      "GET /status",
    ]);
  });
});
