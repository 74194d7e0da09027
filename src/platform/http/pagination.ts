import { z } from "@hono/zod-openapi";
import { envelopeResponse } from "../envelope";

/** Cursor pagination of every list: `limit` (1–100, default 10) and `starting_after` (the last id seen). */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .openapi({ param: { name: "limit", in: "query" } }),
  starting_after: z
    .uuid()
    .optional()
    .openapi({ param: { name: "starting_after", in: "query" } }),
};

/** The options a list service takes, from a validated page query. */
export const pageOptions = (q: { limit: number; starting_after?: string | undefined }) => ({
  limit: q.limit,
  ...(q.starting_after !== undefined ? { startingAfter: q.starting_after } : {}),
});

/** `{ data, has_more }` in the envelope. */
export const pageResponse = <T extends z.ZodType>(item: T, description: string) => ({
  description,
  content: {
    "application/json": {
      schema: envelopeResponse(z.object({ data: z.array(item), has_more: z.boolean() })),
    },
  },
});
