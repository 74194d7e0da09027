import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { operationOf } from "../../../platform/http/define";
import { idempotencyScope, sha256Hex } from "../../../platform/lib/ids";
import type { Logger } from "../../../platform/lib/logger";
import type { AppEnv } from "../../../platform/types";
import { type AnsweredCall, errorCodeOfCall } from "../../usage/answered";
import { answeredCall } from "../../usage/record-requests";
import { type MeteredCall, outcomeOf, UNMATCHED } from "./model";
import { hourOf } from "./storage";
import { meterCall } from "./window";

/** What the count needs, taken from the context now: the work after the answer reads no context. */
interface Taken {
  call: AnsweredCall;
  partnerId: string;
  hour: string;
  operation: string;
  /** The idempotency scope text (path included) of a keyed call whose answer is stored or replayed. */
  scopeText?: string;
}

function take(c: Context<AppEnv>): Taken {
  const call = answeredCall(c);
  const partnerId = c.get("partner").id;
  const key = c.get("idempotencyKey") as string | undefined;
  const keyed = key !== undefined && (call.replayed || c.get("idempotencyStored") === true);
  return {
    call,
    partnerId,
    hour: hourOf(c.get("startedAt")),
    operation: (call.route && (operationOf(c.req.method, call.route) ?? call.route)) || UNMATCHED,
    ...(keyed
      ? {
          scopeText: `${idempotencyScope(c.get("services").config.ENVIRONMENT, partnerId, key)}\n${c.req.path}`,
        }
      : {}),
  };
}

async function count(queue: Queue, t: Taken, delayMs: number, log: Logger): Promise<void> {
  try {
    const metered: MeteredCall = {
      partnerId: t.partnerId,
      hour: t.hour,
      product: t.call.product,
      operation: t.operation,
      outcome: outcomeOf(t.call.status, await errorCodeOfCall(t.call)),
      ...(t.scopeText !== undefined ? { scope: await sha256Hex(t.scopeText) } : {}),
    };
    await meterCall(queue, metered, delayMs, log);
  } catch (err) {
    log.error("call not metered", { error: err instanceof Error ? err.name : "unknown" });
  }
}

/**
 * Metering (docs/metering.md): every authenticated /v1 call counted for billing by product,
 * operation and outcome, from the same capture as the request log's row (`answeredCall`, src/modules/usage/record-requests.ts).
 * Nothing is written on the request path: the count joins the isolate's window (METERING_BATCH_MS),
 * sent as one METERING_QUEUE message held in `waitUntil`, and added to metered_usage by the queue
 * consumer, once. A keyed POST whose answer was stored, and its replays, carry the key's scope: the
 * consumer counts that call once, whichever report arrives first.
 */
export const meterCalls = () =>
  createMiddleware<AppEnv>(async function meterCalls(c, next) {
    await next();
    const { config } = c.get("services");
    if (!config.METERING) return;
    const log = c.get("log");
    let work: Promise<void>;
    try {
      work = count(c.env.METERING_QUEUE, take(c), config.METERING_BATCH_MS, log);
    } catch (err) {
      log.error("call not metered", { error: err instanceof Error ? err.name : "unknown" });
      return;
    }
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context (the app called directly, as some tests do): the send runs on its own.
    }
  });
