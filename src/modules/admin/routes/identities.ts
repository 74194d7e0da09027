import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { listIdentities, setIdentity } from "../identities";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { IdentityRequest, IdentitySchema } from "./schema";

const list = adminRoute(
  { role: "admin", action: "identities.list" },
  {
    method: "get",
    path: "/admin/v1/identities",
    operationId: "adminListIdentities",
    tags: ["Identities"],
    summary: "Who may use the admin API",
    description:
      "Every identity with a role, disabled ones included (they keep their row for the audit log).",
    responses: okResponse("The identities", z.array(IdentitySchema)),
  },
);

const put = adminRoute(
  { role: "admin", action: "identity.set", errors: ["last_admin"] },
  {
    method: "put",
    path: "/admin/v1/identities/{identity}",
    operationId: "adminSetIdentity",
    tags: ["Identities"],
    summary: "Grant, change or disable an identity's role",
    description:
      "The identity is the email Cloudflare Access authenticates (lower-cased). It bites on the identity's next call. The last active admin cannot be demoted or disabled (107).",
    request: {
      params: z.object({
        identity: z
          .email()
          .max(254)
          .transform((e) => e.toLowerCase())
          .openapi({ param: { name: "identity", in: "path" }, example: "ops@bank.example" }),
      }),
      ...json(IdentityRequest),
    },
    responses: okResponse("The identity now", IdentitySchema),
  },
);

export function registerIdentities(t: AdminTarget) {
  serve(t, list, async (c) => ok(c, await listIdentities(c.get("services").db)));
  serve(t, put, async (c) => {
    const { identity } = c.req.valid("param");
    const { role, disabled, reason } = c.req.valid("json").params;
    c.set("adminAudit", { target: identity, reason });
    const { before, after } = await setIdentity(c.get("services").db, {
      identity,
      role,
      disabled,
      by: actorOf(c).identity,
    });
    c.set("adminAudit", { target: identity, before, after, reason });
    return ok(c, after);
  });
}
