import { describe, expect, it } from "vitest";
import {
  DATA_CATEGORIES,
  mayHoldPersonalData,
  minimise,
  PERSONAL_FIELDS,
} from "../../src/platform/data-access";

const person = {
  id: "0190",
  holder_name: "ALISHER USMANOV",
  phone_number: "+998901234567",
  document_number: "AB1234567",
  birth_date: "1990-01-31",
  card: { first6: "860012", last4: "4242", expiry_month: 12, expiry_year: 2030 },
  history: [{ full_name: "A U", email: "a@example.com", address: "Tashkent" }],
};

describe("data minimisation", () => {
  it("masks every personal field at any depth when nothing is licensed", () => {
    const out = JSON.stringify(minimise(person, new Set()));
    for (const secret of [
      "ALISHER",
      "1234567",
      "AB123",
      "1990-01-31",
      "A U",
      "a@example.com",
      "Tashkent",
      "2030",
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(minimise(person, new Set())).toMatchObject({
      id: "0190",
      phone_number: "***********67",
      card: { first6: "860012", last4: "4242", expiry_month: null, expiry_year: null },
    });
  });

  it("shows exactly the licensed categories", () => {
    const out = minimise(person, new Set(["name", "card_details"])) as typeof person;
    expect(out.holder_name).toBe("ALISHER USMANOV");
    expect(out.card.expiry_year).toBe(2030);
    expect(out.document_number).toBe("***");
    expect(out.history[0]?.full_name).toBe("A U");
    expect(out.history[0]?.email).toBe("***");
    expect(minimise(person, new Set(DATA_CATEGORIES))).toEqual(person);
  });

  it("every personal field belongs to a category a contract can license", () => {
    for (const category of Object.values(PERSONAL_FIELDS)) expect(DATA_CATEGORIES).toContain(category);
  });

  it("finds personal fields cheaply, and leaves other answers alone", () => {
    expect(mayHoldPersonalData(JSON.stringify(person))).toBe(true);
    expect(mayHoldPersonalData('{"id":"1","name":"Partner Ltd","amount":5}')).toBe(false);
  });
});
