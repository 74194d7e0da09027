import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { listPartnerEntries } from "../ledger";

export const LedgerEntrySchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("ledger_entry"),
    reference: z.string().openapi({ description: "The payment, refund or payout the entry is about." }),
    kind: z.string().openapi({ example: "capture" }),
    currency: z.string(),
    amount: z
      .number()
      .int()
      .openapi({ description: "Sum of the entry's debits (= its credits), minor units." }),
    description: z.string().nullable(),
    created_at: z.string().openapi({ format: "date-time" }),
    postings: z
      .array(
        z.object({
          account: z.string().openapi({ example: "partner_available" }),
          direction: z.enum(["debit", "credit"]),
          amount: z.number().int(),
        }),
      )
      .openapi({ description: "The entry's postings on your own accounts." }),
  })
  .openapi("LedgerEntry");

const Query = z.object({
  reference: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ param: { name: "reference", in: "query" } }),
  ...pageQuery,
});

const route = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/ledger/entries",
    operationId: "listLedgerEntries",
    tags: ["Ledger"],
    summary: "Your journal entries",
    description:
      "Your journal entries with their postings on your accounts, newest first. Filter by `reference` (a payment, refund or payout id); page with `starting_after`.",
    request: { query: Query },
    responses: { 200: pageResponse(LedgerEntrySchema, "A page of entries") },
  },
);

export function registerListLedgerEntries(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const page = await listPartnerEntries(c.get("services").db, c.get("partner").id, {
      ...pageOptions(q),
      ...(q.reference !== undefined ? { reference: q.reference } : {}),
    });
    return ok(c, page);
  });
}
