import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { periodContaining } from "../../../src/modules/billing/period";
import { call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { seedPlan } from "../../support/plans";
import { meteredTotal } from "./metering-support";

const limiter = (partnerId: string) =>
  env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`sandbox:${partnerId}`));

describe("blocking overage (code 170)", () => {
  it("parallel calls across the limit: exactly the included calls succeed, the rest are 170 with Retry-After", async () => {
    const p = await provisionPartner({ products: ["payments", "fx"] });
    await seedPlan(
      p.id,
      { products: { payments: { included_calls: 5 } }, overage: "block" },
      { startsOn: "2026-01-01" },
    );
    const token = await tokenFor(p);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => call("GET", "/v1/payments", { token })),
    );
    const ok = answers.filter((a) => a.res.status === 200);
    const refused = answers.filter((a) => a.res.status === 429);
    expect([ok.length, refused.length]).toEqual([5, 7]);
    const period = periodContaining(
      { interval: "month", starts_on: "2026-01-01" },
      new Date().toISOString().slice(0, 10),
    );
    for (const r of refused) {
      expect(r.body).toMatchObject({
        result: null,
        error: { code: 170, reason: "plan_quota_exhausted", retryable: true, docs: "/docs#error-170" },
      });
      expect(r.body.error.message).toContain(`next period starts ${period?.end}`);
      const retry = Number(r.res.headers.get("Retry-After"));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(31 * 86_400);
    }
    // Another product of the plan without included calls is not blocked.
    expect((await call("GET", "/v1/fx/rates?sell_currency=UZS&buy_currency=USD", { token })).res.status).toBe(
      200,
    );
    // The count is the object's, shared by every isolate: it says 5 taken.
    expect(await limiter(p.id).takePlanCall("payments", period?.start ?? "", 5)).toEqual({
      allowed: false,
      used: 5,
    });
    // The refusals did no work: metered as refused, never billed.
    expect(await meteredTotal(p.id, 13)).toEqual({
      "listPayments/success": 5,
      "listPayments/refused": 7,
      "listFxRates/success": 1,
    });
  });

  it("a plan that bills overage, or no plan, never blocks", async () => {
    const billed = await provisionPartner({ products: ["payments"] });
    await seedPlan(billed.id, { products: { payments: { included_calls: 1 } }, overage: "bill" });
    const none = await provisionPartner({ products: ["payments"] });
    for (const p of [billed, none]) {
      const token = await tokenFor(p);
      const answers = await Promise.all(
        Array.from({ length: 3 }, () => call("GET", "/v1/payments", { token })),
      );
      expect(answers.map((a) => a.res.status)).toEqual([200, 200, 200]);
    }
  });

  it("the next period counts from zero again, and the old period's count is dropped", async () => {
    const stub = limiter(crypto.randomUUID());
    expect(await stub.takePlanCall("kyc", "2026-01-01", 2)).toEqual({ allowed: true, used: 1 });
    expect(await stub.takePlanCall("kyc", "2026-01-01", 2)).toEqual({ allowed: true, used: 2 });
    expect(await stub.takePlanCall("kyc", "2026-01-01", 2)).toEqual({ allowed: false, used: 2 });
    expect(await stub.takePlanCall("kyc", "2026-02-01", 2)).toEqual({ allowed: true, used: 1 });
    // January's count is gone: asking for it again starts over (it is never asked once February began).
    expect(await stub.takePlanCall("kyc", "2026-01-01", 2)).toEqual({ allowed: true, used: 1 });
  });
});
