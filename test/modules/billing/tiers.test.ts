import { describe, expect, it } from "vitest";
import type { Tier } from "../../../src/modules/billing/plan";
import { billableCalls, priceTiers, tiersTotal } from "../../../src/modules/billing/tiers";
import { seeded } from "./support";

const at = (minor: number, per = 1) => ({ minor, per });
/** 1–100 at 10, 101–1000 at 5, past 1000 at 2 (minor units a call). */
const TIERS: Tier[] = [
  { up_to: 100, price: at(10) },
  { up_to: 1000, price: at(5) },
  { up_to: null, price: at(2) },
];
const graduated = (q: number, tiers = TIERS) => tiersTotal(priceTiers("graduated", tiers, q));
const volume = (q: number, tiers = TIERS) => tiersTotal(priceTiers("volume", tiers, q));

describe("tiers: graduated", () => {
  it("charges nothing for no calls", () => {
    expect(priceTiers("graduated", TIERS, 0)).toEqual([]);
  });

  it("exactly at a boundary stays in the band; one over starts the next", () => {
    expect(priceTiers("graduated", TIERS, 100)).toEqual([
      { tier: 0, from: 1, to: 100, quantity: 100, price: at(10), amount: 1000 },
    ]);
    expect(priceTiers("graduated", TIERS, 101)).toEqual([
      { tier: 0, from: 1, to: 100, quantity: 100, price: at(10), amount: 1000 },
      { tier: 1, from: 101, to: 1000, quantity: 1, price: at(5), amount: 5 },
    ]);
    expect(graduated(1000)).toBe(1000 + 900 * 5);
    expect(priceTiers("graduated", TIERS, 1001).at(-1)).toEqual({
      tier: 2,
      from: 1001,
      to: null,
      quantity: 1,
      price: at(2),
      amount: 2,
    });
    expect(graduated(1001)).toBe(5502);
  });

  it("one open band prices every call alike", () => {
    const flat: Tier[] = [{ up_to: null, price: at(3, 10) }];
    expect(priceTiers("graduated", flat, 25)).toEqual([
      { tier: 0, from: 1, to: null, quantity: 25, price: at(3, 10), amount: 8 }, // 7.5 → 8 (even)
    ]);
  });

  it("rounds each band's line once: bands of tiny prices add up exactly", () => {
    const tiny: Tier[] = [
      { up_to: 1_000_000, price: at(1, 1000) },
      { up_to: null, price: at(1, 2000) },
    ];
    const charges = priceTiers("graduated", tiny, 3_000_000);
    expect(charges.map((c) => c.amount)).toEqual([1000, 1000]);
    expect(tiersTotal(charges)).toBe(2000);
  });

  it("refuses bands that leave calls unpriced", () => {
    expect(() => priceTiers("graduated", [{ up_to: 10, price: at(1) }], 5)).toThrow(RangeError);
    expect(() => priceTiers("volume", [], 5)).toThrow(RangeError);
  });
});

describe("tiers: volume", () => {
  it("prices every call at the band the quantity ends in", () => {
    expect(priceTiers("volume", TIERS, 0)).toEqual([]);
    expect(priceTiers("volume", TIERS, 100)).toEqual([
      { tier: 0, from: 1, to: 100, quantity: 100, price: at(10), amount: 1000 },
    ]);
    expect(priceTiers("volume", TIERS, 101)).toEqual([
      { tier: 1, from: 101, to: 1000, quantity: 101, price: at(5), amount: 505 },
    ]);
    expect(volume(1000)).toBe(5000);
    expect(volume(1001)).toBe(2002);
  });

  it("differs from graduated on the same usage, and can fall at a boundary where graduated never does", () => {
    expect([graduated(50), volume(50)]).toEqual([500, 500]); // the first band: the same
    expect([graduated(101), volume(101)]).toEqual([1005, 505]);
    expect([graduated(1001), volume(1001)]).toEqual([5502, 2002]);
    expect(volume(101)).toBeLessThan(volume(100)); // the volume cliff
    expect(graduated(101)).toBeGreaterThan(graduated(100));
  });
});

describe("included calls", () => {
  it("are taken off before the bands; never below zero", () => {
    expect(billableCalls(0, 1000)).toBe(0);
    expect(billableCalls(999, 1000)).toBe(0);
    expect(billableCalls(1000, 1000)).toBe(0);
    expect(billableCalls(1001, 1000)).toBe(1);
    expect(billableCalls(500)).toBe(500);
    expect(() => billableCalls(-1, 0)).toThrow(RangeError);
  });
});

describe("tiers: properties over seeded random bands", () => {
  const draw = seeded(15);
  const randomTiers = (descending: boolean): Tier[] => {
    const n = 1 + draw(5);
    let bound = 0;
    let price = 1 + draw(1000);
    return Array.from({ length: n }, (_, i) => {
      bound += 1 + draw(500);
      price = descending ? Math.max(0, price - draw(200)) : draw(1000);
      return { up_to: i === n - 1 ? null : bound, price: at(price, descending ? 1 : 1 + draw(1000)) };
    });
  };

  it("graduated: monotonic in quantity, bands contiguous, quantities summing to the calls", () => {
    for (let run = 0; run < 50; run++) {
      const tiers = randomTiers(false);
      let last = 0;
      for (let q = 0; q <= 3000; q += 1 + draw(60)) {
        const charges = priceTiers("graduated", tiers, q);
        expect(charges.reduce((s, c) => s + c.quantity, 0)).toBe(q);
        charges.forEach((c, i) => {
          expect(c.from).toBe((tiers[c.tier - 1]?.up_to ?? 0) + 1);
          if (i > 0) expect(c.tier).toBe((charges[i - 1]?.tier ?? -1) + 1);
        });
        const total = tiersTotal(charges);
        expect(total).toBeGreaterThanOrEqual(last);
        last = total;
      }
    }
  });

  it("volume: one charge of every call; with falling prices never above graduated", () => {
    for (let run = 0; run < 50; run++) {
      const tiers = randomTiers(true);
      for (let q = 1; q <= 3000; q += 1 + draw(60)) {
        const [charge, ...rest] = priceTiers("volume", tiers, q);
        expect(rest).toEqual([]);
        expect(charge?.quantity).toBe(q);
        expect(volume(q, tiers)).toBeLessThanOrEqual(graduated(q, tiers));
      }
    }
  });
});
