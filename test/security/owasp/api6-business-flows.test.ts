import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ATTACH_PHONE, PAYOUT } from "../../contract/prerequisites";
import { freshPan } from "../../support/applicants";
import { call, tokenFor } from "../../support/http";
import { fund, provisionPartner } from "../../support/partners";
import { changedSince, entitled, operations, settledState } from "./support";

// OWASP API6:2023. The flows worth abusing are the SMS code sent to attach a card (SMS pumping,
// code guessing: the attempt limit is API2's) and payouts (money out). Partner registration is
// production's control plane (POST /onboarding/register, with Turnstile and a per-IP quota:
// test/control-plane/registration.test.ts), and a production partner exists only once the bank
// approves its application; the sandbox's /v1 has no flow that creates a partner.

const count = async (table: string, partnerId: string) =>
  (
    await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE partner_id = ?`)
      .bind(partnerId)
      .first<{ n: number }>()
  )?.n;

afterEach(() => {
  vi.useRealTimers();
});

describe("OWASP API6:2023 Unrestricted Access to Sensitive Business Flows", () => {
  it("no operation registers a partner or a user: there is no self-service sign-up", () => {
    const creating = operations.filter(
      (op) => op.method === "POST" && /\/(partners?|users?|register|signup|sign_up)$/.test(op.path),
    );
    expect(creating.map((op) => op.key)).toEqual([]);
  });

  it("one live SMS code per card and phone number: another attach is 409 code 1007 and makes nothing, until the code expires", async () => {
    const { partner, token } = await entitled();
    const attach = () =>
      call("POST", "/v1/cards/attach", {
        token,
        json: { params: { card_number: pan, phone_number: ATTACH_PHONE } },
      });
    const pan = freshPan();
    const first = await attach();
    expect(first.res.status).toBe(200);
    const before = await settledState([partner.id]);
    for (let i = 0; i < 3; i++) {
      const again = await attach();
      expect(again.res.status).toBe(409);
      expect(again.body.result).toBeNull();
      expect(again.body.error.code).toBe(1007);
    }
    expect(await changedSince(before, [partner.id])).toEqual([]);
    expect(await count("card_attachments", partner.id)).toBe(1);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 301_000);
    const later = await attach();
    expect(later.res.status).toBe(200);
    expect(await count("card_attachments", partner.id)).toBe(2);
  });

  it("concurrent payouts cannot spend more than the available balance", async () => {
    const p = await provisionPartner();
    await fund(p.id, 3 * PAYOUT.amount);
    const token = await tokenFor(p);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => call("POST", "/v1/payouts", { token, json: { params: PAYOUT } })),
    );
    const accepted = answers.filter((a) => a.res.status === 200);
    const refused = answers.filter((a) => a.res.status !== 200);
    expect(accepted).toHaveLength(3);
    for (const r of refused) {
      expect(r.res.status).toBe(409);
      expect(r.body.error.code).toBe(62);
    }
    expect(await count("payouts", p.id)).toBe(3);
    const balance = await call("GET", "/v1/balance", { token });
    const available = balance.body.result.available.find((b: { currency: string }) => b.currency === "UZS");
    expect(available?.amount ?? 0).toBe(0);
  });

  it("the contract's daily quota caps the flow: the next payout is 429 code 41, and none is made", async () => {
    const p = await provisionPartner({ dailyQuota: 3 });
    await fund(p.id, 100 * PAYOUT.amount);
    const token = await tokenFor(p);
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const r = await call("POST", "/v1/payouts", { token, json: { params: PAYOUT } });
      statuses.push(r.res.status);
      if (r.res.status === 429) expect(r.body.error.code).toBe(41);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(await count("payouts", p.id)).toBe(3);
  });
});
