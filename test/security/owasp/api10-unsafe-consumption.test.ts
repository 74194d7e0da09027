import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_UPSTREAM_ANSWER_BYTES } from "../../../src/platform/upstream";
import { receiver } from "../../support/webhooks";
import {
  changedSince,
  entitled,
  errorOf,
  expectEnvelope,
  ok,
  productOf,
  sendWith,
  settledState,
  v1,
  validRequest,
} from "./support";

// OWASP API10:2023. The bank systems behind the products (src/platform/upstream.ts, each
// product's connector/http.ts) are consumed with a timeout, a size limit and their answers
// checked against the connector's schema. The connector tests check each mapping
// (test/modules/*/connector.test.ts, test/platform/upstream.test.ts); here every documented
// operation of a product with an upstream runs against upstreams that answer nonsense.

/** The bank system behind each product that has one (`upstreamFor(config, system)`). */
const SYSTEMS: Record<string, string> = {
  accounts: "accounts",
  cards: "cards",
  fx: "fx",
  kyc: "kyc",
  lending: "scoring",
};

/**
 * Creates that store their object before they ask the bank, so that a retry under the same
 * Idempotency-Key resumes it (docs/idempotency.md): a failed upstream leaves it unsubmitted.
 */
const WRITE_AHEAD: Record<string, { parts: string[]; check(partnerId: string): Promise<void> }> = {
  "POST /v1/cards/applications": {
    parts: ["0:card_applications", "0:events"],
    async check(partnerId) {
      const rows = await env.DB.prepare(
        "SELECT status, reference FROM card_applications WHERE partner_id = ? ORDER BY rowid DESC LIMIT 1",
      )
        .bind(partnerId)
        .first();
      expect(rows).toEqual({ status: "in_progress", reference: null });
    },
  },
  "POST /v1/loans/applications": {
    parts: ["0:loan_applications"],
    async check(partnerId) {
      const rows = await env.DB.prepare(
        "SELECT status, failure_code FROM loan_applications WHERE partner_id = ? ORDER BY rowid DESC LIMIT 1",
      )
        .bind(partnerId)
        .first();
      expect(rows).toEqual({ status: "failed", failure_code: 1005 });
    },
  },
};

/** The sandbox's simulate calls drive the simulator: with a bank system configured they answer 404. */
const upstreamOps = v1.filter(
  (op) => (productOf(op) ?? "") in SYSTEMS && !op.path.startsWith("/v1/sandbox/"),
);

describe("OWASP API10:2023 Unsafe Consumption of APIs", () => {
  it("every documented operation, its upstream answering off-schema JSON, refuses 1005 or never asked it", async () => {
    const marker = `upstream-${crypto.randomUUID()}`;
    const servers = Object.fromEntries(Object.values(SYSTEMS).map((system) => [system, receiver()]));
    // A JSON array where every connector reads an object (the card system's envelope included).
    const garbage = JSON.stringify([{ marker, result: { marker }, data: [{ marker }] }]);
    for (const server of Object.values(servers)) await server.script({ body: garbage });
    const overrides = {
      UPSTREAM_URLS: JSON.stringify(
        Object.fromEntries(Object.entries(servers).map(([system, s]) => [system, `${s.url}/`])),
      ),
    };
    const reached = new Set<string>();
    expect(upstreamOps.length).toBeGreaterThan(25);
    for (const op of upstreamOps) {
      const system = SYSTEMS[productOf(op) ?? ""] as string;
      const server = servers[system] as ReturnType<typeof receiver>;
      // The prerequisites through the sandbox; the operation itself against the nonsense.
      const ctx = await entitled();
      const req = await validRequest(op, ctx);
      const asked = (await server.received()).length;
      const before = await settledState([ctx.partner.id]);
      const ex = await sendWith(overrides, req);
      expect(ex.text, op.key).not.toContain(marker);
      if ((await server.received()).length === asked) {
        expect(ok(ex), `${op.key} did not ask ${system} and still failed: ${ex.text}`).toBe(true);
        continue;
      }
      reached.add(system);
      expectEnvelope(ex, 502, 1005);
      expect(errorOf(ex)?.message, op.key).toMatch(
        /^External service returned failed response\. Response code: 200, message: [\w ]+$/,
      );
      const changed = await changedSince(before, [ctx.partner.id]);
      expect(changed, op.key).toEqual(WRITE_AHEAD[op.key]?.parts ?? []);
      if (WRITE_AHEAD[op.key]) await WRITE_AHEAD[op.key]?.check(ctx.partner.id);
    }
    expect([...reached].sort()).toEqual(Object.values(SYSTEMS).sort());
  }, 60_000);

  it("an upstream answer over the size limit is refused, however well-formed", async () => {
    const server = receiver();
    const table = JSON.stringify({
      base: "UZS",
      as_of: "2026-03-01T10:00:00+05:00",
      rates: [{ currency: "USD", buy: "12500.00", sell: "12800.00" }],
    });
    const ctx = await entitled();
    const rates = {
      method: "GET",
      path: "/v1/fx/rates",
      pathParams: {},
      query: { sell_currency: "UZS", buy_currency: "USD" },
      headers: { Authorization: `Bearer ${ctx.token}` },
    };
    const overrides = { UPSTREAM_URLS: JSON.stringify({ fx: `${server.url}/` }) };
    await server.script({ body: table });
    expect((await sendWith(overrides, rates)).status).toBe(200);
    await server.script({ body: `${table}${" ".repeat(MAX_UPSTREAM_ANSWER_BYTES)}` });
    const big = await sendWith(overrides, rates);
    expectEnvelope(big, 502, 1005);
    expect(errorOf(big)?.message).toContain("answer too large");
  });

  it("an upstream that does not answer in time is given up on: 1005 within the configured bound", async () => {
    const server = receiver();
    await server.script({ delayMs: 3000, body: "{}" });
    const ctx = await entitled();
    const started = Date.now();
    const ex = await sendWith(
      { UPSTREAM_URLS: JSON.stringify({ kyc: `${server.url}/` }), UPSTREAM_TIMEOUT_MS: "100" },
      {
        method: "POST",
        path: "/v1/kyc/verifications",
        pathParams: {},
        query: {},
        headers: {
          Authorization: `Bearer ${ctx.token}`,
          "Content-Type": "application/json",
          "Idempotency-Key": crypto.randomUUID(),
        },
        json: {
          params: {
            account_number: "20208000900100000001",
            full_name: "Aziz Karimov",
            birth_date: "1990-05-17",
            document_number: "AA1234567",
          },
        },
      },
    );
    expectEnvelope(ex, 502, 1005);
    expect(errorOf(ex)?.message).toContain("timeout");
    // Three attempts of 100 ms and two backoffs (100, 200 ms): far below the upstream's 3 s.
    expect(Date.now() - started).toBeLessThan(2500);
  });
});
