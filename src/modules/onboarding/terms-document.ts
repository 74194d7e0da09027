import { sha256Hex } from "../../platform/lib/ids";
/** A terms document as published: pure, so the publishing script (Node) and the Worker share it. */
export interface TermsDocumentInput {
  version: string;
  text: string;
  /** Default: 30 days after publication. */
  acceptBy?: string;
  publishedAt?: string;
}

export const TERMS_VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DEFAULT_NOTICE_MS = 30 * 24 * 3600 * 1000;

/** The row to publish; throws a plain Error on a bad version, an empty text or a deadline before publication. */
export async function buildTermsDocument(input: TermsDocumentInput, now = new Date()) {
  if (!TERMS_VERSION.test(input.version)) throw new Error("version: 1–64 of [A-Za-z0-9._-]");
  if (input.text.trim() === "") throw new Error("text: empty");
  const publishedAt = new Date(input.publishedAt ?? now.toISOString());
  const acceptBy = new Date(input.acceptBy ?? publishedAt.getTime() + DEFAULT_NOTICE_MS);
  if (Number.isNaN(publishedAt.getTime()) || Number.isNaN(acceptBy.getTime()))
    throw new Error("dates: ISO 8601 expected");
  if (acceptBy < publishedAt) throw new Error("accept_by: before publication");
  return {
    version: input.version,
    text: input.text,
    sha256: await sha256Hex(input.text),
    publishedAt: publishedAt.toISOString(),
    acceptBy: acceptBy.toISOString(),
  };
}
