import { describe, expect, it } from "vitest";
import type { Operation } from "../../contract/openapi";
import type { ContractRequest } from "../../contract/request";
import {
  as,
  changedSince,
  entitled,
  errorOf,
  expectEnvelope,
  ok,
  paramsSchema,
  send,
  settledState,
  v1,
  validRequest,
} from "./support";

// OWASP API1:2023. The per-route security suite (test/support/security-suite.ts, `createOwned`:
// "answers another partner's object exactly as an unknown one: 404") is run by the module tests
// for the routes they list. Here the same claim is made for every operation the OpenAPI document
// lists that takes an object's id (a path parameter, an id header such as Consent-Id, an id field
// of the body such as quote_id or attachment_id), so that a new route cannot escape it.

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const isUuid = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v);

/** Where an operation takes an id, from its document entry. */
function idsTaken(op: Operation) {
  const params = op.doc.parameters ?? [];
  const body = paramsSchema(op);
  return {
    path: params.filter((p) => p.in === "path").map((p) => p.name),
    // An id header is named for its object (Consent-Id); Idempotency-Key and Portico-Version are not ids.
    headers: params.filter((p) => p.in === "header" && /-Id$/i.test(p.name)).map((p) => p.name),
    body: Object.entries(body?.properties ?? {})
      .filter(([name, s]) => name.endsWith("_id") || s.format === "uuid")
      .map(([name]) => name),
  };
}

const takesIds = (op: Operation) => Object.values(idsTaken(op)).some((names) => names.length > 0);

/**
 * An id nobody has, of the same form as `id`: a uuid, or a prefixed id (`cus_…`, `spm_…`) with
 * its prefix kept and each later character replaced by a random one of its class.
 */
function unknownLike(id: string): string {
  if (isUuid(id)) return crypto.randomUUID();
  const prefixed: string = id;
  const cut = prefixed.indexOf("_") + 1;
  const pick = (chars: string) => chars[Math.floor(Math.random() * chars.length)] as string;
  const rest = [...prefixed.slice(cut)].map((ch) =>
    /[0-9a-f]/.test(ch)
      ? pick("0123456789abcdef")
      : /[a-z]/.test(ch)
        ? pick("abcdefghijklmnopqrstuvwxyz")
        : /[A-Z]/.test(ch)
          ? pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
          : ch,
  );
  return `${prefixed.slice(0, cut)}${rest.join("")}`;
}

/** The request with each id it carries (as the document places them) replaced by one nobody has. */
function withUnknownIds(op: Operation, req: ContractRequest): ContractRequest {
  const taken = idsTaken(op);
  const fresh = () => crypto.randomUUID();
  const params = (req.json as { params?: Record<string, unknown> } | undefined)?.params;
  return {
    ...req,
    pathParams: Object.fromEntries(Object.entries(req.pathParams).map(([k, v]) => [k, unknownLike(v)])),
    headers: Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, taken.headers.includes(k) && isUuid(v) ? fresh() : v]),
    ),
    ...(params
      ? {
          json: {
            ...(req.json as object),
            params: Object.fromEntries(
              Object.entries(params).map(([k, v]) => [k, taken.body.includes(k) && isUuid(v) ? fresh() : v]),
            ),
          },
        }
      : {}),
  };
}

const idTaking = v1.filter(takesIds);

describe("OWASP API1:2023 Broken Object Level Authorization", () => {
  it("finds the id-taking operations in the document: every path id, id header and id body field", () => {
    expect(idTaking.length).toBeGreaterThan(35);
    for (const key of [
      "GET /v1/accounts",
      "POST /v1/cards/attach/confirm",
      "POST /v1/fx/conversions",
      "DELETE /v1/partner/credentials/{id}",
    ])
      expect(
        idTaking.map((op) => op.key),
        key,
      ).toContain(key);
  });

  for (const op of idTaking) {
    it(`${op.key}: another partner's ids answer as unknown ones, and change nothing`, async () => {
      const owner = await entitled();
      const intruder = await entitled();
      const mine = await validRequest(op, owner);
      const partners = [owner.partner.id, intruder.partner.id];
      const before = await settledState(partners);

      const foreign = await send(as(op, mine, intruder.token));
      const unknownReq = withUnknownIds(op, mine);
      const unknown = await send(as(op, unknownReq, intruder.token));
      expect(ok(foreign), `${op.key} served another partner's object: ${foreign.text.slice(0, 200)}`).toBe(
        false,
      );
      const refusal = expectEnvelope(foreign, unknown.status);
      const unknownError = errorOf(unknown);
      expect({ code: refusal.code, reason: refusal.reason }).toEqual({
        code: unknownError?.code,
        reason: unknownError?.reason,
      });
      // The messages may name the id sent: each id is "ID" in both.
      const ids = [...Object.values(mine.pathParams), ...Object.values(unknownReq.pathParams)];
      const named = (message = "") =>
        ids.reduce((m, id) => m.split(id).join("ID"), message).replace(UUID, "ID");
      expect(named(refusal.message)).toBe(named(unknownError?.message));
      expect([403, 404]).toContain(foreign.status);
      expect(await changedSince(before, partners)).toEqual([]);

      // The very request is the owner's to make: the refusal was about whose ids they are.
      const own = await send(as(op, mine, owner.token));
      expect(ok(own), `${op.key} refused its owner: ${own.text.slice(0, 200)}`).toBe(true);
    });
  }
});
