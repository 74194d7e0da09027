import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { fetchWithEnv } from "../../support/http";
import { partnerWithKey } from "./helpers";

const PAN = "4000002500000003";
const CVC = "9731";

describe("the full card number and the CVC, on the payment methods' paths", () => {
  it("are never stored, answered or logged: tokenize, pay, save to a customer, pay with the saved card", async () => {
    const { token, pk } = await partnerWithKey();
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    const spies = [
      vi.spyOn(console, "log").mockImplementation(capture),
      vi.spyOn(console, "warn").mockImplementation(capture),
      vi.spyOn(console, "error").mockImplementation(capture),
    ];
    const answers: string[] = [];
    const send = async (method: string, path: string, bearer: string, params?: Record<string, unknown>) => {
      const r = await fetchWithEnv(createApp(), { LOG_LEVEL: "debug" }, path, {
        method,
        headers: {
          Authorization: `Bearer ${bearer}`,
          "Content-Type": "application/json",
          ...(method === "POST" ? { "Idempotency-Key": crypto.randomUUID() } : {}),
        },
        ...(params ? { body: JSON.stringify({ params }) } : {}),
      });
      answers.push(JSON.stringify(r.body));
      return r.body;
    };
    const card = (number: string, more: Record<string, unknown> = {}) => ({
      card: { number, exp_month: 12, exp_year: 2099, cvc: CVC, ...more },
    });
    // Refusals first: a bad check digit, an expired card, a number the vault does not know.
    await send("POST", "/v1/tokens", pk, card(`${PAN.slice(0, 15)}4`));
    await send("POST", "/v1/tokens", pk, card(PAN, { exp_year: 2020, exp_month: 1 }));
    await send("POST", "/v1/tokens", pk, card("4000002500000011"));
    await send("POST", "/v1/tokens", pk, card(PAN, { cvc: "97" }));
    const single = (await send("POST", "/v1/tokens", pk, card(PAN))).result.id;
    const paid = (
      await send("POST", "/v1/payments", token, {
        amount: 1000,
        currency: "UZS",
        payment_method_token: single,
      })
    ).result;
    expect(paid.payment_method.card).toEqual({
      brand: "visa",
      first6: PAN.slice(0, 6),
      last4: PAN.slice(-4),
    });
    const customer = (await send("POST", "/v1/customers", token, { metadata: {} })).result.id;
    const toSave = (await send("POST", "/v1/tokens", pk, card(PAN))).result.id;
    const saved = (
      await send("POST", `/v1/customers/${customer}/payment_methods`, token, {
        payment_method_token: toSave,
        consent: { accepted_at: "2026-12-01T10:00:00.000Z", reference: "terms-v1" },
      })
    ).result;
    await send("POST", "/v1/payments", token, {
      amount: 1000,
      currency: "UZS",
      customer,
      payment_method_token: saved.id,
    });
    await send("GET", `/v1/customers/${customer}/payment_methods`, token);
    await send("GET", `/v1/payments/${paid.id}`, token);
    await send("GET", "/v1/requests", token);
    for (const s of spies) s.mockRestore();

    const tables = (
      await env.DB.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
      ).all<{ name: string }>()
    ).results.map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        "payment_method_tokens",
        "saved_payment_methods",
        "customers",
        "request_log",
        "events",
      ]),
    );
    let dump = "";
    for (const name of tables) {
      const columns = (await env.DB.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>()).results;
      for (const c of columns) expect(c.name).not.toMatch(/cvc|cvv|pan$|card_number/);
      dump += JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
    }
    expect(lines.length).toBeGreaterThan(5);
    expect(dump).toContain(saved.card.fingerprint);
    expect(answers.join("\n")).toContain(`"last4":"${PAN.slice(-4)}"`);
    for (const text of [dump, answers.join("\n"), lines.join("\n")]) {
      for (const fragment of [
        PAN,
        PAN.slice(0, 12),
        PAN.slice(-10),
        `${PAN.slice(0, 15)}4`,
        "4000002500000011",
      ])
        expect(text).not.toContain(fragment);
      // The CVC is 4 digits, which random ids may hold by chance: it must not appear as a value.
      expect(text).not.toMatch(new RegExp(`["=:]\\s*\\\\?"?${CVC}\\b`));
    }
  });
});
