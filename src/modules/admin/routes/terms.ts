import { z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { listTermsVersions, publishTerms } from "../../onboarding/terms";
import { TERMS_VERSION } from "../../onboarding/terms-document";
import { json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { Reason } from "./schema";

// Production only (isProductionOnlyPath): the terms bind production partners; in the sandbox
// these paths answer 404 (code 31) as any path that never existed. The admin document is one for
// both Workers and marks them `x-portico-environments: [production]`.
const PRODUCTION_ONLY = { "x-portico-environments": ["production"] };

const TermsVersionSchema = z
  .object({
    object: z.literal("terms_version"),
    version: z.string(),
    sha256: z.string().openapi({ description: "Lower-case hex SHA-256 of the UTF-8 text." }),
    published_at: z.string().openapi({ format: "date-time" }),
    accept_by: z.string().openapi({ format: "date-time" }),
    acceptances: z.number().int().openapi({ description: "How many partners accepted this version." }),
  })
  .openapi("AdminTermsVersion");

const PublishedTermsSchema = z
  .object({
    object: z.literal("terms"),
    version: z.string(),
    text: z.string(),
    sha256: z.string(),
    published_at: z.string().openapi({ format: "date-time" }),
    accept_by: z.string().openapi({ format: "date-time" }),
    accepted_at: z.null(),
  })
  .openapi("AdminPublishedTerms");

const PublishTermsRequest = envelopeRequest(
  z
    .object({
      version: z.string().regex(TERMS_VERSION, "1–64 of [A-Za-z0-9._-]").openapi({ example: "2027-01" }),
      text: z
        .string()
        .min(1)
        .max(500_000)
        .openapi({ description: "The full text, as partners will read it." }),
      accept_by: z.iso.datetime({ offset: true }).optional().openapi({
        description: "When acceptance is due (default 30 days after publication); not before now.",
      }),
      reason: Reason.optional(),
    })
    .strict(),
).openapi("AdminPublishTermsRequest");

const list = adminRoute(
  { role: "viewer", action: "terms.list" },
  {
    method: "get",
    path: "/admin/v1/terms",
    operationId: "adminListTerms",
    tags: ["Terms"],
    summary: "Every published version of the terms of service",
    description:
      "Production only. Newest first: each version's SHA-256, publication, acceptance deadline and how many partners accepted it (the text is `GET /v1/terms` for partners).",
    ...PRODUCTION_ONLY,
    responses: okResponse("The versions", z.array(TermsVersionSchema)),
  },
);

const publish = adminRoute(
  { role: "admin", action: "terms.publish", errors: ["terms_version_exists"] },
  {
    method: "post",
    path: "/admin/v1/terms",
    operationId: "adminPublishTerms",
    tags: ["Terms"],
    summary: "Publish a new version of the terms of service",
    description:
      "Production only. The version is in force at once; a production partner that has not accepted it by `accept_by` is refused (code 24). A version is never replaced (130). Audited with the version and its SHA-256, never the text.",
    ...PRODUCTION_ONLY,
    request: json(PublishTermsRequest),
    responses: okResponse("The version as published", PublishedTermsSchema, 201),
  },
);

export function registerAdminTerms(t: AdminTarget) {
  serve(t, list, async (c) => ok(c, await listTermsVersions(c.get("services").db)));
  serve(t, publish, async (c) => {
    const { version, text, accept_by, reason } = c.req.valid("json").params;
    c.set("adminAudit", { target: version, reason });
    const published = await publishTerms(c.get("services").db, {
      version,
      text,
      ...(accept_by ? { acceptBy: accept_by } : {}),
    });
    c.set("adminAudit", {
      target: version,
      reason,
      before: null,
      after: { version: published.version, sha256: published.sha256, accept_by: published.accept_by },
    });
    c.get("log").warn("terms published", { version: published.version });
    return ok(c, { ...published, accepted_at: null }, 201);
  });
}
