/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../../../platform/errors";
import { isUuid } from "../../../../platform/lib/ids";
import { type Flash, flashOf, statusOf } from "../../../../platform/web/answer";
import { formOf, uploadOf } from "../../../../platform/web/forms";
import type { ApiAnswer } from "../../../../platform/web/self-call";
import { MAX_DOCUMENT_BYTES } from "../../../onboarding/application-model";
import { callOnboarding } from "../api";
import { checklistOf, productsOf } from "../checklist-form";
import { type ApplyContext, type ApplyEnv, applyFrame, requireApplicant } from "../context";
import { ApplicationPage, type ApplicationView, StartApplicationPage } from "../pages/application";
import {
  type ApplicationSummary,
  CredentialsPage,
  type LiveCredential,
  type RegistrationState,
  StatusPage,
  TermsPage,
  type TermsState,
} from "../pages/status";

/** An upload's form: the file and a few fields, well within the document limit and a margin. */
const UPLOAD_LIMIT = { maxBytes: MAX_DOCUMENT_BYTES + 64 * 1024 };

const call = <T,>(
  c: ApplyContext,
  ...args: [Parameters<typeof callOnboarding>[2], string, Parameters<typeof callOnboarding>[4]?]
) => callOnboarding<T>(c, c.get("applicant"), ...args);

const flashIf = (answer: ApiAnswer<unknown>) => (answer.error ? { flash: flashOf(answer, "") } : {});

async function statusPage(c: ApplyContext, flash?: Flash, code: ContentfulStatusCode = 200) {
  const [registration, terms, applications] = await Promise.all([
    call<RegistrationState>(c, "GET", "/onboarding/registration"),
    call<TermsState>(c, "GET", "/onboarding/terms"),
    call<{ data: ApplicationSummary[] }>(c, "GET", "/onboarding/applications"),
  ]);
  return c.html(
    <StatusPage
      {...applyFrame(c, "Your way to production", "status")}
      {...(flash ? { flash } : flashIf(registration))}
      registration={registration.result}
      terms={terms.result}
      application={applications.result?.data[0]}
    />,
    code,
  );
}

async function termsPage(c: ApplyContext, flash?: Flash, code: ContentfulStatusCode = 200) {
  const terms = await call<TermsState>(c, "GET", "/onboarding/terms");
  return c.html(
    <TermsPage
      {...applyFrame(c, "Terms of service", "terms")}
      {...(flash ? { flash } : flashIf(terms))}
      terms={terms.result}
    />,
    code === 200 ? statusOf(terms) : code,
  );
}

async function applicationPage(c: ApplyContext, flash?: Flash, code: ContentfulStatusCode = 200) {
  const listed = await call<{ data: ApplicationView[] }>(c, "GET", "/onboarding/applications");
  const frame = {
    ...applyFrame(c, "Production application", "application"),
    ...(flash ? { flash } : flashIf(listed)),
  };
  const newest = listed.result?.data[0];
  if (newest) return c.html(<ApplicationPage {...frame} application={newest} />, code);
  const registration = await call<RegistrationState>(c, "GET", "/onboarding/registration");
  return c.html(<StartApplicationPage {...frame} products={registration.result?.products ?? []} />, code);
}

async function credentialsPage(
  c: ApplyContext,
  extra: { flash?: Flash; created?: { consumer_key: string; consumer_secret: string } } = {},
  code: ContentfulStatusCode = 200,
) {
  const listed = await call<{ data: LiveCredential[] }>(c, "GET", "/onboarding/credentials");
  return c.html(
    <CredentialsPage
      {...applyFrame(c, "Live keys", "credentials")}
      {...(extra.flash ? { flash: extra.flash } : flashIf(listed))}
      {...(extra.created ? { created: extra.created } : {})}
      credentials={listed.result?.data ?? []}
    />,
    code === 200 ? statusOf(listed) : code,
  );
}

/** The application's id from the path: a malformed one never reaches the API. */
function applicationId(c: ApplyContext): string {
  const id = c.req.param("id") ?? "";
  if (!isUuid(id)) throw new ApiError("not_found", { resource: "application" });
  return id;
}

