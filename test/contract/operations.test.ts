import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SANDBOX_SMS_CODE } from "../../src/modules/cards/connector/sandbox";
import { DATA_CATEGORIES } from "../../src/platform/data-access";
import { BASE, tokenFor } from "../support/http";
import { fund, provisionPartner } from "../support/partners";
import { runBattery, type Target } from "./battery";
import { ContractChecker } from "./checker";
import { credentialFor, FIXTURES, requestOf } from "./fixtures";
import { type OpenApiDocument, operationsOf, resourceOf } from "./openapi";
import { consent, KYC_HOLDER, made, PAYOUT, VISA } from "./prerequisites";
import { exchangeOf, type Send, toRequest } from "./request";
import { shownState, storedState } from "./state";

// The document as partners get it: the walk covers whatever it documents, and nothing else.
const doc = await (await SELF.fetch(`${BASE}/openapi.json`)).json<OpenApiDocument>();
const checker = new ContractChecker(doc);
const operations = operationsOf(doc);
const send: Send = async (req) => exchangeOf(req, await SELF.fetch(toRequest(BASE, req)));

describe("the OpenAPI document, operation by operation", () => {
  it("has a fixture for each operation, and none for an operation it no longer documents", () => {
    const keys = operations.map((op) => op.key).sort();
    expect(Object.keys(FIXTURES).sort()).toEqual(keys);
    expect(keys.length).toBeGreaterThan(60);
  });

  it("builds its valid requests from the documented sandbox values", () => {
    const documented = JSON.stringify((doc as { "x-sandbox-values"?: unknown })["x-sandbox-values"]);
    for (const value of [
      VISA.payment_method_token,
      "pm_card_3ds",
      "pm_bank_redirect",
      PAYOUT.destination_token,
      SANDBOX_SMS_CODE,
      KYC_HOLDER.account_number,
    ]) {
      expect(documented, value).toContain(value);
    }
  });

  it("fingerprints what a request writes, and not what it reads", async () => {
    const partner = await provisionPartner();
    const ctx = { partner, token: await tokenFor(partner) };
    const before = await storedState(partner.id);
    await made(ctx, "GET", "/v1/consents");
    expect(ContractChecker.changed(before, await storedState(partner.id))).toEqual([]);
    await consent(ctx);
    expect(ContractChecker.changed(before, await storedState(partner.id))).toContain("consents");
  });

  for (const op of operations) {
    it(`${op.key} keeps its contract under a valid request and the battery`, async () => {
      const fixture = FIXTURES[op.key];
      if (!fixture) throw new Error(`no fixture for ${op.key} in test/contract/fixtures.ts`);
      // A partner per operation: its own rate limit, state and money (payouts, conversions).
      const partner = await provisionPartner({ dataAccess: [...DATA_CATEGORIES] });
      await fund(partner.id, 1_000_000_000);
      const token = await tokenFor(partner);
      const resource = op.method === "GET" ? undefined : resourceOf(doc, op.path);
      const target: Target = {
        send,
        consumes: fixture.consumes ?? false,
        prepare: async () =>
          requestOf(
            op,
            await fixture.prepare({ partner, token }),
            await credentialFor(op, { partner, token }),
          ),
        fingerprint: async (base) => ({
          ...(await storedState(partner.id)),
          ...(resource ? await shownState(send, resource, base.pathParams, base.headers) : {}),
        }),
      };
      const report = await runBattery(checker, op, target);
      expect(report.sent).toBeGreaterThan(1);
      expect(report.failures.join("\n")).toBe("");
    }, 60_000);
  }
});
