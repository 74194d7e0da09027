import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import { SANDBOX_ONLY, v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { moveClock, readClock } from "../clock";
import { closeDuePeriods } from "../close";
import { depsOf } from "../deps";
import { invoiceView } from "../view";
import { ClockAdvanceRequest, ClockAdvanceSchema, ClockSchema } from "./schema";

const get = v1Route(
  { product: null, scope: "usage:read" },
  {
    method: "get",
    path: "/v1/sandbox/clock",
    operationId: "getTestClock",
    tags: ["Invoices"],
    summary: "Your sandbox test clock",
    description: `Your billing time: real time plus how far you moved it. ${SANDBOX_ONLY}`,
    responses: okResponse("The test clock", ClockSchema),
  },
);

const advance = v1Route(
  { product: null, scope: "partner:write" },
  {
    method: "post",
    path: "/v1/sandbox/clock/advance",
    operationId: "advanceTestClock",
    tags: ["Invoices"],
    summary: "Move your sandbox test clock forward",
    description: `Moves your billing time forward by whole days and closes, in this request, every billing period the move passes: the answer lists the invoices issued (their \`invoice.issued\` events follow). Calls keep being metered in real time: an invoice counts the real hours from where the previous one stopped. The clock never moves back. ${SANDBOX_ONLY}`,
    request: { body: { required: true, content: { "application/json": { schema: ClockAdvanceRequest } } } },
    responses: okResponse("The test clock after the move, and the invoices it issued", ClockAdvanceSchema),
  },
);

export function registerClockRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(get, async (c) => {
    return ok(c, await readClock(c.get("services").db, c.get("partner").id, Date.now()));
  });
  app.openapi(advance, async (c) => {
    const deps = depsOf(c);
    const partnerId = c.get("partner").id;
    await moveClock(deps.db, partnerId, c.req.valid("json").params.days);
    const now = Date.now();
    // No grace: the partner moved the clock on purpose, and calls metered later are in real hours after now.
    const { issued } = await closeDuePeriods(deps, partnerId, { realNow: now, graceMs: 0 });
    const clock = await readClock(deps.db, partnerId, now);
    return ok(c, { ...clock, invoices: issued.map((r) => invoiceView(r, false)) });
  });
}
