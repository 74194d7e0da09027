import { describe, expect, it } from "vitest";
import { attachCode } from "../../../src/modules/cards/attach";
import { first6, last4, luhnValid, maskedPan } from "../../../src/modules/cards/connector/pan";
import {
  SANDBOX_CARD_NUMBERS,
  SANDBOX_PHONE_SMS_FAILS,
  SANDBOX_PHYSICAL_ISSUE_SECONDS,
  SANDBOX_SMS_CODE,
  SandboxCardSystem,
} from "../../../src/modules/cards/connector/sandbox";
import type { CardOrder } from "../../../src/modules/cards/connector/types";
import { cardEventId } from "../../../src/modules/cards/events";
import { isUuid } from "../../../src/platform/lib/ids";

const order: CardOrder = {
  applicationId: "01900000-0000-7000-8000-0000000000aa",
  type: "physical",
  currency: "EUR",
  applicant: {
    full_name: "Dilnoza Yusupova",
    phone_number: "+998935550147",
    birth_date: "1988-11-02",
    document_number: "AC7654321",
    address: "Samarkand",
  },
};

describe("card numbers", () => {
  it("the Luhn check", () => {
    for (const good of [
      "4111111111111111",
      "5555555555554444",
      "8600008000004242",
      ...Object.values(SANDBOX_CARD_NUMBERS),
    ])
      expect(luhnValid(good), good).toBe(true);
    for (const bad of ["4111111111111112", "8600008000004243", "", "4111 1111 1111 1111", "41111111111x1111"])
      expect(luhnValid(bad), bad).toBe(false);
  });

  it("first 6, last 4, masked", () => {
    expect([first6("8600008000004242"), last4("8600008000004242")]).toEqual(["860000", "4242"]);
    expect(maskedPan("860000", "4242")).toBe("860000******4242");
  });
});

describe("attach codes", () => {
  it("the sandbox's is fixed; production's are six random digits", () => {
    expect(attachCode({ ENVIRONMENT: "sandbox" })).toBe(SANDBOX_SMS_CODE);
    const codes = new Set(Array.from({ length: 200 }, () => attachCode({ ENVIRONMENT: "production" })));
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(codes.size).toBeGreaterThan(190);
  });
});

describe("card event ids", () => {
  it("one per type and object, a UUID v7 stamped with when it happened", async () => {
    const at = "2026-11-23T10:00:00.000Z";
    const id = await cardEventId("card.blocked", "card-1", at);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe("7");
    expect(await cardEventId("card.blocked", "card-1", at)).toBe(id);
    expect(await cardEventId("card.attached", "card-1", at)).not.toBe(id);
    expect(await cardEventId("card.blocked", "card-2", at)).not.toBe(id);
    // Ids sort by time, like every other event's.
    const later = await cardEventId("card.attached", "card-1", "2026-11-23T10:00:01.000Z");
    expect(later > id).toBe(true);
  });
});

describe("the sandbox card system", () => {
  const system = new SandboxCardSystem();

  it("issues a virtual card at once and a physical one after its production time", async () => {
    const virtual = await system.orderCard({ ...order, type: "virtual" });
    expect(virtual.status).toBe("completed");
    const placed = await system.orderCard(order);
    expect(placed.status).toBe("in_progress");
    const submitted = { ...order, reference: placed.reference, submittedAt: Date.UTC(2026, 10, 23) };
    expect((await system.orderStatus(submitted, submitted.submittedAt + 1000)).status).toBe("in_progress");
    const done = await system.orderStatus(
      submitted,
      submitted.submittedAt + SANDBOX_PHYSICAL_ISSUE_SECONDS * 1000,
    );
    expect(done).toMatchObject({
      status: "completed",
      card: { first6: "527883", holderName: "DILNOZA YUSUPOVA", expiryMonth: 11, expiryYear: 2030 },
    });
    // Deterministic: the same order is the same card.
    const again = await system.orderStatus(submitted, submitted.submittedAt + 10_000_000);
    if (done.status !== "completed" || again.status !== "completed") throw new Error("not issued");
    expect([again.card.reference, again.card.last4]).toEqual([done.card.reference, done.card.last4]);
  });

  it("knows every Luhn-valid number but the unknown one, names it by its own id, never by the number", async () => {
    expect(await system.findCard(SANDBOX_CARD_NUMBERS.unknown)).toBeUndefined();
    expect((await system.findCard(SANDBOX_CARD_NUMBERS.alreadyAttached))?.attached).toBe(true);
    const card = await system.findCard("8600008000004242");
    expect(card).toMatchObject({ first6: "860000", last4: "4242", attached: false });
    expect(card?.reference).toMatch(/^sbx_card_[0-9a-f]{32}$/);
    expect(card?.reference).not.toContain("8600008000004242");
    expect((await system.findCard("8600008000004242"))?.reference).toBe(card?.reference);
  });

  it("fails the SMS to one phone number only", async () => {
    const req = { cardReference: "sbx_card_x", code: SANDBOX_SMS_CODE };
    expect(await system.sendAttachCode({ ...req, phoneNumber: SANDBOX_PHONE_SMS_FAILS })).toBe(false);
    expect(await system.sendAttachCode({ ...req, phoneNumber: "+998901112233" })).toBe(true);
  });
});