/** After an action: the application page with what was done, or the refusal and its status. */
const afterAction = (c: ApplyContext, answer: ApiAnswer<unknown>, done: string) =>
  applicationPage(c, flashOf(answer, done), statusOf(answer));

/** The registrant's pages: status, terms, the application with its documents, live keys. */
export function registerJourney(portal: Hono<ApplyEnv>) {
  portal.get("/apply", requireApplicant(), (c) => statusPage(c));

  portal.post("/apply/verification", requireApplicant(), async (c) => {
    const answer = await call(c, "POST", "/onboarding/verification");
    return statusPage(c, flashOf(answer, "A new verification link is on its way."), statusOf(answer));
  });

  portal.get("/apply/terms", requireApplicant(), (c) => termsPage(c));
  portal.post("/apply/terms", requireApplicant(), async (c) => {
    const form = await formOf(c);
    const answer = await call(c, "POST", "/onboarding/terms/accept", {
      params: { version: form.version ?? "", sha256: form.sha256 ?? "" },
      ...(form.idempotency_key ? { idempotencyKey: form.idempotency_key } : {}),
    });
    return termsPage(c, flashOf(answer, "Terms accepted."), statusOf(answer));
  });

  portal.get("/apply/application", requireApplicant(), (c) => applicationPage(c));
  portal.post("/apply/application", requireApplicant(), async (c) => {
    const form = await formOf(c);
    const answer = await call(c, "POST", "/onboarding/applications", {
      params: { products: productsOf(form) },
      ...(form.idempotency_key ? { idempotencyKey: form.idempotency_key } : {}),
    });
    return afterAction(c, answer, "Application started: fill in the checklist below.");
  });

  portal.post("/apply/application/:id", requireApplicant(), async (c) => {
    const form = await formOf(c);
    const answer = await call(c, "PATCH", `/onboarding/applications/${applicationId(c)}`, {
      params: { products: productsOf(form), checklist: checklistOf(form) },
    });
    return afterAction(c, answer, "Saved.");
  });

  portal.post("/apply/application/:id/documents", requireApplicant(UPLOAD_LIMIT), async (c) => {
    const { fields, files } = await uploadOf(c, UPLOAD_LIMIT.maxBytes);
    const file = files.file;
    if (!file || file.size === 0)
      throw new ApiError("validation", { field: "file", msg: "choose a file" }, { field: "file" });
    const answer = await call(c, "POST", `/onboarding/applications/${applicationId(c)}/documents`, {
      query: new URLSearchParams({ kind: fields.kind ?? "", filename: file.name || "document" }),
      raw: { bytes: await file.arrayBuffer(), type: file.type || "application/octet-stream" },
      ...(fields.idempotency_key ? { idempotencyKey: fields.idempotency_key } : {}),
    });
    return afterAction(c, answer, `${file.name} uploaded.`);
  });

  portal.post("/apply/application/:id/documents/:document/remove", requireApplicant(), async (c) => {
    const document = c.req.param("document");
    if (!isUuid(document)) throw new ApiError("not_found", { resource: "document" });
    const answer = await call(
      c,
      "DELETE",
      `/onboarding/applications/${applicationId(c)}/documents/${document}`,
    );
    return afterAction(c, answer, "Document removed.");
  });

  portal.post("/apply/application/:id/submit", requireApplicant(), async (c) => {
    const form = await formOf(c);
    const answer = await call(c, "POST", `/onboarding/applications/${applicationId(c)}/submit`, {
      ...(form.idempotency_key ? { idempotencyKey: form.idempotency_key } : {}),
    });
    return afterAction(
      c,
      answer,
      "Submitted: the platform team reviews it, and you will see their answer here.",
    );
  });

  portal.get("/apply/credentials", requireApplicant(), (c) => credentialsPage(c));
  portal.post("/apply/credentials", requireApplicant(), async (c) => {
    const form = await formOf(c);
    const answer = await call<{ consumer_key: string; consumer_secret: string }>(
      c,
      "POST",
      "/onboarding/credentials",
      {
        ...(form.idempotency_key ? { idempotencyKey: form.idempotency_key } : {}),
      },
    );
    if (!answer.result) return credentialsPage(c, { flash: flashOf(answer, "") }, statusOf(answer));
    return credentialsPage(c, { created: answer.result }, 201);
  });
}
