import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { auditedReads, expectQueryRefusals, idsOf, pagesOf } from "../../support/lists";
import type { TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { logRow, partnerWithToken, rowOf, send } from "./support";

/** A request of the owner's, recorded: the id of its log entry. */
async function ownedEntry(_owner: TestPartner, token: string): Promise<string> {
  const r = await send("GET", "/v1/partner", { token });
  return (await rowOf(r.res)).id;
}

securitySuite({ method: "GET", path: "/v1/requests", product: null, scope: "usage:read" });
securitySuite({
  method: "GET",
  path: "/v1/requests/{id}",
  product: null,
  scope: "usage:read",
  createOwned: ownedEntry,
});

const T0 = Date.parse("2026-12-08T09:00:00.000Z");

/** Six known rows, one second apart, oldest first. */
async function seeded(partnerId: string) {
  const key = `key-${crypto.randomUUID()}`;
  const requestId = `req-${crypto.randomUUID()}`;
  const rows: [number, Parameters<typeof logRow>[2]][] = [
    [0, { method: "POST", route: "/v1/payments", path: "/v1/payments", status: 200, idempotencyKey: key }],
    [
      1,
      {
        method: "POST",
        route: "/v1/payments",
        path: "/v1/payments",
        status: 422,
        errorCode: 51,
        idempotencyKey: key,
      },
    ],
    [2, { method: "GET", route: "/v1/payments/:id", status: 404, errorCode: 30 }],
    [
      3,
      {
        method: "GET",
        route: "/v1/payouts",
        path: "/v1/payouts",
        product: "payouts",
        status: 200,
        requestId,
      },
    ],
    [4, { method: "GET", route: "/v1/requests", path: "/v1/requests", product: "usage", status: 200 }],
    [
      5,
      { method: "DELETE", route: null, path: "/v1/partner", product: "partner", status: 405, errorCode: 5 },
    ],
  ];
  const ids: string[] = [];
  for (const [s, fields] of rows) ids.push(await logRow(partnerId, T0 + s * 1000, fields));
  return { ids, key, requestId };
}

const list = async (token: string, query = "") => {
  const r = await call("GET", `/v1/requests${query}`, { token });
  expect(r.res.status, `${query}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body.result as { data: { id: string }[]; has_more: boolean };
};

describe("GET /v1/requests", () => {
  it("lists newest first, page by page, the log's own reads left out", async () => {
    const { partner, token } = await partnerWithToken();
    const { ids } = await seeded(partner.id);
    const shown = [ids[5], ids[3], ids[2], ids[1], ids[0]];
    const all = await list(token);
    expect(idsOf(all)).toEqual(shown);
    expect(all.has_more).toBe(false);
    expect(all.data[0]).toEqual({
      id: ids[5],
      object: "request_log_entry",
      request_id: expect.any(String),
      time: "2026-12-08T09:00:05.000Z",
      method: "DELETE",
      route: null,
      path: "/v1/partner",
      product: "partner",
      status: 405,
      error_code: 5,
      latency_ms: 10,
      idempotency_key: null,
      api_version: expect.any(String),
      client_id: "ck_test_rows",
      livemode: false,
    });
    expect(await pagesOf("/v1/requests", token, 2)).toEqual([
      shown.slice(0, 2),
      shown.slice(2, 4),
      shown.slice(4),
    ]);
    expect(await list(token, "?limit=1")).toMatchObject({ has_more: true });
  });

  it("filters, one by one and combined", async () => {
    const { partner, token } = await partnerWithToken();
    const { ids, key, requestId } = await seeded(partner.id);
    const cases: [string, (string | undefined)[]][] = [
      ["?status=200", [ids[3], ids[0]]],
      ["?outcome=success", [ids[3], ids[0]]],
      ["?outcome=error", [ids[5], ids[2], ids[1]]],
      ["?method=POST", [ids[1], ids[0]]],
      ["?route=/v1/payments/:id", [ids[2]]],
      ["?route=/v1/payments/{id}", [ids[2]]],
      ["?product=payouts", [ids[3]]],
      // The seeded day only: this test's own list calls are log reads too, recorded as they go.
      ["?product=usage&from=2026-12-08T00:00:00Z&to=2026-12-09T00:00:00Z", [ids[4]]],
      [`?from=${encodeURIComponent("2026-12-08T09:00:02.000Z")}`, [ids[5], ids[3], ids[2]]],
      [`?to=${encodeURIComponent("2026-12-08T09:00:02.000Z")}`, [ids[1], ids[0]]],
      [
        `?from=${encodeURIComponent("2026-12-08T10:00:01+01:00")}&to=2026-12-08T09:00:03.500Z`,
        [ids[3], ids[2], ids[1]],
      ],
      [`?request_id=${requestId}`, [ids[3]]],
      [`?idempotency_key=${key}`, [ids[1], ids[0]]],
      [`?idempotency_key=${key}&outcome=error`, [ids[1]]],
      ["?method=POST&status=404", []],
      ["?product=payments&outcome=error&limit=1", [ids[2]]],
    ];
    for (const [query, expected] of cases) expect(idsOf(await list(token, query)), query).toEqual(expected);
  });

  it("another partner never sees yours: not listed, not by id, not as a cursor", async () => {
    const owner = await partnerWithToken();
    const intruder = await partnerWithToken();
    const { ids, requestId } = await seeded(owner.partner.id);
    expect(await list(intruder.token)).toEqual({ data: [], has_more: false });
    expect(await list(intruder.token, `?request_id=${requestId}`)).toEqual({ data: [], has_more: false });
    expect(await list(intruder.token, `?starting_after=${ids[5]}`)).toEqual({ data: [], has_more: false });
    const foreign = await call("GET", `/v1/requests/${ids[3]}`, { token: intruder.token });
    const unknown = await call("GET", `/v1/requests/${crypto.randomUUID()}`, { token: intruder.token });
    for (const r of [foreign, unknown]) {
      expect(r.res.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 30, reason: "not_found" });
    }
    const mine = await call("GET", `/v1/requests/${ids[3]}`, { token: owner.token });
    expect(mine.body.result).toMatchObject({ id: ids[3], product: "payouts", request_body: null });
  });

  it("refuses a bad query with the validation envelope, naming the field; an entry's read is audited, the list's not", async () => {
    const { partner, token } = await partnerWithToken();
    await expectQueryRefusals("/v1/requests", token);
    const cases: [string, number, string][] = [
      ["status=99", 4, "status"],
      ["status=600", 4, "status"],
      ["status=ok", 3, "status"],
      ["outcome=maybe", 4, "outcome"],
      ["method=get", 4, "method"],
      ["route=payments", 4, "route"],
      [`route=/v1/${"x".repeat(200)}`, 4, "route"],
      ["product=everything", 4, "product"],
      ["from=yesterday", 4, "from"],
      ["to=2026-13-01T00:00:00Z", 4, "to"],
      ["request_id=a%20b", 4, "request_id"],
      [`idempotency_key=${"k".repeat(256)}`, 4, "idempotency_key"],
    ];
    for (const [query, code, field] of cases) {
      const r = await call("GET", `/v1/requests?${query}`, { token });
      expect(r.res.status, query).toBe(400);
      expect(r.body.result, query).toBeNull();
      expect(r.body.error, query).toMatchObject({ code, field });
    }
    expect(await auditedReads(partner.id)).toEqual([]);
    // An entry may hold licensed personal data (the sandbox's bodies): its read is audited, refused or not.
    const bad = await call("GET", "/v1/requests/not-a-uuid", { token });
    expect(bad.res.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 4, field: "id" });
    expect(await auditedReads(partner.id)).toEqual([{ action: "GET /v1/requests/{id}" }]);
  });
});
