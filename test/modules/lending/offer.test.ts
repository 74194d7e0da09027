import { describe, expect, it } from "vitest";
import { SANDBOX_SCORING_DOCUMENTS, SandboxScoring } from "../../../src/modules/lending/connector/sandbox";
import type { ScoringRequest } from "../../../src/modules/lending/connector/types";
import { LOAN_OFFER_TTL_SECONDS, monthlyPayment, offerFrom } from "../../../src/modules/lending/offer";
import { ApiError } from "../../../src/platform/errors";

describe("monthlyPayment (annuity, integers only)", () => {
  it("matches the exact annuity, rounded up to the minor unit", () => {
    // Checked against exact rational arithmetic: 1 000 000.00 at 24 % over 12 months.
    expect(monthlyPayment(100_000_000, 2_400, 12)).toBe(9_455_960);
    expect(monthlyPayment(500_000, 2_400, 6)).toBe(89_263);
    expect(monthlyPayment(1_000, 1_200, 3)).toBe(341);
  });

  it("a zero rate splits the principal evenly, rounded up", () => {
    expect(monthlyPayment(100_000_000, 0, 12)).toBe(8_333_334);
    expect(monthlyPayment(120, 0, 12)).toBe(10);
  });

  it("stays exact at the largest amount, rate and term Portico accepts", () => {
    const payment = monthlyPayment(100_000_000_000_000, 20_000, 60);
    expect(payment).toBe(16_668_270_219_062);
    expect(Number.isSafeInteger(payment * 60)).toBe(true);
  });

  it("the payments always repay at least the principal", () => {
    for (const [p, bps, n] of [
      [1, 2_400, 60],
      [7, 1, 13],
      [99_999, 3_650, 24],
    ] as const) {
      expect(monthlyPayment(p, bps, n) * n).toBeGreaterThanOrEqual(p);
    }
  });

  it("refuses what is not a positive integer", () => {
    expect(() => monthlyPayment(0, 2_400, 12)).toThrow(RangeError);
    expect(() => monthlyPayment(10.5, 2_400, 12)).toThrow(RangeError);
    expect(() => monthlyPayment(10, -1, 12)).toThrow(RangeError);
    expect(() => monthlyPayment(10, 2_400, 0)).toThrow(RangeError);
  });
});

describe("offerFrom", () => {
  const decided = new Date("2026-03-01T10:00:00.000Z");
  const approved = (approvedAmount: number) =>
    ({ decision: "approved", reference: "r", approvedAmount, annualRateBps: 2_400, termMonths: 12 }) as const;

  it("never offers more than asked, and expires after the offer TTL", () => {
    const offer = offerFrom(approved(200_000_000), 100_000_000, decided);
    expect(offer).toEqual({
      amount: 100_000_000,
      annualRateBps: 2_400,
      termMonths: 12,
      monthlyPayment: 9_455_960,
      totalRepayable: 9_455_960 * 12,
      expiresAt: new Date(decided.getTime() + LOAN_OFFER_TTL_SECONDS * 1000).toISOString(),
    });
    expect(offerFrom(approved(40_000), 100_000, decided).amount).toBe(40_000);
  });
});

describe("SandboxScoring", () => {
  const request = (document_number: string, submittedAt = new Date().toISOString()): ScoringRequest => ({
    applicationId: "0190a0a0-0000-7000-8000-000000000001",
    submittedAt,
    applicant: { full_name: "A", document_number, phone_number: "998901234567", birth_date: "1990-01-01" },
    amount: 1_000_001,
    currency: "UZS",
    termMonths: 6,
  });
  const scoring = new SandboxScoring();
  const docs = SANDBOX_SCORING_DOCUMENTS;

  it("decides by document number", async () => {
    expect(await scoring.submit(request("AB1234567"))).toMatchObject({
      decision: "approved",
      approvedAmount: 1_000_001,
      termMonths: 6,
    });
    expect(await scoring.submit(request(docs.counterOffer))).toMatchObject({ approvedAmount: 500_000 });
    expect(await scoring.submit(request(docs.overdueLoans))).toMatchObject({ reason: "overdue_loans" });
    expect(await scoring.submit(request(docs.elevatedRisk))).toMatchObject({ reason: "elevated_risk" });
    await expect(scoring.submit(request(docs.upstreamEmpty))).rejects.toMatchObject({ code: 1004 });
    const failed = scoring.submit(request(docs.upstreamFailed));
    await expect(failed).rejects.toBeInstanceOf(ApiError);
    await expect(failed).rejects.toMatchObject({ code: 1005 });
  });

  it("an application under review is decided once the review time has passed", async () => {
    const fresh = request(docs.review);
    const first = await scoring.submit(fresh);
    expect(first.decision).toBe("review");
    expect((await scoring.poll(fresh, first.reference)).decision).toBe("review");
    const old = request(docs.review, new Date(Date.now() - 61_000).toISOString());
    expect((await scoring.poll(old, first.reference)).decision).toBe("approved");
  });
});
