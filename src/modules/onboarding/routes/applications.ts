import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { mediaTypeOf } from "../../../platform/middleware/json-body";
import type { AppEnv } from "../../../platform/types";
import {
  createApplication,
  documentView,
  listApplications,
  loadView,
  ownApplication,
  submitApplication,
  updateApplication,
} from "../application";
import { removeDocument, uploadDocument } from "../application-documents";
import { issueLiveCredential, liveCredentials } from "../live-partner";
import {
  ApplicationCreateRequest,
  ApplicationIdParam,
  ApplicationPatchRequest,
  ApplicationSchema,
  DOCUMENT_UPLOAD_DESCRIPTION,
  DocumentParams,
  DocumentQuery,
  DocumentSchema,
  LiveCredentialSchema,
  NewLiveCredentialSchema,
} from "./application-schema";
import { registrationOf, sessionRoute } from "./session-route";

const json = <T>(schema: T, required = true) => ({
  body: { required, content: { "application/json": { schema } } },
});

const create = sessionRoute(
  { errors: ["application_open"] },
  {
    method: "post",
    path: "/onboarding/applications",
    operationId: "createApplication",
    summary: "Start a production application",
    description:
      "Production only. A draft with the products wanted (default: those named at registration) and as much of the compliance checklist as you have. One open application at a time.",
    request: json(ApplicationCreateRequest, false),
    responses: okResponse("The draft", ApplicationSchema, 201),
  },
);

const list = sessionRoute(
  {},
  {
    method: "get",
    path: "/onboarding/applications",
    operationId: "listApplications",
    summary: "Your production applications",
    description: "Production only. Newest first, each with its documents and history.",
    responses: okResponse(
      "Your applications",
      z.object({ data: z.array(ApplicationSchema), has_more: z.boolean() }).openapi("ApplicationList"),
    ),
  },
);

const get = sessionRoute(
  {},
  {
    method: "get",
    path: "/onboarding/applications/{id}",
    operationId: "getApplication",
    summary: "A production application",
    description:
      "Production only. Its state, checklist, documents, what is still missing, and its history with the reviewers' comments.",
    request: { params: ApplicationIdParam },
    responses: okResponse("The application", ApplicationSchema),
  },
);

const patch = sessionRoute(
  { errors: ["invalid_state_transition"] },
  {
    method: "patch",
    path: "/onboarding/applications/{id}",
    operationId: "updateApplication",
    summary: "Change a draft, or answer a change request",
    description:
      "Production only, while `draft` or `changes_requested`. Each checklist member given replaces the stored one whole; `null` clears it.",
    request: { params: ApplicationIdParam, ...json(ApplicationPatchRequest) },
    responses: okResponse("The application", ApplicationSchema),
  },
);

const submit = sessionRoute(
  {
    errors: [
      "invalid_state_transition",
      "email_not_verified",
      "terms_not_accepted",
      "application_incomplete",
    ],
  },
  {
    method: "post",
    path: "/onboarding/applications/{id}/submit",
    operationId: "submitApplication",
    summary: "Submit for review",
    description:
      "Production only. Needs the contact email verified (134), the current terms accepted (135), and the checklist complete for the products (137 names what is missing).",
    request: { params: ApplicationIdParam },
    responses: okResponse("The submitted application", ApplicationSchema),
  },
);

const upload = sessionRoute(
  {
    rawBody: true,
    errors: ["invalid_state_transition", "payload_too_large", "document_type_mismatch", "document_limit"],
  },
  {
    method: "post",
    path: "/onboarding/applications/{id}/documents",
    operationId: "uploadApplicationDocument",
    summary: "Add a document",
    description: `Production only, while \`draft\` or \`changes_requested\`. ${DOCUMENT_UPLOAD_DESCRIPTION} Stored in private storage: never served publicly.`,
    request: {
      params: ApplicationIdParam,
      query: DocumentQuery,
      body: {
        required: true,
        content: {
          "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
          "image/png": { schema: z.string().openapi({ format: "binary" }) },
          "image/jpeg": { schema: z.string().openapi({ format: "binary" }) },
        },
      },
    },
    responses: okResponse("The document, as stored", DocumentSchema, 201),
  },
);

