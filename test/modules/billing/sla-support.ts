import type { RequestRecord } from "../../../src/modules/usage/model";
import { insertRequests } from "../../../src/modules/usage/storage";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { CURRENT_VERSION } from "../../../src/platform/versions/registry";
import { db } from "../../support/partners";

/** One call of a seeded month: its time (ms), latency, status and error code. */
export interface Call {
  at: number;
  latencyMs: number;
  status?: number;
  errorCode?: number | null;
}

/** Request-log rows written directly, in batches (one D1 transaction per call of this). */
export async function logCalls(partnerId: string, calls: readonly Call[]) {
  const rows: RequestRecord[] = calls.map((c) => ({
    id: uuidv7(c.at),
    partnerId,
    requestId: crypto.randomUUID(),
    time: new Date(c.at).toISOString(),
    method: "GET",
    route: "/v1/payments/:id",
    path: "/v1/payments/x",
    product: "payments",
    status: c.status ?? 200,
    errorCode: c.errorCode ?? null,
    latencyMs: c.latencyMs,
    idempotencyKey: null,
    apiVersion: CURRENT_VERSION,
    clientId: "ck_test_sla",
    requestBody: null,
    requestBodyTruncated: false,
    responseBody: null,
    responseBodyTruncated: false,
  }));
  for (let i = 0; i < rows.length; i += 500) await insertRequests(db, rows.slice(i, i + 500));
}

/**
 * `n` calls spread over the day `day` (one a second from 00:00 UTC), latencies `latency(i)`,
 * the first `errors` answered 500, the next `refused` answered 429.
 */
export function dayOfCalls(
  day: string,
  n: number,
  latency: (i: number) => number,
  opts: { errors?: number; refused?: number; status?: (i: number) => number } = {},
): Call[] {
  const start = Date.parse(`${day}T00:00:00.000Z`);
  const errors = opts.errors ?? 0;
  const refused = opts.refused ?? 0;
  return Array.from({ length: n }, (_, i) => {
    const status = opts.status?.(i) ?? (i < errors ? 500 : i < errors + refused ? 429 : 200);
    return {
      at: start + i * 1000,
      latencyMs: latency(i),
      status,
      errorCode: status === 500 ? 1 : status === 429 ? 40 : null,
    };
  });
}
