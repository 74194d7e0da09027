import { createMiddleware } from "hono/factory";
import { mayHoldPersonalData, minimise } from "../data-access";
import type { AppEnv } from "../types";

/**
 * The one masking layer: every /v1 answer passes through it, and personal fields the
 * partner's data-access profile does not license leave masked. Inside the idempotency
 * layer, so what is stored for replays is the masked answer too.
 */
export const minimiseResponses = () =>
  createMiddleware<AppEnv>(async function minimiseResponses(c, next) {
    await next();
    if (!c.res.headers.get("Content-Type")?.includes("application/json")) return;
    const text = await c.res.clone().text();
    if (!mayHoldPersonalData(text)) return;
    const body = minimise(JSON.parse(text), new Set(c.var.partner.dataAccess));
    c.res = new Response(JSON.stringify(body), c.res);
    if (c.var.replayBody)
      c.set(
        "replayBody",
        JSON.stringify(minimise(JSON.parse(c.var.replayBody), new Set(c.var.partner.dataAccess))),
      );
  });
