import { ok, okResponse } from "../../../platform/envelope";
import { actorOf } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { AdminMeSchema } from "./schema";

const route = adminRoute(
  { role: "viewer", action: "me.read" },
  {
    method: "get",
    path: "/admin/v1/me",
    operationId: "adminMe",
    tags: ["Identities"],
    summary: "Who am I",
    description: "The identity Cloudflare Access authenticated and the role it holds here.",
    responses: okResponse("The caller", AdminMeSchema),
  },
);

export function registerMe(t: AdminTarget) {
  serve(t, route, (c) => {
    const { identity, role } = actorOf(c);
    return ok(c, { identity, subject: c.get("admin").subject, role });
  });
}
