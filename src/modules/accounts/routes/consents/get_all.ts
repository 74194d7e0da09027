import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../../platform/http/pagination";
import type { AppEnv } from "../../../../platform/types";
import { consentDeps } from "../../consent-gate";
import { listConsents } from "../../consents";
import { CONSENT_STATUSES } from "../../model";
import { CONSENT_STATES, ConsentSchema } from "./schema";

const Query = z.object({
  status: z
    .enum(CONSENT_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  ...pageQuery,
});

const route = v1Route(
  { product: "accounts", scope: "accounts:read" },
  {
    method: "get",
    path: "/v1/consents",
    operationId: "listConsents",
    tags: ["Accounts"],
    summary: "List consents",
    description: `Your consents, newest first, each as it stands now. Filter by \`status\` (as it stands now: \`Expired\` includes consents whose \`expires_at\` has passed); page with \`starting_after\` (the last id of the previous page). ${CONSENT_STATES}`,
    request: { query: Query },
    responses: { 200: pageResponse(ConsentSchema, "A page of consents") },
  },
);

export function registerListConsents(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const page = await listConsents(consentDeps(c), c.get("partner").id, {
      ...pageOptions(q),
      ...(q.status !== undefined ? { status: q.status } : {}),
    });
    return ok(c, page);
  });
}
