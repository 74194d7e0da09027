import { ApiError, catalogue } from "../../../platform/errors";
import { ACCESS_HEADER } from "../authenticate";
import type { AdminTarget } from "./define";

/** The admin API's own OpenAPI document: the partners' `/openapi.json` never lists an admin route. */
export function buildAdminOpenApi(t: AdminTarget, origin: string) {
  const doc = t.doc.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Portico admin API",
      version: "1.0.0",
      description:
        "The bank's platform team's API: partners, contracts, maker-checker approvals, kill switches, roles and the audit log. Behind Cloudflare Access; see docs/admin.md.",
    },
    servers: [{ url: origin }],
    tags: [
      { name: "Partners", description: "Search, read, change contracts, suspend, offboard, credentials." },
      { name: "Approvals", description: "Maker-checker change requests: two different approvers." },
      {
        name: "Applications",
        description: "Production only: the review queue of production applications, and their approval.",
      },
      { name: "Kill switches", description: "Switch a product off for every partner." },
      { name: "Identities", description: "Who may call, with which role." },
      { name: "Audit", description: "Every admin action, searchable." },
      {
        name: "Invoices",
        description:
          "Partners' invoices and credit notes, payments received, and revenue with its collection.",
      },
      {
        name: "Terms",
        description:
          "The terms of service: publish a version, see who accepted which. Production only (`x-portico-environments`).",
      },
      {
        name: "Operations",
        description: "Payment and webhook metrics, and the alert rules evaluated over them every minute.",
      },
    ],
  });
  doc.components = {
    ...doc.components,
    securitySchemes: {
      cloudflareAccess: {
        type: "apiKey",
        in: "header",
        name: ACCESS_HEADER,
        description:
          "The JWT Cloudflare Access adds to every request it lets through (RS256, the application's AUD).",
      },
    },
  };
  return { ...doc, "x-error-catalogue": catalogue() };
}

export function registerAdminOpenApi(t: AdminTarget) {
  // Behind the same Access authentication as every admin route (the /admin/* middleware), any role.
  t.app.get("/admin/openapi.json", (c) => {
    if (c.get("admin").role === null) throw new ApiError("admin_no_role");
    return c.json(buildAdminOpenApi(t, new URL(c.req.url).origin));
  });
}
