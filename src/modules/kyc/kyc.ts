import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import type { EventMessage } from "../../platform/events/events";
import { sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import type { Logger } from "../../platform/lib/logger";
import type { PartnerProfile } from "../../platform/types";
import { kycConnectorFor } from "./connector";
import { KYC_FIELDS, type KycField, type KycIdentifier } from "./connector/types";
import { checksOf, type KycCheck, type KycOutcome, outcomeOf } from "./model";
import { findVerification, insertVerification, type KycVerificationRow, verificationPage } from "./storage";

export interface KycDeps {
  db: Db;
  queue: Queue<EventMessage>;
  config: Config;
  log: Logger;
}

/** The verification resource: outcomes only, never a personal value (sent or on record). */
export interface KycVerification {
  id: string;
  object: "kyc_verification";
  /** The identifier's field as sent (the connector's `phone` is the request's `phone_number`). */
  identifier_type: "account_number" | "phone_number";
  outcome: KycOutcome;
  checks: { field: KycField; outcome: KycCheck }[];
  created_at: string;
  livemode: boolean;
}

export interface VerifyParams {
  account_number?: string | undefined;
  phone_number?: string | undefined;
  full_name?: string | undefined;
  birth_date?: string | undefined;
  document_number?: string | undefined;
}

const toVerification = (row: KycVerificationRow): KycVerification => ({
  id: row.id,
  object: "kyc_verification",
  identifier_type: row.identifierType === "phone" ? "phone_number" : "account_number",
  outcome: row.outcome,
  checks: [
    { field: "full_name", outcome: row.fullNameCheck },
    { field: "birth_date", outcome: row.birthDateCheck },
    { field: "document_number", outcome: row.documentNumberCheck },
  ],
  created_at: row.createdAt,
  livemode: row.livemode,
});

/**
 * Asks the bank whether the claimed fields match its records of the account or phone
 * holder. The answer is per field and overall; what the partner sent is not stored. The
 * schema guarantees one identifier and at least one field.
 */
export async function verifyHolder(
  deps: KycDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: VerifyParams,
): Promise<KycVerification> {
  const identifier: KycIdentifier =
    params.account_number !== undefined
      ? { type: "account_number", value: params.account_number }
      : { type: "phone", value: params.phone_number ?? "" };
  const claimed: Partial<Record<KycField, string>> = {};
  for (const field of KYC_FIELDS) {
    const value = params[field];
    if (value !== undefined) claimed[field] = value;
  }
  const answer = await kycConnectorFor(deps.config).verify({ identifier, claimed });
  const checks = checksOf(Object.keys(claimed) as KycField[], answer);
  const now = new Date().toISOString();
  const row: KycVerificationRow = {
    id: uuidv7(),
    partnerId: partner.id,
    livemode: partner.environment === "production",
    idempotencyKey,
    identifierType: identifier.type,
    fullNameCheck: checks.full_name,
    birthDateCheck: checks.birth_date,
    documentNumberCheck: checks.document_number,
    outcome: outcomeOf(checks),
    createdAt: now,
  };
  const event = {
    id: uuidv7(),
    type: "kyc_verification.completed" as const,
    partnerId: partner.id,
    livemode: row.livemode,
    createdAt: now,
    object: { ...toVerification(row) },
  };
  const stored = await insertVerification(deps.db, row, event);
  // Committed with the verification: a failed send leaves it in the outbox for the drainer.
  if (stored.created) await sendPending(deps.db, deps.queue, [event.id], deps.log);
  return toVerification(stored.row);
}

/** One of the partner's verifications; another partner's id answers exactly as an unknown one. */
export async function getVerification(db: Db, partnerId: string, id: string): Promise<KycVerification> {
  const row = await findVerification(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `kyc verification ${id}` });
  return toVerification(row);
}

/** The partner's verifications, newest first: outcomes only, like a single one. */
export async function listVerifications(
  db: Db,
  partnerId: string,
  opts: { startingAfter?: string; limit: number },
): Promise<{ data: KycVerification[]; has_more: boolean }> {
  const rows = await verificationPage(db, partnerId, opts);
  return { data: rows.slice(0, opts.limit).map(toVerification), has_more: rows.length > opts.limit };
}
