/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Flash, flashOf, statusOf } from "../../../platform/web/answer";
import { ApprovalsPage, type ChangeRequest } from "../pages/approvals";
import { asAdmin, type ConsoleContext, type ConsoleEnv, formOf, frameOf } from "./context";

async function approvalsPage(c: ConsoleContext, flash?: Flash, code: ContentfulStatusCode = 200) {
  const listed = await asAdmin<{ data: ChangeRequest[] }>(c, "GET", "/admin/v1/approvals", {
    query: new URLSearchParams({ status: "pending", limit: "100" }),
  });
  return c.html(
    <ApprovalsPage
      {...frameOf(c, "Approvals")}
      requests={listed.result?.data ?? []}
      me={c.get("console").identity}
      {...(flash ? { flash } : {})}
    />,
    code,
  );
}

export function registerApprovals(app: Hono<ConsoleEnv>) {
  app.get("/approvals", (c) => approvalsPage(c));

  app.post("/approvals/:id/:decision{approve|reject}", async (c) => {
    const { id, decision } = c.req.param();
    const form = await formOf(c);
    const reason = (form.reason ?? "").trim();
    const answer = await asAdmin<ChangeRequest>(
      c,
      "POST",
      `/admin/v1/approvals/${encodeURIComponent(id)}/${decision}`,
      { params: reason ? { reason } : {}, idempotencyKey: form.idempotency_key },
    );
    return approvalsPage(
      c,
      flashOf(
        answer,
        decision === "approve"
          ? `Approved: the change is ${answer.result?.status ?? "recorded"}.`
          : "Rejected.",
      ),
      statusOf(answer),
    );
  });
}
