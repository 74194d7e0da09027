import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { constantTimeTextEqual } from "../../platform/lib/secret-hash";
import { profileCache } from "../partners/profile";
import {
  currentTermsDocument,
  findAcceptance,
  insertAcceptance,
  insertTermsDocument,
  type TermsAcceptanceRow,
  type TermsDocumentRow,
  termsDocumentsWithAcceptances,
} from "./storage";
import { buildTermsDocument, type TermsDocumentInput } from "./terms-document";

export interface TermsView {
  object: "terms";
  version: string;
  text: string;
  sha256: string;
  published_at: string;
  accept_by: string;
  accepted_at: string | null;
}

/**
 * Who accepts, for which partner: a production partner's credential (`POST /v1/terms/accept`), or
 * the registrant before going live (`POST /onboarding/terms/accept`), for the production partner
 * id its registration reserved, so the live partner starts with the terms accepted.
 */
export interface Acceptor {
  partnerId: string;
  kind: "user" | "credential";
  /** The consumer key, or the registration's id. */
  id: string;
}

export interface AcceptanceView {
  object: "terms_acceptance";
  id: string;
  version: string;
  sha256: string;
  accepted_by: { kind: "user" | "credential"; id: string };
  ip: string | null;
  accepted_at: string;
}

const termsView = (doc: TermsDocumentRow, acceptance: TermsAcceptanceRow | undefined): TermsView => ({
  object: "terms",
  version: doc.version,
  text: doc.text,
  sha256: doc.sha256,
  published_at: doc.publishedAt,
  accept_by: doc.acceptBy,
  accepted_at: acceptance?.acceptedAt ?? null,
});

const acceptanceView = (row: TermsAcceptanceRow): AcceptanceView => ({
  object: "terms_acceptance",
  id: row.id,
  version: row.version,
  sha256: row.sha256,
  accepted_by: { kind: row.acceptedByKind, id: row.acceptedBy },
  ip: row.ip,
  accepted_at: row.acceptedAt,
});

async function current(db: Db, now: Date) {
  const doc = await currentTermsDocument(db, now.toISOString());
  if (!doc) throw new ApiError("no_terms_published");
  return doc;
}

/** The terms in force, and whether the calling partner accepted them. */
export async function currentTerms(db: Db, partnerId: string, now = new Date()): Promise<TermsView> {
  const doc = await current(db, now);
  return termsView(doc, await findAcceptance(db, partnerId, doc.version));
}

/**
 * Accepts one exact version: it must be the current one (125) and `sha256` its text's hash (126),
 * once per partner (127). Records who accepted (the credential whose token called, or the
 * registrant, for the production partner it will become), the client IP and the time, and
 * lifts the partner's code 24 in this isolate at once (elsewhere within the profile cache TTL).
 */
export async function acceptTerms(
  db: Db,
  acceptor: Acceptor,
  input: { version: string; sha256: string },
  ip: string | undefined,
  now = new Date(),
): Promise<AcceptanceView> {
  const doc = await current(db, now);
  if (input.version !== doc.version)
    throw new ApiError("terms_version_mismatch", { version: input.version, current: doc.version });
  if (!constantTimeTextEqual(input.sha256.toLowerCase(), doc.sha256))
    throw new ApiError("terms_hash_mismatch", { version: doc.version });
  const row: TermsAcceptanceRow = {
    id: uuidv7(),
    partnerId: acceptor.partnerId,
    version: doc.version,
    sha256: doc.sha256,
    acceptedByKind: acceptor.kind,
    acceptedBy: acceptor.id,
    ip: ip ?? null,
    acceptedAt: now.toISOString(),
  };
  if (!(await insertAcceptance(db, row))) {
    const existing = await findAcceptance(db, acceptor.partnerId, doc.version);
    throw new ApiError("terms_already_accepted", {
      version: doc.version,
      accepted_at: existing?.acceptedAt ?? "",
    });
  }
  profileCache.invalidate(acceptor.partnerId);
  return acceptanceView(row);
}

/**
 * Publishes a new version (the platform team's action: `npm run terms -- publish`, and the admin
 * API). Acceptance of it is due by `acceptBy`; a version is never replaced (130). A bad version,
 * an empty text or a deadline before publication is code 4.
 */
export async function publishTerms(db: Db, input: TermsDocumentInput, now = new Date()) {
  let row: TermsDocumentRow;
  try {
    row = await buildTermsDocument(input, now);
  } catch (err) {
    const [field = "version", msg = "invalid"] = (err instanceof Error ? err.message : "").split(": ");
    const name = field === "dates" ? "accept_by" : field;
    throw new ApiError("validation", { field: `params.${name}`, msg }, { field: `params.${name}` });
  }
  if (!(await insertTermsDocument(db, row)))
    throw new ApiError("terms_version_exists", { version: row.version });
  return termsView(row, undefined);
}

export interface TermsVersionView {
  object: "terms_version";
  version: string;
  sha256: string;
  published_at: string;
  accept_by: string;
  /** How many partners (by their production partner id) accepted this version. */
  acceptances: number;
}

/** Every published version, newest first, with its hash, dates and how many partners accepted it. */
export async function listTermsVersions(db: Db): Promise<TermsVersionView[]> {
  const rows = await termsDocumentsWithAcceptances(db);
  return rows.map((r) => ({
    object: "terms_version",
    version: r.version,
    sha256: r.sha256,
    published_at: r.publishedAt,
    accept_by: r.acceptBy,
    acceptances: Number(r.acceptances),
  }));
}
