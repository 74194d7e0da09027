import { describe, expect, it } from "vitest";
import {
  checkCall,
  ThresholdsSchema,
  thresholdsCrossed,
  thresholdsReached,
} from "../../../src/modules/billing/quota";
import { planOf, seeded } from "./support";

const tiers = [{ up_to: null, price: { minor: 5, per: 1 } }];
const blocking = planOf({
  overage: "block",
  products: { kyc: { included_calls: 3 }, fx: { tiers }, cards: { included_calls: 0 } },
});
const billing = planOf({ products: { kyc: { included_calls: 3, tiers } } });

describe("quotas: overage block and bill", () => {
  it("block: the included calls and not one more", () => {
    expect([0, 1, 2, 3, 4].map((used) => checkCall(blocking, "kyc", used).allowed)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(checkCall(blocking, "kyc", 2)).toEqual({
      allowed: true,
      limit: 3,
      used: 2,
      remaining: 1,
      overage: false,
    });
    expect(checkCall(blocking, "kyc", 3)).toEqual({
      allowed: false,
      limit: 3,
      used: 3,
      remaining: 0,
      overage: true,
    });
    expect(checkCall(blocking, "kyc", 9).remaining).toBe(0);
  });

  it("block: a product without included calls is not capped by the plan; included 0 refuses every call", () => {
    expect(checkCall(blocking, "fx", 1_000_000)).toEqual({
      allowed: true,
      limit: null,
      used: 1_000_000,
      remaining: null,
      overage: false,
    });
    expect(checkCall(blocking, "payments", 5).allowed).toBe(true); // not in the plan
    expect(checkCall(blocking, "cards", 0)).toMatchObject({ allowed: false, limit: 0, remaining: 0 });
  });

  it("bill: never refused; past the included calls is overage", () => {
    expect(checkCall(billing, "kyc", 2)).toEqual({
      allowed: true,
      limit: null,
      used: 2,
      remaining: null,
      overage: false,
    });
    expect(checkCall(billing, "kyc", 3)).toEqual({
      allowed: true,
      limit: null,
      used: 3,
      remaining: null,
      overage: true,
    });
    expect(checkCall(billing, "kyc", 10_000).allowed).toBe(true);
    expect(() => checkCall(billing, "kyc", -1)).toThrow(RangeError);
  });
});

describe("usage alerts: thresholds of the included calls", () => {
  const plan = planOf({ products: { payments: { included_calls: 1000 }, kyc: { included_calls: 3 } } });

  it("reached when used × 100 ≥ p × included, sorted, each once", () => {
    const t = [100, 80, 50, 80];
    expect(thresholdsReached(plan, "payments", 0, t)).toEqual([]);
    expect(thresholdsReached(plan, "payments", 499, t)).toEqual([]);
    expect(thresholdsReached(plan, "payments", 500, t)).toEqual([50]);
    expect(thresholdsReached(plan, "payments", 799, t)).toEqual([50]);
    expect(thresholdsReached(plan, "payments", 800, t)).toEqual([50, 80]);
    expect(thresholdsReached(plan, "payments", 1000, t)).toEqual([50, 80, 100]);
    expect(thresholdsReached(plan, "payments", 1500, [150, 200])).toEqual([150]);
  });

  it("in integers: 67 % of 3 calls is reached at the third", () => {
    expect(thresholdsReached(plan, "kyc", 2, [67])).toEqual([]); // 66.67 %
    expect(thresholdsReached(plan, "kyc", 3, [67])).toEqual([67]);
    expect(thresholdsReached(plan, "kyc", 2, [66])).toEqual([66]);
  });

  it("none without included calls", () => {
    expect(thresholdsReached(plan, "fx", 1_000_000, [80])).toEqual([]);
    expect(thresholdsReached(planOf({ products: { fx: { included_calls: 0 } } }), "fx", 5, [80])).toEqual([]);
  });

  it("crossed: what a step reaches that the last did not, so each alert goes once", () => {
    expect(thresholdsCrossed(plan, "payments", 799, 800, [80, 100])).toEqual([80]);
    expect(thresholdsCrossed(plan, "payments", 800, 900, [80, 100])).toEqual([]);
    expect(thresholdsCrossed(plan, "payments", 0, 1000, [80, 100])).toEqual([80, 100]);
    const draw = seeded(80);
    for (let run = 0; run < 30; run++) {
      const sent: number[] = [];
      let used = 0;
      while (used < 1600) {
        const next = used + 1 + draw(90);
        sent.push(...thresholdsCrossed(plan, "payments", used, next, [50, 80, 100, 150]));
        used = next;
      }
      expect(sent).toEqual([50, 80, 100, 150]);
    }
  });

  it("a partner's thresholds are 1–1000 %", () => {
    expect(ThresholdsSchema.safeParse([50, 80, 100, 150]).success).toBe(true);
    expect(ThresholdsSchema.safeParse([0]).success).toBe(false);
    expect(ThresholdsSchema.safeParse([1001]).success).toBe(false);
    expect(ThresholdsSchema.safeParse([80.5]).success).toBe(false);
  });
});
