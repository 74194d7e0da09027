import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type {
  AuthorizeRequest,
  AuthorizeResult,
  PaymentProvider,
  Retrieved,
} from "../../../src/modules/payments/connector/types";
import type { CreatePaymentInput } from "../../../src/modules/payments/model";
import { authorizeRouted } from "../../../src/modules/payments/orchestration";
import { objectHealth } from "../../../src/modules/payments/orchestration/health";
import type { AttemptJournal, AttemptRecord } from "../../../src/modules/payments/orchestration/journal";
import type { RoutePlan } from "../../../src/modules/routing/rules";

const SETTINGS = { threshold: 3, cooldownMs: 10_000 };

/** A scripted acquirer: `fail` makes it answer 503; it counts what it was sent, by key. */
function scripted(name: string) {
  const sent: string[] = [];
  const authorizedKeys = new Set<string>();
  let fail = false;
  let lostAfterAuthorize = false;
  const provider: PaymentProvider = {
    name,
    retry: { failures: ["timeout", "server_error", "network"], declines: ["bank_unavailable"] },
    async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
      sent.push(req.idempotencyKey);
      if (fail) return { outcome: "failed", kind: "server_error", message: "503" };
      authorizedKeys.add(req.idempotencyKey);
      if (lostAfterAuthorize) return { outcome: "failed", kind: "timeout", message: "lost" };
      return {
        outcome: "authorized",
        providerReference: `${name}_${req.idempotencyKey}`,
        method: { type: "qr" },
      };
    },
    async retrieve(req): Promise<Retrieved> {
      return authorizedKeys.has(req.idempotencyKey)
        ? {
            found: true,
            result: {
              outcome: "authorized",
              providerReference: `${name}_${req.idempotencyKey}`,
              method: { type: "qr" },
            },
          }
        : { found: false };
    },
    cancelAttempt: async () => ({ ok: true }),
    confirmAuthentication: async () => ({ ok: true }),
    capture: async () => ({ ok: true }),
    void: async () => ({ ok: true }),
    refund: async () => ({ ok: true }),
  };
  return {
    provider,
    sent,
    authorizedKeys,
    failing(on: boolean) {
      fail = on;
    },
    losing(on: boolean) {
      lostAfterAuthorize = on;
    },
  };
}

function memoryJournal(records: AttemptRecord[] = []): AttemptJournal {
  let plan: RoutePlan | undefined;
  let saved = records;
  return {
    plan: () => plan,
    savePlan: (p) => {
      plan = p;
    },
    attempts: () => saved.map((r) => ({ ...r })),
    saveAttempts: (r) => {
      saved = r.map((x) => ({ ...x }));
    },
  };
}

const input = (): CreatePaymentInput => ({
  paymentId: crypto.randomUUID(),
  partnerId: crypto.randomUUID(),
  livemode: false,
  feeBps: 0,
  amount: 1_000,
  currency: "UZS",
  paymentMethodToken: "pm_qr",
  capture: true,
  metadata: {},
  signals: { method: "qr", card: null, customer: null, client: { ip: null, country: null, asn: null } },
  now: "2026-12-01T10:00:00.000Z",
});

/** Two scripted acquirers a and b behind their real breakers (ProviderHealth objects of a fresh environment). */
function world() {
  const a = scripted("a");
  const b = scripted("b");
  let now = Date.parse("2026-12-01T10:00:00.000Z");
  const health = objectHealth(env.PROVIDER_HEALTH, `test-${crypto.randomUUID()}`, SETTINGS);
  const run = (journal: AttemptJournal = memoryJournal(), payment = input()) =>
    authorizeRouted(
      {
        providers: new Map([
          ["a", a.provider],
          ["b", b.provider],
        ]),
        health,
        journal,
        route: async () => ({ rule: 0, providers: ["a", "b"] }),
        clock: () => now,
        timeoutMs: 1000,
      },
      payment,
    );
  return {
    a,
    b,
    health,
    run,
    advance(ms: number) {
      now += ms;
    },
  };
}

const providersTried = (r: Awaited<ReturnType<ReturnType<typeof world>["run"]>>) =>
  r.outcome === "routed" ? r.attempts.map((x) => `${x.provider}:${x.outcome}`) : [];