const removeDoc = sessionRoute(
  { errors: ["invalid_state_transition"] },
  {
    method: "delete",
    path: "/onboarding/applications/{id}/documents/{document_id}",
    operationId: "removeApplicationDocument",
    summary: "Remove a document",
    description: "Production only, while `draft` or `changes_requested`. The history keeps that it existed.",
    request: { params: DocumentParams },
    responses: okResponse("The removed document", DocumentSchema),
  },
);

const issueCredential = sessionRoute(
  { errors: ["not_live_yet", "live_credential_limit"] },
  {
    method: "post",
    path: "/onboarding/credentials",
    operationId: "createLiveCredential",
    summary: "Make a live consumer key",
    description:
      "Production only, once your application is approved. A consumer key for your live partner; the secret is in this answer only (the platform team never sees it). At most five active.",
    responses: okResponse("The live credential, with its secret (shown once)", NewLiveCredentialSchema, 201),
  },
);

const listCredentials = sessionRoute(
  { errors: ["not_live_yet"] },
  {
    method: "get",
    path: "/onboarding/credentials",
    operationId: "listLiveCredentials",
    summary: "Your live consumer keys",
    description: "Production only. Metadata only: secrets are never shown again.",
    responses: okResponse(
      "Your live credentials",
      z.object({ data: z.array(LiveCredentialSchema), has_more: z.boolean() }).openapi("LiveCredentialList"),
    ),
  },
);

export function registerApplicationRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(create, async (c) => {
    const body = c.req.valid("json");
    const view = await createApplication(c.get("services").db, registrationOf(c), body.params ?? {});
    c.get("log").info("application created", { application_id: view.id });
    return ok(c, view, 201);
  });
  app.openapi(list, async (c) => ok(c, await listApplications(c.get("services").db, registrationOf(c))));
  app.openapi(get, async (c) => {
    const { db } = c.get("services");
    return ok(c, await loadView(db, await ownApplication(db, registrationOf(c), c.req.valid("param").id)));
  });
  app.openapi(patch, async (c) => {
    const { params } = c.req.valid("json");
    const view = await updateApplication(
      c.get("services").db,
      registrationOf(c),
      c.req.valid("param").id,
      params,
    );
    return ok(c, view);
  });
  app.openapi(submit, async (c) => {
    const view = await submitApplication(c.get("services").db, registrationOf(c), c.req.valid("param").id);
    c.get("log").info("application submitted", { application_id: view.id });
    return ok(c, view);
  });
  app.openapi(upload, async (c) => {
    const { kind, filename } = c.req.valid("query");
    const declared = c.req.header("Content-Length");
    const row = await uploadDocument(
      { db: c.get("services").db, bucket: c.env.DOCUMENTS },
      registrationOf(c),
      c.req.valid("param").id,
      {
        kind,
        filename,
        contentType: mediaTypeOf(c.req.header("Content-Type")).toLowerCase(),
        declaredLength: declared === undefined ? undefined : Number(declared),
        body: c.req.raw.body,
      },
    );
    return ok(c, documentView(row), 201);
  });
  app.openapi(removeDoc, async (c) => {
    const { id, document_id } = c.req.valid("param");
    const doc = await removeDocument(
      { db: c.get("services").db, bucket: c.env.DOCUMENTS },
      registrationOf(c),
      id,
      document_id,
    );
    return ok(c, documentView(doc));
  });
  app.openapi(issueCredential, async (c) => {
    const { db, config } = c.get("services");
    const created = await issueLiveCredential(db, config, registrationOf(c));
    c.get("log").info("live credential issued", {
      partner_id: created.partner_id,
      credential_id: created.id,
    });
    c.header("Cache-Control", "no-store");
    return ok(c, { ...created, consumer_secret: created.consumer_secret ?? "" }, 201);
  });
  app.openapi(listCredentials, async (c) =>
    ok(c, await liveCredentials(c.get("services").db, registrationOf(c))),
  );
}
