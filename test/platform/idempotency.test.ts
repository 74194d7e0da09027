import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { IdempotencyKey } from "../../durable-objects/idempotency";
import { fingerprint, LOCK_MS } from "../../src/platform/middleware/idempotency";
import { call, tokenFor } from "../support/http";
import { idempotencyObject } from "../support/objects";
import { provisionPartner } from "../support/partners";

const PATH = "/v1/partner/credentials";

async function setup() {
  const p = await provisionPartner();
  const token = await tokenFor(p);
  const create = (key: string, description: string, extra: Record<string, string> = {}) =>
    call("POST", PATH, {
      token,
      json: { params: { description } },
      headers: { "Idempotency-Key": key, ...extra },
    });
  const count = async () => (await call("GET", PATH, { token })).body.result.data.length as number;
  return { p, token, create, count };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("request fingerprints", () => {
  it("are keyed with the platform's data key: a card number in a request cannot be found by hashing guesses", async () => {
    const body = JSON.stringify({ params: { card_number: "8600123412341234" } });
    const keyed = await fingerprint("POST", "/v1/cards/attach", body, env.WEBHOOK_SECRETS_KEY);
    const plain = await fingerprint("POST", "/v1/cards/attach", body);
    expect(keyed).toMatch(/^[0-9a-f]{64}$/);
    expect(keyed).not.toBe(plain);
    expect(await fingerprint("POST", "/v1/cards/attach", body, env.WEBHOOK_SECRETS_KEY)).toBe(keyed);
    const other = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    expect(await fingerprint("POST", "/v1/cards/attach", body, other)).not.toBe(keyed);
  });
});

describe("Idempotency-Key on POST /v1", () => {
  it("is required: 1–255 printable characters", async () => {
    const { create, count, token } = await setup();
    for (const key of ["", "x".repeat(256), "caf\u00e9"]) {
      const r = await create(key, "x");
      expect(r.res.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 50, field: "Idempotency-Key" });
    }
    const none = await call("POST", PATH, {
      token,
      json: { params: {} },
      headers: { "Idempotency-Key": "" },
    });
    expect(none.body.error.code).toBe(50);
    expect(await count()).toBe(1); // only the provisioned key
  });

  it("replays the stored answer, marked Idempotent-Replayed, and runs once", async () => {
    const { create, count } = await setup();
    const key = crypto.randomUUID();
    const first = await create(key, "billing");
    expect(first.res.status).toBe(201);
    expect(first.res.headers.get("Idempotent-Replayed")).toBeNull();
    const again = await create(key, "billing");
    expect(again.res.status).toBe(201);
    expect(again.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.result).toEqual({ ...first.body.result, consumer_secret: null }); // the secret is shown once
    expect(await count()).toBe(2);
  });

  it("refuses a different request under a used key with 422, running nothing", async () => {
    const { create, count, token } = await setup();
    const key = crypto.randomUUID();
    await create(key, "one");
    const other = await create(key, "two");
    expect(other.res.status).toBe(422);
    expect(other.body.error.code).toBe(51);
    const otherPath = await call("POST", "/v1/partner/credentials", {
      token,
      json: { params: { description: "one" }, id: crypto.randomUUID() },
      headers: { "Idempotency-Key": key },
    });
    expect(otherPath.res.status).toBe(201); // a new envelope id alone is the same request
    expect(await count()).toBe(2);
  });

  it("scopes keys per partner", async () => {
    const a = await setup();
    const b = await setup();
    const key = crypto.randomUUID();
    expect((await a.create(key, "same")).res.status).toBe(201);
    const fromB = await b.create(key, "same");
    expect(fromB.res.status).toBe(201);
    expect(fromB.res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await b.count()).toBe(2);
  });

  it("does not store a refusal before execution: the key stays usable", async () => {
    const { create, count } = await setup();
    const key = crypto.randomUUID();
    const invalid = await create(key, "");
    expect(invalid.res.status).toBe(400);
    const valid = await create(key, "now valid");
    expect(valid.res.status).toBe(201);
    expect(valid.res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await count()).toBe(2);
  });

  it("50 concurrent identical requests under one key create exactly one credential", async () => {
    const { create, count } = await setup();
    const key = crypto.randomUUID();
    const results = await Promise.all(Array.from({ length: 50 }, () => create(key, "raced")));
    const statuses = results.map((r) => r.res.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const originals = results.filter(
      (r) => r.res.status === 201 && !r.res.headers.get("Idempotent-Replayed"),
    );
    expect(originals).toHaveLength(1);
    for (const r of results.filter((r) => r.res.status === 409)) {
      expect(r.body.error.code).toBe(52);
      expect(r.res.headers.get("Retry-After")).toBe("1");
    }
    expect(await count()).toBe(2);
    const ids = new Set(results.filter((r) => r.res.status === 201).map((r) => r.body.result.id));
    expect(ids.size).toBe(1);
  });

  it("many keys × concurrent retries: exactly one credential per key", async () => {
    const { create, count } = await setup();
    const keys = Array.from({ length: 8 }, () => crypto.randomUUID());
    await Promise.all(keys.flatMap((key) => Array.from({ length: 6 }, () => create(key, `k-${key}`))));
    // Retries after the storm are all replays.
    const replays = await Promise.all(keys.map((key) => create(key, `k-${key}`)));
    expect(replays.every((r) => r.res.headers.get("Idempotent-Replayed") === "true")).toBe(true);
    expect(await count()).toBe(1 + keys.length);
  });

  it("a holder that died frees the key once its lock expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-22T12:00:00.000Z"));
    const { p, create, count } = await setup();
    const key = crypto.randomUUID();
    // A request took the lock and died before answering.
    const stub = idempotencyObject(p.id, key);
    const body = JSON.stringify({ params: { description: "crashed" } });
    const begun = await stub.begin(await fingerprint("POST", PATH, body, env.WEBHOOK_SECRETS_KEY), LOCK_MS);
    expect(begun.outcome).toBe("execute");

    const during = await create(key, "crashed");
    expect(during.res.status).toBe(409);
    vi.setSystemTime(new Date(Date.parse("2026-11-22T12:00:00.000Z") + LOCK_MS + 1));
    const after = await create(key, "crashed");
    expect(after.res.status).toBe(201);
    expect(after.res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await count()).toBe(2);
    // The dead holder cannot overwrite what the retry stored.
    if (begun.outcome === "execute") expect(await stub.complete(begun.lockToken, 500, "{}")).toBe(false);
    expect((await create(key, "crashed")).res.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("keeps a key 48 h, then its alarm forgets it", async () => {
    const { p, create } = await setup();
    const key = crypto.randomUUID();
    await create(key, "kept");
    const stub = idempotencyObject(p.id, key);
    const alarm = await runInDurableObject(stub, (_instance: IdempotencyKey, state) =>
      state.storage.getAlarm(),
    );
    expect(alarm).toBeGreaterThan(Date.now() + 47 * 3600 * 1000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const reused = await create(key, "new request after retention");
    expect(reused.res.status).toBe(201);
    expect(reused.res.headers.get("Idempotent-Replayed")).toBeNull();
  });
});
