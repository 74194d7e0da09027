import { describe, expect, it } from "vitest";
import { redact } from "../../src/platform/lib/logger";

describe("log redaction", () => {
  it("redacts card numbers, bare or separated, wherever they stand in a string", () => {
    expect(redact("card 4111111111111111 declined")).toBe("card [REDACTED-PAN] declined");
    expect(redact("4111-1111-1111-1111")).toBe("[REDACTED-PAN]");
    expect(redact("pan 8600 0080 0000 1008")).toBe("pan [REDACTED-PAN]");
  });

  it("keeps UUIDs made of digits whole, and still redacts a card number beside one", () => {
    const id = "00000000-0000-4000-8000-00000000de70";
    expect(redact(`partner ${id}`)).toBe(`partner ${id}`);
    expect(redact({ partner_id: "12345678-1234-7123-8123-123456789012" })).toEqual({
      partner_id: "12345678-1234-7123-8123-123456789012",
    });
    expect(redact(`${id} paid with 4111111111111111`)).toBe(`${id} paid with [REDACTED-PAN]`);
  });

  it("redacts secret-named fields whatever their value", () => {
    expect(redact({ consumer_secret: "cs_test_x", authorization: "Bearer y", amount: 5 })).toEqual({
      consumer_secret: "[REDACTED]",
      authorization: "[REDACTED]",
      amount: 5,
    });
  });
});