describe("provider health: the circuit breaker", () => {
  it("opens after the threshold of failures in a row, skips the provider, half-opens after the cooldown and closes on success", async () => {
    const w = world();
    w.a.failing(true);
    for (let i = 0; i < SETTINGS.threshold; i++)
      expect(providersTried(await w.run())).toEqual(["a:error", "b:authorized"]);
    // Open: a is skipped, b alone is tried.
    expect(providersTried(await w.run())).toEqual(["b:authorized"]);
    expect((await w.health.check("a", Date.parse("2026-12-01T10:00:01.000Z"))).state).toBe("open");
    w.advance(SETTINGS.cooldownMs - 1);
    expect(providersTried(await w.run())).toEqual(["b:authorized"]);
    // Past the cooldown: one probe goes through; it fails, so the breaker opens again.
    w.advance(2);
    expect(providersTried(await w.run())).toEqual(["a:error", "b:authorized"]);
    expect(providersTried(await w.run())).toEqual(["b:authorized"]);
    // The next probe succeeds and closes it.
    w.advance(SETTINGS.cooldownMs + 1);
    w.a.failing(false);
    expect(providersTried(await w.run())).toEqual(["a:authorized"]);
    expect(providersTried(await w.run())).toEqual(["a:authorized"]);
  });

  it("a half-open breaker lets one probe through at a time", async () => {
    const w = world();
    const t0 = Date.parse("2026-12-01T10:00:00.000Z");
    for (let i = 0; i < SETTINGS.threshold; i++) await w.health.record("a", false, t0);
    const later = t0 + SETTINGS.cooldownMs;
    expect((await w.health.check("a", later)).state).toBe("half_open");
    expect((await w.health.check("a", later + 1)).state).toBe("open");
    await w.health.record("a", true, later + 2);
    expect((await w.health.check("a", later + 3)).state).toBe("closed");
  });

  it("when every candidate is open, the one that failed longest ago is tried rather than none", async () => {
    const w = world();
    // Both failed within the cooldown of the run's clock (10:00:00): both open, b longer ago.
    const t0 = Date.parse("2026-12-01T09:59:57.000Z");
    for (let i = 0; i < SETTINGS.threshold; i++) await w.health.record("b", false, t0);
    for (let i = 0; i < SETTINGS.threshold; i++) await w.health.record("a", false, t0 + 1000);
    expect((await w.health.check("a", t0 + 3000)).state).toBe("open");
    expect(providersTried(await w.run())).toEqual(["b:authorized"]);
  });

  it("a failure of the breaker's own storage never blocks a payment (treated as closed)", async () => {
    const broken = objectHealth(
      {
        idFromName: () => {
          throw new Error("down");
        },
      } as unknown as typeof env.PROVIDER_HEALTH,
      "test",
      SETTINGS,
    );
    expect(await broken.check("a", 0)).toMatchObject({ state: "closed" });
    await broken.record("a", false, 0);
  });
});

describe("orchestration: an attempt in flight when its instance died", () => {
  it("is settled by its key before anything else: authorized there means used, never sent again", async () => {
    const w = world();
    const payment = input();
    // The first run journalled attempt 1 at a, a authorized it, and the instance died before the answer.
    w.a.authorizedKeys.add(`${payment.paymentId}:1`);
    const journal = memoryJournal([
      { seq: 1, provider: "a", key: `${payment.paymentId}:1`, started_at: payment.now, fallback: false },
    ]);
    journal.savePlan({ rule: 0, providers: ["a", "b"] });
    const r = await w.run(journal, payment);
    expect(providersTried(r)).toEqual(["a:authorized"]);
    expect(w.a.sent).toEqual([]);
    expect(w.b.sent).toEqual([]);
  });

  it("not there: voided by key and the next provider is tried with the next key", async () => {
    const w = world();
    const payment = input();
    const journal = memoryJournal([
      { seq: 1, provider: "a", key: `${payment.paymentId}:1`, started_at: payment.now, fallback: false },
    ]);
    journal.savePlan({ rule: 0, providers: ["a", "b"] });
    const r = await w.run(journal, payment);
    expect(providersTried(r)).toEqual(["a:timeout", "b:authorized"]);
    expect(w.a.sent).toEqual([]);
    expect(w.b.sent).toEqual([`${payment.paymentId}:2`]);
  });

  it("a lost answer after authorizing is found by its key: one authorization, no fallback", async () => {
    const w = world();
    w.a.losing(true);
    const r = await w.run();
    expect(providersTried(r)).toEqual(["a:authorized"]);
    expect(w.a.authorizedKeys.size).toBe(1);
    expect(w.b.sent).toEqual([]);
  });
});
