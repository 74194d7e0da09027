import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { partnerBalance } from "../ledger";

const Amount = z.object({
  currency: z.string().openapi({ example: "UZS" }),
  amount: z.number().int().openapi({ description: "Minor units of the currency (ISO 4217 exponent)." }),
});

export const BalanceSchema = z
  .object({
    object: z.literal("balance"),
    available: z.array(Amount).openapi({ description: "Settled funds you can pay out, per currency." }),
    pending: z.array(Amount).openapi({ description: "Funds not yet settled, per currency." }),
    reserved: z
      .array(Amount)
      .openapi({ description: "Held for payouts on their way (queued or sent), per currency." }),
    livemode: z.boolean(),
  })
  .openapi("Balance");

const route = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/balance",
    operationId: "getBalance",
    tags: ["Ledger"],
    summary: "Your balance",
    description:
      "Available, pending and reserved funds per currency, computed from your accounts in the double-entry ledger.",
    responses: okResponse("The balance", BalanceSchema),
  },
);

export function registerGetBalance(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const balance = await partnerBalance(c.get("services").db, c.get("partner").id);
    return ok(c, {
      object: "balance" as const,
      ...balance,
      livemode: c.get("partner").environment === "production",
    });
  });
}
