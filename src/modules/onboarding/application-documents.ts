import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { readBoundedBytes } from "../../platform/lib/bounded";
import { uuidv7 } from "../../platform/lib/ids";
import { ownApplication } from "./application";
import {
  bytesAre,
  DOCUMENT_TYPES,
  type DocumentKind,
  type DocumentType,
  EDITABLE,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS,
} from "./application-model";
import {
  documentsOf,
  documentWrites,
  findApplication,
  findDocument,
  insertHistory,
  removeDocumentWrite,
} from "./application-storage";
import type { RegistrationRow } from "./storage";

/**
 * An application's documents (a PCI DSS attestation, licences, the registration certificate):
 * the bytes in R2 under `applications/<application>/<document>`, never served publicly (the
 * bucket has no public access; only the admin API reads them back), described in D1.
 */
export interface DocumentDeps {
  db: Db;
  bucket: R2Bucket | undefined;
}

function bucketOf(deps: DocumentDeps): R2Bucket {
  if (!deps.bucket) throw new ApiError("service_unavailable");
  return deps.bucket;
}

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export interface Upload {
  kind: DocumentKind;
  filename: string;
  /** The request's media type, without parameters. */
  contentType: string;
  declaredLength: number | undefined;
  body: ReadableStream<Uint8Array> | null;
}

/**
 * Stores one document: the application editable (409, 60), fewer than 20 documents (409, 139),
 * a PDF, PNG or JPEG whose bytes are what its Content-Type says (415, 138), 1 byte to 10 MiB
 * (413, 32; by header before reading, or while reading). Nothing is stored on a refusal.
 */
export async function uploadDocument(
  deps: DocumentDeps,
  registration: RegistrationRow,
  id: string,
  upload: Upload,
) {
  const bucket = bucketOf(deps);
  const app = await ownApplication(deps.db, registration, id);
  if (!EDITABLE.includes(app.status))
    throw new ApiError("invalid_state_transition", {
      operation: "add a document to",
      object: "application",
      status: app.status,
    });
  if (!(DOCUMENT_TYPES as readonly string[]).includes(upload.contentType))
    throw new ApiError("document_type_mismatch", { content_type: upload.contentType || "(none)" });
  if (upload.declaredLength !== undefined && upload.declaredLength > MAX_DOCUMENT_BYTES)
    throw new ApiError("payload_too_large", { limit: MAX_DOCUMENT_BYTES });
  if ((await documentsOf(deps.db, id)).length >= MAX_DOCUMENTS)
    throw new ApiError("document_limit", { limit: MAX_DOCUMENTS });
  const bytes = await readBoundedBytes(upload.body, MAX_DOCUMENT_BYTES);
  if (bytes === undefined) throw new ApiError("payload_too_large", { limit: MAX_DOCUMENT_BYTES });
  if (bytes.byteLength === 0)
    throw new ApiError("validation", { field: "body", msg: "the document is empty" });
  if (!bytesAre(upload.contentType as DocumentType, bytes))
    throw new ApiError("document_type_mismatch", { content_type: upload.contentType });

  const at = new Date().toISOString();
  const documentId = uuidv7();
  const key = `applications/${id}/${documentId}`;
  const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
  await bucket.put(key, bytes, {
    httpMetadata: { contentType: upload.contentType },
    customMetadata: { application: id, kind: upload.kind },
    sha256,
  });
  const row = {
    id: documentId,
    applicationId: id,
    kind: upload.kind,
    filename: upload.filename,
    contentType: upload.contentType,
    size: bytes.byteLength,
    sha256,
    r2Key: key,
    removedAt: null,
    createdAt: at,
  };
  try {
    await deps.db.batch([
      ...documentWrites(deps.db, row, {
        id: uuidv7(),
        applicationId: id,
        actorKind: "registrant",
        actor: registration.id,
        action: "document_added",
        fromStatus: app.status,
        toStatus: app.status,
        comment: `${upload.kind}: ${upload.filename}`,
        createdAt: at,
      }),
    ]);
  } catch (err) {
    await bucket.delete(key);
    throw err;
  }
  return row;
}

/** Removes a document while the application is editable: its description stays, marked removed. */
export async function removeDocument(
  deps: DocumentDeps,
  registration: RegistrationRow,
  id: string,
  documentId: string,
) {
  const bucket = bucketOf(deps);
  const app = await ownApplication(deps.db, registration, id);
  const doc = await findDocument(deps.db, id, documentId);
  if (!doc) throw new ApiError("not_found", { resource: `document ${documentId}` });
  if (!EDITABLE.includes(app.status))
    throw new ApiError("invalid_state_transition", {
      operation: "remove a document from",
      object: "application",
      status: app.status,
    });
  const at = new Date().toISOString();
  const [removed] = await deps.db.batch([
    removeDocumentWrite(deps.db, documentId, at),
    insertHistory(deps.db, {
      id: uuidv7(),
      applicationId: id,
      actorKind: "registrant",
      actor: registration.id,
      action: "document_removed",
      fromStatus: app.status,
      toStatus: app.status,
      comment: `${doc.kind}: ${doc.filename}`,
      createdAt: at,
    }),
  ]);
  if (removed.length > 0) await bucket.delete(doc.r2Key);
  return doc;
}

/** A document's bytes, for the platform team's review (the admin API); never a public URL. */
export async function documentContent(deps: DocumentDeps, applicationId: string, documentId: string) {
  const bucket = bucketOf(deps);
  if (!(await findApplication(deps.db, applicationId)))
    throw new ApiError("not_found", { resource: `application ${applicationId}` });
  const doc = await findDocument(deps.db, applicationId, documentId);
  const object = doc ? await bucket.get(doc.r2Key) : null;
  if (!doc || !object) throw new ApiError("not_found", { resource: `document ${documentId}` });
  return { doc, body: object.body };
}
