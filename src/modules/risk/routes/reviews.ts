import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { REVIEW_STATUSES } from "../model";
import { closeReview, getReview, listReviews } from "../reviews";
import { IdParam, ReviewSchema } from "./schema";

const tags = ["Risk"];

const list = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/reviews",
    operationId: "listReviews",
    tags,
    summary: "The review queue",
    description: "Reviews of held payments, newest first; `status=open` for the queue still to decide.",
    request: {
      query: z.object({
        ...pageQuery,
        status: z
          .enum(REVIEW_STATUSES)
          .optional()
          .openapi({ param: { name: "status", in: "query" } }),
      }),
    },
    responses: { 200: pageResponse(ReviewSchema, "A page of reviews") },
  },
);

const get = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/reviews/{id}",
    operationId: "getReview",
    tags,
    summary: "Retrieve a review",
    description: "Another partner's review answers as an unknown one (404).",
    request: { params: IdParam },
    responses: okResponse("The review", ReviewSchema),
  },
);

const actions = [
  {
    outcome: "approve",
    operationId: "approveReview",
    summary: "Approve a review",
    description:
      "The held payment may be captured; if its create asked for capture, it is captured now (and posted to the ledger).",
  },
  {
    outcome: "reject",
    operationId: "rejectReview",
    summary: "Reject a review",
    description: "The held payment's authorization is voided: the payment is canceled.",
  },
] as const;

export function registerReviewRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await listReviews(c.get("services").db, c.get("partner").id, { ...pageOptions(q), status: q.status }),
    );
  });
  app.openapi(get, async (c) =>
    ok(c, await getReview(reviewDeps(c), c.get("partner").id, c.req.valid("param").id)),
  );
  for (const spec of actions) {
    const route = v1Route(
      { product: "payments", scope: "payments:write", errors: ["review_closed"] },
      {
        method: "post",
        path: `/v1/reviews/{id}/${spec.outcome}`,
        operationId: spec.operationId,
        tags,
        summary: spec.summary,
        description: `${spec.description} Emits \`review.closed\`. A closed review is 409 (code 191) and changes nothing.`,
        request: { params: IdParam },
        responses: okResponse("The review, closed", ReviewSchema),
      },
    );
    app.openapi(route, async (c) => {
      const review = await closeReview(
        reviewDeps(c),
        c.get("partner").id,
        c.req.valid("param").id,
        spec.outcome,
        c.get("idempotencyKey"),
      );
      c.get("log").info(`review ${spec.outcome}`, { review_id: review.id, payment_id: review.payment_id });
      return ok(c, review);
    });
  }
}

const reviewDeps = (c: {
  get: (k: "services") => AppEnv["Variables"]["services"];
  env: AppEnv["Bindings"];
}) => ({
  db: c.get("services").db,
  payments: c.env.PAYMENTS,
});
