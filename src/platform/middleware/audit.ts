import { createMiddleware } from "hono/factory";
import { auditLog } from "../db/schema";
import { uuidv7 } from "../lib/ids";
import type { AppEnv } from "../types";

/**
 * The audit trail (docs/products.md): every write, and every read of personal data, is recorded
 * with who, what, when and the outcome, refusals included; never the data itself. It is
 * written before the answer leaves: an action the log does not know of never happened.
 */
export const auditTrail = (method: string, path: string, personalData: boolean) => {
  const action = `${method.toUpperCase()} ${path}`;
  const audited = personalData || method.toLowerCase() !== "get";
  return createMiddleware<AppEnv>(async function auditTrail(c, next) {
    await next();
    if (!audited) return;
    const id = c.req.param("id");
    await c
      .get("services")
      .db.insert(auditLog)
      .values({
        id: uuidv7(),
        partnerId: c.get("partner").id,
        requestId: c.get("requestId"),
        action,
        resource: id ?? null,
        outcome: c.res.status,
        personalData,
        createdAt: new Date().toISOString(),
      });
  });
};
