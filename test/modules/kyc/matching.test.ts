import { describe, expect, it } from "vitest";
import { fieldMatches, normaliseDocument, normaliseName } from "../../../src/modules/kyc/connector/matching";
import { checksOf, outcomeOf } from "../../../src/modules/kyc/model";

describe("KYC matching", () => {
  it("compares names without case, spacing, punctuation, apostrophe variants or word order", () => {
    expect(normaliseName("  Karimov   AZIZ ")).toBe("aziz karimov");
    expect(normaliseName("Oʻrinboyev G‘ayrat")).toBe(normaliseName("O'rinboyev G`ayrat"));
    expect(fieldMatches("full_name", "aziz-karimov", "Aziz Karimov")).toBe(true);
    expect(fieldMatches("full_name", "Aziz Karimova", "Aziz Karimov")).toBe(false);
    expect(fieldMatches("full_name", "Aziz", "Aziz Karimov")).toBe(false);
  });

  it("compares document numbers without case, spaces or dashes; dates exactly", () => {
    expect(normaliseDocument("aa 123-4567")).toBe("AA1234567");
    expect(fieldMatches("document_number", "aa1234567", "AA1234567")).toBe(true);
    expect(fieldMatches("birth_date", "1990-05-17", "1990-05-17")).toBe(true);
    expect(fieldMatches("birth_date", "1990-5-17", "1990-05-17")).toBe(false);
  });
});

describe("KYC outcome", () => {
  const found = { found: true, checks: { full_name: "match", birth_date: "no_match" } } as const;

  it("a field not sent is not_checked; a field sent about an unknown identifier is no_match", () => {
    expect(checksOf(["full_name", "birth_date"], found)).toEqual({
      full_name: "match",
      birth_date: "no_match",
      document_number: "not_checked",
    });
    // Even if an upstream said "match" for an identifier it does not know.
    expect(checksOf(["full_name"], { found: false, checks: { full_name: "match" } })).toEqual({
      full_name: "no_match",
      birth_date: "not_checked",
      document_number: "not_checked",
    });
    // A field the bank answered without being asked is not reported.
    expect(checksOf(["birth_date"], found).full_name).toBe("not_checked");
  });

  it("match when all checked fields match, no_match when none does, partial in between", () => {
    expect(outcomeOf({ full_name: "match", birth_date: "not_checked", document_number: "match" })).toBe(
      "match",
    );
    expect(outcomeOf({ full_name: "match", birth_date: "no_match", document_number: "not_checked" })).toBe(
      "partial",
    );
    expect(outcomeOf({ full_name: "no_match", birth_date: "no_match", document_number: "not_checked" })).toBe(
      "no_match",
    );
    expect(
      outcomeOf({ full_name: "not_checked", birth_date: "not_checked", document_number: "not_checked" }),
    ).toBe("no_match");
  });
});
