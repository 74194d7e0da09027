/** @jsxImportSource hono/jsx */
import type { Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../../platform/errors";
import { type Flash, flashOf, refusalText, statusOf } from "../../../platform/web/answer";
import { fetchAdmin } from "../admin-call";
import {
  type Application,
  ApplicationPage,
  ApplicationsPage,
  NoApplicationsPage,
} from "../pages/applications";
import { asAdmin, type ConsoleContext, type ConsoleEnv, environmentOf, formOf, frameOf } from "./context";

const pathOf = (id: string) => `/admin/v1/applications/${encodeURIComponent(id)}`;

/**
 * Applications are production's (the admin API answers 404, code 31, in the sandbox): in the
 * sandbox the queue's pages say so, and its nav entry is not shown.
 */
const productionOnly: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (environmentOf(c) !== "production")
    return c.html(<NoApplicationsPage {...frameOf(c, "Production applications")} />, 404);
  await next();
};

async function applicationPage(
  c: ConsoleContext,
  id: string,
  flash?: Flash,
  code: ContentfulStatusCode = 200,
) {
  const answer = await asAdmin<Application>(c, "GET", pathOf(id));
  if (!answer.result)
    throw new ApiError(answer.status === 404 ? "not_found" : "bad_request", {
      resource: `application ${id}`,
    });
  const company = answer.result.registration?.company_name ?? "Application";
  return c.html(
    <ApplicationPage
      {...frameOf(c, company)}
      application={answer.result}
      me={c.get("console").identity}
      {...(flash ? { flash } : {})}
    />,
    code,
  );
}

/** What each decision's success says; approving says which of the two approvals it was. */
const DONE: Record<string, (status: number, a: Application | undefined) => string> = {
  "request-changes": () => "Changes requested: the partner reads your comment.",
  reject: () => "Rejected: the partner reads the reason.",
  approve: (status, a) =>
    status === 202
      ? "Approval proposed: a different approver approves it to make the live partner."
      : `Approved: the live partner ${a?.partner_id ?? ""} exists.`,
};

export function registerApplications(app: Hono<ConsoleEnv>) {
  app.use("/applications", productionOnly);
  app.use("/applications/*", productionOnly);

  app.get("/applications", async (c) => {
    const status = c.req.query("status") || "submitted";
    const query = new URLSearchParams({ status, limit: "50" });
    const after = c.req.query("starting_after");
    if (after) query.set("starting_after", after);
    const listed = await asAdmin<{ data: Application[]; has_more: boolean }>(
      c,
      "GET",
      "/admin/v1/applications",
      {
        query,
      },
    );
    const rows = listed.result?.data ?? [];
    const last = rows.at(-1);
    return c.html(
      <ApplicationsPage
        {...frameOf(c, "Production applications")}
        applications={rows}
        status={status}
        {...(listed.result?.has_more && last
          ? { next: `/console/applications?${new URLSearchParams({ status, starting_after: last.id })}` }
          : {})}
        {...(listed.error ? { flash: flashOf(listed, "") } : {})}
      />,
      statusOf(listed),
    );
  });

  app.get("/applications/:id", (c) => applicationPage(c, c.req.param("id")));

  // The document's bytes as the admin API streams them (an operator's download, audited there).
  app.get("/applications/:id/documents/:document_id", async (c) => {
    const { id, document_id } = c.req.param();
    const res = await fetchAdmin(
      c,
      c.get("console").assertion,
      `${pathOf(id)}/documents/${encodeURIComponent(document_id)}`,
    );
    if (!res.ok) {
      const error = await res
        .json<{ error?: { code: number; message: string } }>()
        .then((b) => b.error)
        .catch(() => undefined);
      const text = error ? refusalText(error) : `HTTP ${res.status}`;
      return applicationPage(c, id, { kind: "error", text }, res.status as ContentfulStatusCode);
    }
    const headers = new Headers();
    for (const name of ["Content-Type", "Content-Length", "Content-Disposition", "X-Content-Type-Options"]) {
      const value = res.headers.get(name);
      if (value) headers.set(name, value);
    }
    return new Response(res.body, { status: 200, headers });
  });

  app.post("/applications/:id/:decision{request-changes|reject|approve}", async (c) => {
    const { id, decision } = c.req.param();
    const form = await formOf(c);
    const answer = await asAdmin<Application>(c, "POST", `${pathOf(id)}/${decision}`, {
      params: { reason: (form.reason ?? "").trim() },
      idempotencyKey: form.idempotency_key,
    });
    const done = DONE[decision]?.(answer.status, answer.result) ?? "Done.";
    return applicationPage(c, id, flashOf(answer, done), statusOf(answer));
  });
}
