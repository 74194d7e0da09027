import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { VERSIONS } from "../../../platform/versions/registry";
import { partnersByVersion } from "../../../platform/versions/usage";
import { type AdminTarget, adminRoute, serve } from "./define";

const VersionUsageSchema = z
  .object({
    partner_id: z.string(),
    version: z.string(),
    calls: z.number().int(),
    first_seen_at: z.string(),
    last_seen_at: z.string(),
  })
  .openapi("AdminVersionUsage");

const VersionsSchema = z
  .object({
    versions: z.array(
      z.object({
        version: z.string(),
        deprecated: z.boolean(),
        sunset: z.string().nullable(),
        partners: z.array(VersionUsageSchema),
      }),
    ),
  })
  .openapi("AdminVersions");

const list = adminRoute(
  { role: "viewer", action: "versions.list" },
  {
    method: "get",
    path: "/admin/v1/versions",
    operationId: "adminListVersionUsage",
    tags: ["Versions"],
    summary: "Which partners call which API version",
    description:
      "Every published version, whether it is deprecated and when it sunsets, with the partners that called it (calls counted per isolate, written at most once a minute: a lower bound).",
    responses: okResponse("The versions and their callers", VersionsSchema),
  },
);

export function registerVersions(t: AdminTarget) {
  serve(t, list, async (c) => {
    const usage = await partnersByVersion(c.get("services").db);
    return ok(c, {
      versions: VERSIONS.map((v) => ({
        version: v.date,
        deprecated: v.deprecation !== undefined,
        sunset: v.deprecation?.sunset ?? null,
        partners: usage.filter((u) => u.version === v.date),
      })),
    });
  });
}
