/** @jsxImportSource hono/jsx */
import { Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/types";
import { type Flash, flashOf, statusOf } from "../../../platform/web/answer";
import { formOf, pageHeaders, sameOrigin } from "../../../platform/web/forms";
import { Layout } from "../../../platform/web/layout";
import { pageErrors } from "../../../platform/web/page-errors";
import { ACCESS_HEADER, callAdmin, csrfToken, csrfValid } from "../admin-call";
import { ApprovalsPage, type ChangeRequest } from "../pages/approvals";
import {
  type AuditEntry,
  AuditPage,
  type PartnerDetail,
  PartnerPage,
  type PartnerSummary,
  PartnersPage,
} from "../pages/partners";
import { CONSOLE } from "../site";

interface Admin {
  assertion: string;
  identity: string;
  subject: string;
  role: string;
  csrf: string;
}
type ConsoleEnv = AppEnv & { Variables: AppEnv["Variables"] & { console: Admin } };
type ConsoleContext = Parameters<MiddlewareHandler<ConsoleEnv>>[0];

const env = (c: ConsoleContext) => c.get("services").config.ENVIRONMENT;

/**
 * Who is at the console: the admin API says so (`GET /admin/v1/me` with their Access assertion),
 * so the console knows no other way in. Every POST carries the person's CSRF token from this origin.
 */
const requireAdmin: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const assertion = c.req.header(ACCESS_HEADER)?.trim() ?? "";
  const me = await callAdmin<{ identity: string; subject: string; role: string }>(
    c,
    assertion,
    "GET",
    "/admin/v1/me",
  );
  if (!me.result) {
    const error = me.error ?? { code: 100, message: "Sign in through Cloudflare Access" };
    return c.html(
      <Layout site={CONSOLE} title="Sign in through Cloudflare Access" environment={env(c)}>
        <p class="flash flash-error" role="alert">
          {error.message} (code {error.code})
        </p>
        <p>
          The console is for the bank's platform team, behind Cloudflare Access. Open it through the Access
          login of your organisation.
        </p>
      </Layout>,
      me.status as ContentfulStatusCode,
    );
  }
  const dataKey = c.get("services").config.WEBHOOK_SECRETS_KEY;
  const admin: Admin = { assertion, ...me.result, csrf: await csrfToken(dataKey, me.result.subject) };
  if (c.req.method === "POST") {
    const form = await formOf(c);
    if (!sameOrigin(c) || !(await csrfValid(dataKey, admin.subject, form.csrf)))
      throw new ApiError("portal_csrf");
  }
  c.set("console", admin);
  await next();
};

const frame = (c: ConsoleContext, title: string) => {
  const admin = c.get("console");
  return {
    site: CONSOLE,
    title,
    environment: env(c),
    user: { username: admin.identity, role: admin.role },
    csrf: admin.csrf,
  };
};

async function partnerPage(c: ConsoleContext, id: string, flash?: Flash, code: ContentfulStatusCode = 200) {
  const admin = c.get("console");
  const [partner, audit] = await Promise.all([
    callAdmin<PartnerDetail>(c, admin.assertion, "GET", `/admin/v1/partners/${encodeURIComponent(id)}`),
    callAdmin<{ data: AuditEntry[] }>(c, admin.assertion, "GET", "/admin/v1/audit", {
      query: new URLSearchParams({ partner_id: id, limit: "50" }),
    }),
  ]);
  if (!partner.result)
    throw new ApiError(partner.status === 404 ? "not_found" : "bad_request", { resource: `partner ${id}` });
  return c.html(
    <PartnerPage
      {...frame(c, partner.result.name)}
      partner={partner.result}
      audit={audit.result?.data ?? []}
      {...(flash ? { flash } : {})}
    />,
    code,
  );
}

async function approvalsPage(c: ConsoleContext, flash?: Flash, code: ContentfulStatusCode = 200) {
  const admin = c.get("console");
  const listed = await callAdmin<{ data: ChangeRequest[] }>(
    c,
    admin.assertion,
    "GET",
    "/admin/v1/approvals",
    {
      query: new URLSearchParams({ status: "pending", limit: "100" }),
    },
  );
  return c.html(
    <ApprovalsPage
      {...frame(c, "Approvals")}
      requests={listed.result?.data ?? []}
      me={admin.identity}
      {...(flash ? { flash } : {})}
    />,
    code,
  );
}

/** /console: the platform team's pages (docs/admin.md, console); every action is an admin API call with the person's own role. */
export function consoleApp() {
  const app = new Hono<ConsoleEnv>();
  app.use("*", pageHeaders);
  app.onError(pageErrors(CONSOLE));
  app.use("*", requireAdmin);

  app.get("/", async (c) => {
    const query = (c.req.query("query") ?? "").trim();
    const status = c.req.query("status") ?? "";
    const q = new URLSearchParams({ limit: "100" });
    if (query) q.set("query", query);
    if (status) q.set("status", status);
    const listed = await callAdmin<{ data: PartnerSummary[] }>(
      c,
      c.get("console").assertion,
      "GET",
      "/admin/v1/partners",
      { query: q },
    );
    return c.html(
      <PartnersPage
        {...frame(c, "Partners")}
        partners={listed.result?.data ?? []}
        query={query}
        status={status}
        {...(listed.error ? { flash: flashOf(listed, "") } : {})}
      />,
      statusOf(listed),
    );
  });

  app.get("/partners/:id", (c) => partnerPage(c, c.req.param("id")));

  for (const [action, done] of [
    ["suspend", "Suspended."],
    ["reactivate", "Reactivation proposed: a second approver approves it under Approvals."],
    ["offboard", "Offboarded."],
  ] as const) {
    app.post(`/partners/:id/${action}`, async (c) => {
      const id = c.req.param("id");
      const form = await formOf(c);
      const answer = await callAdmin(
        c,
        c.get("console").assertion,
        "POST",
        `/admin/v1/partners/${encodeURIComponent(id)}/${action}`,
        {
          params: { reason: (form.reason ?? "").trim() },
          idempotencyKey: form.idempotency_key,
        },
      );
      return partnerPage(c, id, flashOf(answer, done), statusOf(answer));
    });
  }

  app.get("/approvals", (c) => approvalsPage(c));

  app.post("/approvals/:id/:decision{approve|reject}", async (c) => {
    const { id, decision } = c.req.param();
    const form = await formOf(c);
    const reason = (form.reason ?? "").trim();
    const answer = await callAdmin<ChangeRequest>(
      c,
      c.get("console").assertion,
      "POST",
      `/admin/v1/approvals/${encodeURIComponent(id)}/${decision}`,
      {
        params: reason ? { reason } : {},
        idempotencyKey: form.idempotency_key,
      },
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

  app.get("/audit", async (c) => {
    const listed = await callAdmin<{ data: AuditEntry[] }>(
      c,
      c.get("console").assertion,
      "GET",
      "/admin/v1/audit",
      {
        query: new URLSearchParams({ limit: "100" }),
      },
    );
    return c.html(
      <AuditPage {...frame(c, "Admin audit log")} entries={listed.result?.data ?? []} />,
      statusOf(listed),
    );
  });

  return app as unknown as Hono<AppEnv>;
}
