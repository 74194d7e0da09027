import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RequestRecord } from "../../../src/modules/usage/model";
import { MAX_ROWS_PER_WRITE, writeRow } from "../../../src/modules/usage/writer";
import { createDb } from "../../../src/platform/db/client";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { createLogger } from "../../../src/platform/lib/logger";
import { CURRENT_VERSION } from "../../../src/platform/versions/registry";
import { partnerWithToken, rowsOf, send } from "./support";

// An isolate gathers its rows for REQUEST_LOG_BATCH_MS and writes them in one D1 batch: one commit
// per window, not per request. Each request's waitUntil holds its window's write.

/** A D1 that counts the request-log INSERT statements it prepares. */
function counting() {
  let inserts = 0;
  const DB = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare")
        return (query: string) => {
          if (query.startsWith('insert into "request_log"')) inserts++;
          return target.prepare(query);
        };
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { DB, inserts: () => inserts };
}

const row = (partnerId: string, i: number): RequestRecord => ({
  id: uuidv7(),
  partnerId,
  requestId: `batch-${i}-${crypto.randomUUID()}`,
  time: new Date().toISOString(),
  method: "GET",
  route: "/v1/partner",
  path: "/v1/partner",
  product: "partner",
  status: 200,
  errorCode: null,
  latencyMs: i,
  idempotencyKey: null,
  apiVersion: CURRENT_VERSION,
  clientId: "ck_test_batch",
  requestBody: null,
  requestBodyTruncated: false,
  responseBody: null,
  responseBodyTruncated: false,
});

describe("the request log's writes", () => {
  it("requests of one window are written together, each request's waitUntil holding the write", async () => {
    const { partner, token } = await partnerWithToken();
    const d1 = counting();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        send("GET", "/v1/partner", { token, env: { DB: d1.DB, REQUEST_LOG_BATCH_MS: "200" } }),
      ),
    );
    expect(answers.map((a) => a.res.status)).toEqual([200, 200, 200, 200, 200]);
    // Every send returned after its waitUntil: all five rows are there, from one statement.
    expect((await rowsOf(partner.id)).map((r) => r.route)).toEqual(Array(5).fill("/v1/partner"));
    expect(d1.inserts()).toBe(1);

    // Without a window, one write per request.
    const each = counting();
    await Promise.all(
      Array.from({ length: 3 }, () => send("GET", "/v1/partner", { token, env: { DB: each.DB } })),
    );
    expect(each.inserts()).toBe(3);
    expect(await rowsOf(partner.id)).toHaveLength(8);
  });

  it("a full window is written at once, without waiting for its time", async () => {
    const { partner } = await partnerWithToken();
    const d1 = counting();
    const db = createDb(d1.DB);
    const log = createLogger("warn");
    // A window far longer than the test's timeout: only closing it when full lets this finish.
    const writes = Array.from({ length: MAX_ROWS_PER_WRITE }, (_, i) =>
      writeRow(db, row(partner.id, i), 600_000, log),
    );
    await Promise.all(writes);
    const stored = await rowsOf(partner.id);
    expect(stored).toHaveLength(MAX_ROWS_PER_WRITE);
    expect(stored.map((r) => r.latency_ms).sort((a, b) => a - b)).toEqual(
      Array.from({ length: MAX_ROWS_PER_WRITE }, (_, i) => i),
    );
    expect(d1.inserts()).toBe(MAX_ROWS_PER_WRITE / 5);
  });
});
