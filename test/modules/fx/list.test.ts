import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { auditedReads, expectQueryRefusals, expectSwitchedOff, idsOf, pagesOf } from "../../support/lists";
import { fund, provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

securitySuite({ method: "GET", path: "/v1/fx/conversions", product: "fx", scope: "fx:read" });

const buyUsd = { sell_currency: "UZS", buy_currency: "USD", buy_amount: 1_000 };

async function setup() {
  const p = await provisionPartner();
  const token = await tokenFor(p);
  await fund(p.id, 200_000_000);
  const convert = async () => {
    const quote = (await call("POST", "/v1/fx/quotes", { token, json: { params: buyUsd } })).body.result;
    return (await call("POST", "/v1/fx/conversions", { token, json: { params: { quote_id: quote.id } } }))
      .body.result;
  };
  const list = async (query = "") => (await call("GET", `/v1/fx/conversions${query}`, { token })).body.result;
  return { p, token, convert, list };
}

describe("GET /v1/fx/conversions", () => {
  it("lists the conversions newest first, page by page", async () => {
    const s = await setup();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await s.convert());
    const newestFirst = made.map((x) => x.id).reverse();
    expect(await s.list()).toEqual({ data: made.slice().reverse(), has_more: false });
    expect(await s.list("?limit=1")).toEqual({ data: [made[2]], has_more: true });
    expect(await pagesOf("/v1/fx/conversions", s.token, 2)).toEqual([
      newestFirst.slice(0, 2),
      newestFirst.slice(2),
    ]);
  });

  it("shows only the partner's own conversions", async () => {
    const a = await setup();
    const b = await setup();
    const mine = await a.convert();
    expect(idsOf(await a.list())).toEqual([mine.id]);
    expect(await b.list()).toEqual({ data: [], has_more: false });
    const theirs = await b.convert();
    expect(idsOf(await b.list())).toEqual([theirs.id]);
    expect(await b.list(`?starting_after=${mine.id}`)).toEqual({ data: [], has_more: false });
  });

  it("validates its query; the kill switch refuses it; it is not audited", async () => {
    const s = await setup();
    await expectQueryRefusals("/v1/fx/conversions", s.token);
    await expectSwitchedOff("/v1/fx/conversions", s.token, "fx");
    await s.list();
    expect(await auditedReads(s.p.id)).toEqual([]);
  });
});
