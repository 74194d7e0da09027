import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { addDocument, MAX_DOCUMENT_BYTES, readDocument } from "../documents";
import { DOCUMENT_TYPES, MAX_DOCUMENTS } from "../model";
import { DocumentSchema } from "../schemas/dispute";
import { withBucket } from "./deps";

const UploadRequest = envelopeRequest(
  z
    .object({
      filename: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[\w.\- ()]+$/, "letters, digits, spaces and . _ - ( ) only"),
      content_type: z
        .string()
        .min(1)
        .max(100)
        .openapi({ description: DOCUMENT_TYPES.join(", ") }),
      content_base64: z
        .string()
        .min(1)
        .max(Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 4)
        .openapi({
          description: `The document's bytes in base64: at most ${MAX_DOCUMENT_BYTES} bytes decoded.`,
        }),
    })
    .strict(),
).openapi("DisputeDocumentUpload");

const Params = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
const DocParams = Params.extend({
  document_id: z.uuid().openapi({ param: { name: "document_id", in: "path" } }),
});

const uploadRoute = v1Route(
  {
    product: "payments",
    scope: "payments:write",
    errors: [
      "invalid_state_transition",
      "dispute_document_too_large",
      "dispute_document_type",
      "dispute_document_limit",
    ],
  },
  {
    method: "post",
    path: "/v1/disputes/{id}/evidence/documents",
    operationId: "addDisputeDocument",
    tags: ["Payments"],
    summary: "Add a document to a dispute's evidence",
    description: `A PDF, PNG or JPEG (its first bytes must match \`content_type\`, else 415, code 213), at most ${MAX_DOCUMENT_BYTES} bytes (413, code 212), at most ${MAX_DOCUMENTS} per dispute (409, code 214), while the dispute is \`needs_response\` (else 409, code 60). Stored privately; listed in the dispute's \`evidence.documents\`.`,
    request: {
      params: Params,
      body: { required: true, content: { "application/json": { schema: UploadRequest } } },
    },
    responses: okResponse("The document, as stored", DocumentSchema, 201),
  },
);

const downloadRoute = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/disputes/{id}/evidence/documents/{document_id}",
    operationId: "getDisputeDocument",
    tags: ["Payments"],
    summary: "Download a dispute document",
    description: "The document's bytes with its `Content-Type`. Errors answer the JSON envelope.",
    request: { params: DocParams },
    responses: {
      200: {
        description: "The document",
        content: Object.fromEntries(
          DOCUMENT_TYPES.map((t) => [t, { schema: z.string().openapi({ format: "binary" }) }]),
        ),
      },
    },
  },
);

export function registerDocuments(app: OpenAPIHono<AppEnv>) {
  app.openapi(uploadRoute, async (c) => {
    const { id } = c.req.valid("param");
    const p = c.req.valid("json").params;
    const { document } = await addDocument(
      withBucket(c),
      c.get("partner").id,
      id,
      { filename: p.filename, contentType: p.content_type, contentBase64: p.content_base64 },
      new Date().toISOString(),
    );
    c.get("log").info("dispute document added", { dispute_id: id, document_id: document.id });
    return ok(c, document, 201);
  });
  app.openapi(downloadRoute, async (c) => {
    const { id, document_id } = c.req.valid("param");
    const { document, body } = await readDocument(withBucket(c), c.get("partner").id, id, document_id);
    return c.body(body, 200, {
      "Content-Type": document.content_type,
      "Content-Disposition": `attachment; filename="${document.filename.replace(/"/g, "")}"`,
      "Cache-Control": "private, no-store",
    }) as never;
  });
}
