import { createMiddleware } from "hono/factory";
import { maskingReplacer, mayHoldPersonalData, minimise } from "../data-access";
import { renderedText } from "../envelope";
import type { AppEnv } from "../types";

/**
 * The one masking layer: every /v1 answer passes through it, and personal fields the
 * partner's data-access profile does not license leave masked. Envelopes (`ok`, `okOnce`)
 * are masked as they are serialised, with the replacer this layer hands them; any other JSON
 * answer is read back and masked here. Inside the idempotency layer, so what is stored for
 * replays is the masked answer too.
 */
export const minimiseResponses = () =>
  createMiddleware<AppEnv>(async function minimiseResponses(c, next) {
    const licensed = c.get("partner").dataAccess;
    c.set("mask", maskingReplacer(licensed));
    await next();
    // An envelope rendered by `ok`/`okOnce` was masked as it was serialised.
    if (c.get("mask") === null || renderedText(c.res) !== undefined) return;
    if (!c.res.headers.get("Content-Type")?.includes("application/json")) return;
    const text = await c.res.clone().text();
    if (!mayHoldPersonalData(text)) return;
    const body = minimise(JSON.parse(text), new Set(licensed));
    c.res = new Response(JSON.stringify(body), c.res);
    const replay = c.get("replayBody");
    if (replay) c.set("replayBody", JSON.stringify(minimise(JSON.parse(replay), new Set(licensed))));
  });
