import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import {
  type Dispute,
  DOCUMENT_TYPES,
  type DocumentType,
  type EvidenceDocument,
  MAX_DOCUMENTS,
} from "./model";
import { changeDispute, type DisputeDeps, getDispute } from "./service";
import { disputeView } from "./storage";

/**
 * Evidence documents (docs/disputes.md): kept in the private DISPUTE_EVIDENCE bucket under the
 * partner and the dispute, listed in the dispute's evidence, read back only by their partner.
 */

/** The largest document, decoded: what fits a /v1 JSON body (1 MiB) once in base64. */
export const MAX_DOCUMENT_BYTES = 512 * 1024;

export const documentKey = (partnerId: string, disputeId: string, documentId: string) =>
  `disputes/${partnerId}/${disputeId}/${documentId}`;

/** The first bytes each type starts with: a document whose content is not its type is refused. */
const MAGIC: Record<DocumentType, number[]> = {
  "application/pdf": [0x25, 0x50, 0x44, 0x46, 0x2d],
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  "image/jpeg": [0xff, 0xd8, 0xff],
};

const isDocumentType = (t: string): t is DocumentType => (DOCUMENT_TYPES as readonly string[]).includes(t);

/** The document's bytes from its base64, or undefined when it is not base64. */
function decode(base64: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

export interface NewDocument {
  filename: string;
  contentType: string;
  contentBase64: string;
}

/** Adds a document to the evidence while the dispute needs a response. */
export async function addDocument(
  deps: DisputeDeps & { bucket: R2Bucket },
  partnerId: string,
  disputeId: string,
  doc: NewDocument,
  now: string,
): Promise<{ dispute: Dispute; document: EvidenceDocument }> {
  const contentType = doc.contentType.toLowerCase();
  const bytes = decode(doc.contentBase64);
  if (!bytes) {
    const field = "params.content_base64";
    throw new ApiError("validation", { field, msg: "Must be base64" }, { field });
  }
  if (!isDocumentType(contentType) || !MAGIC[contentType].every((b, i) => bytes[i] === b))
    throw new ApiError("dispute_document_type", { content_type: contentType });
  if (bytes.byteLength > MAX_DOCUMENT_BYTES)
    throw new ApiError("dispute_document_too_large", { size: bytes.byteLength, limit: MAX_DOCUMENT_BYTES });
  const row = await getDispute(deps.db, partnerId, disputeId);
  if (row.status === "needs_response" && row.evidence.documents.length >= MAX_DOCUMENTS)
    throw new ApiError("dispute_document_limit", { limit: MAX_DOCUMENTS });
  const document: EvidenceDocument = {
    id: uuidv7(),
    filename: doc.filename,
    content_type: contentType,
    size: bytes.byteLength,
    created_at: now,
  };
  const key = documentKey(partnerId, disputeId, document.id);
  // Stored first, listed after: a document whose listing lost (a race, a closed dispute) is removed.
  await deps.bucket.put(key, bytes, {
    httpMetadata: { contentType },
    customMetadata: { partner_id: partnerId, dispute_id: disputeId, filename: doc.filename },
  });
  try {
    const changed = await changeDispute(
      deps,
      row,
      {
        operation: "add evidence to",
        from: ["needs_response"],
        apply: (r) => {
          if (r.evidence.documents.length >= MAX_DOCUMENTS)
            throw new ApiError("dispute_document_limit", { limit: MAX_DOCUMENTS });
          return { ...r, evidence: { ...r.evidence, documents: [...r.evidence.documents, document] } };
        },
      },
      now,
    );
    return { dispute: disputeView(changed), document };
  } catch (err) {
    await deps.bucket.delete(key);
    throw err;
  }
}

/** One of the partner's dispute documents, with its bytes; another partner's is unknown. */
export async function readDocument(
  deps: DisputeDeps & { bucket: R2Bucket },
  partnerId: string,
  disputeId: string,
  documentId: string,
) {
  const row = await getDispute(deps.db, partnerId, disputeId);
  const document = row.evidence.documents.find((d) => d.id === documentId);
  const object = document ? await deps.bucket.get(documentKey(partnerId, disputeId, document.id)) : null;
  if (!document || !object) throw new ApiError("not_found", { resource: `document ${documentId}` });
  return { document, body: object.body };
}
