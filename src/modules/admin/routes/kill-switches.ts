import { z } from "@hono/zod-openapi";
import { PRODUCTS } from "../../../platform/catalog";
import { ok, okResponse } from "../../../platform/envelope";
import { listKillSwitches, switchProduct } from "../kill-switches";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { KillSwitchRequest, KillSwitchSchema } from "./schema";

const list = adminRoute(
  { role: "viewer", action: "kill_switches.list" },
  {
    method: "get",
    path: "/admin/v1/kill-switches",
    operationId: "adminListKillSwitches",
    tags: ["Kill switches"],
    summary: "Every product's kill switch",
    description:
      "A product is off (code 22 on its routes) when `PRODUCTS_DISABLED` names it or its switch is set.",
    responses: okResponse("One switch per product", z.array(KillSwitchSchema)),
  },
);

const put = adminRoute(
  { role: "operator", action: "kill_switch.set" },
  {
    method: "put",
    path: "/admin/v1/kill-switches/{product}",
    operationId: "adminSetKillSwitch",
    tags: ["Kill switches"],
    summary: "Switch a product off or on",
    description:
      "Bites in this isolate at once and everywhere within 5 seconds. Turning a switch off does not turn on a product `PRODUCTS_DISABLED` names.",
    request: {
      params: z.object({ product: z.enum(PRODUCTS).openapi({ param: { name: "product", in: "path" } }) }),
      ...json(KillSwitchRequest),
    },
    responses: okResponse("The product's switch now", KillSwitchSchema),
  },
);

export function registerKillSwitches(t: AdminTarget) {
  serve(t, list, async (c) => {
    const { db, config } = c.get("services");
    return ok(c, await listKillSwitches(db, config));
  });
  serve(t, put, async (c) => {
    const { product } = c.req.valid("param");
    const { disabled, reason } = c.req.valid("json").params;
    const { db, config } = c.get("services");
    const { before, after } = await switchProduct(db, config, {
      product,
      disabled,
      reason,
      by: actorOf(c).identity,
    });
    c.set("adminAudit", { target: product, before, after, reason });
    c.get("log").warn("kill switch set", { product, disabled });
    return ok(c, after);
  });
}
