import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  CONSENT_OPERATIONS,
  CONSENT_STATUSES,
  type ConsentOperation,
  type ConsentStatus,
  consentUse,
  isConsentDue,
  nextConsentStatus,
} from "../../../src/modules/accounts/model";
import { type ConsentRow, changeConsent, insertConsent } from "../../../src/modules/accounts/storage";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { db } from "../../support/partners";

describe("the consent state machine", () => {
  // Every status × operation: the whole table, so a new transition cannot slip in unseen.
  const expected: Record<ConsentStatus, Partial<Record<ConsentOperation, ConsentStatus>>> = {
    AwaitingAuthorisation: {
      authorise: "Authorised",
      reject: "Rejected",
      revoke: "Revoked",
      expire: "Expired",
    },
    Authorised: { revoke: "Revoked", expire: "Expired" },
    Rejected: {},
    Revoked: {},
    Expired: {},
  };
  for (const status of CONSENT_STATUSES) {
    for (const operation of CONSENT_OPERATIONS) {
      const to = expected[status][operation];
      it(`${operation} from ${status}: ${to ?? "illegal"}`, () => {
        expect(nextConsentStatus(status, operation)).toBe(to);
      });
    }
  }

  it("is due at expires_at exactly, and only while it may still expire", () => {
    const at = "2026-11-01T00:00:00.000Z";
    expect(isConsentDue("Authorised", at, new Date(Date.parse(at) - 1))).toBe(false);
    expect(isConsentDue("Authorised", at, new Date(at))).toBe(true);
    expect(isConsentDue("AwaitingAuthorisation", at, new Date(at))).toBe(true);
    for (const final of ["Rejected", "Revoked", "Expired"] as const)
      expect(isConsentDue(final, at, new Date(Date.parse(at) + 1))).toBe(false);
  });

  it("lets an Authorised consent read its scopes only", () => {
    const consent = { status: "Authorised" as const, scopes: ["accounts" as const, "balances" as const] };
    expect(consentUse(consent, "accounts")).toEqual({ ok: true });
    expect(consentUse(consent, "transactions")).toEqual({
      ok: false,
      error: "consent_scope_missing",
      scope: "transactions",
    });
    for (const status of ["AwaitingAuthorisation", "Rejected", "Revoked", "Expired"] as const)
      expect(consentUse({ ...consent, status }, "accounts")).toEqual({
        ok: false,
        error: "consent_not_usable",
        status,
      });
  });
});

describe("a consent change in D1", () => {
  const row = (): ConsentRow => {
    const now = new Date().toISOString();
    return {
      id: uuidv7(),
      partnerId: uuidv7(),
      livemode: false,
      idempotencyKey: crypto.randomUUID(),
      status: "AwaitingAuthorisation",
      scopes: ["accounts"],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      authorisationUrl: "https://sandbox.portico.example/x",
      customerRef: null,
      statusUpdatedAt: now,
      authorisedAt: null,
      createdAt: now,
    };
  };
  const event = (partnerId: string) => ({
    id: uuidv7(),
    type: "consent.revoked" as const,
    partnerId,
    livemode: false,
    createdAt: new Date().toISOString(),
    object: { marker: "test" },
  });
  const storedEvent = (id: string) =>
    env.DB.prepare("SELECT type, data FROM events WHERE id = ?").bind(id).first();

  it("is a compare-and-set: the loser writes nothing, not even its event", async () => {
    const consent = await insertConsent(db, row());
    const first = event(consent.partnerId);
    const second = event(consent.partnerId);
    const at = new Date().toISOString();
    const change = { id: consent.id, from: "AwaitingAuthorisation" as const, to: "Revoked" as const, at };
    const won = await changeConsent(db, { ...change, event: first });
    const lost = await changeConsent(db, { ...change, event: second });
    expect(won?.status).toBe("Revoked");
    expect(lost).toBeUndefined();
    expect(await storedEvent(first.id)).toEqual({
      type: "consent.revoked",
      data: '{"object":{"marker":"test"}}',
    });
    expect(await storedEvent(second.id)).toBeNull();
  });

  it("a second create under the same key answers the first consent", async () => {
    const first = await insertConsent(db, row());
    const again = await insertConsent(db, {
      ...row(),
      partnerId: first.partnerId,
      idempotencyKey: first.idempotencyKey,
    });
    expect(again).toEqual(first);
  });
});
