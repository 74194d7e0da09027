import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const timestamps = {
  createdAt: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  updatedAt: text("updated_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
};

export const partners = sqliteTable("partners", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  environment: text("environment", { enum: ["sandbox", "production"] }).notNull(),
  status: text("status", { enum: ["active", "suspended"] })
    .notNull()
    .default("active"),
  ...timestamps,
});

/** What a partner may do: products, scopes, tier and limits, data access and price terms. */
export const partnerContracts = sqliteTable("partner_contracts", {
  partnerId: text("partner_id")
    .primaryKey()
    .references(() => partners.id),
  products: text("products", { mode: "json" }).$type<string[]>().notNull(),
  scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
  tier: text("tier", { enum: ["sandbox", "standard", "enterprise"] }).notNull(),
  /** Overrides the tier's requests per second when set. */
  rateLimitPerSecond: integer("rate_limit_per_second"),
  dailyQuota: integer("daily_quota"),
  dataAccess: text("data_access", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  feeBps: integer("fee_bps").notNull().default(0),
  feeFixedMinor: integer("fee_fixed_minor").notNull().default(0),
  ...timestamps,
});

/** OAuth2 client credentials. The secret is stored hashed only. */
export const partnerCredentials = sqliteTable(
  "partner_credentials",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    consumerKey: text("consumer_key").notNull(),
    secretHash: text("secret_hash").notNull(),
    description: text("description"),
    status: text("status", { enum: ["active", "revoked"] })
      .notNull()
      .default("active"),
    revokedAt: text("revoked_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("partner_credentials_consumer_key").on(t.consumerKey),
    index("partner_credentials_partner").on(t.partnerId),
  ],
);

/** Partner users for the password grant. Passwords are stored hashed only. */
export const partnerUsers = sqliteTable(
  "partner_users",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    status: text("status", { enum: ["active", "disabled"] })
      .notNull()
      .default("active"),
    ...timestamps,
  },
  (t) => [uniqueIndex("partner_users_partner_username").on(t.partnerId, t.username)],
);

// ---------------------------------------------------------------------------- ledger
// Double-entry and append-only: triggers (migration 0001) refuse UPDATE and DELETE of
// entries and postings. Amounts are integers in the currency's minor unit.

/** An account per owner (a partner id, or "platform"), purpose and currency. */
export const ledgerAccounts = sqliteTable(
  "ledger_accounts",
  {
    /** Deterministic: `<owner>:<code>:<currency>`, so posting never needs a lookup first. */
    id: text("id").primaryKey(),
    owner: text("owner").notNull(),
    code: text("code").notNull(),
    currency: text("currency").notNull(),
    normalBalance: text("normal_balance", { enum: ["debit", "credit"] }).notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("ledger_accounts_owner_code_currency").on(t.owner, t.code, t.currency)],
);

/** One business event's journal entry: posts exactly once per (reference, kind). */
export const journalEntries = sqliteTable(
  "journal_entries",
  {
    id: text("id").primaryKey(),
    reference: text("reference").notNull(),
    kind: text("kind").notNull(),
    currency: text("currency").notNull(),
    /** The partner the entry belongs to, for the partner's own ledger view. */
    partnerId: text("partner_id"),
    /** Sum of the debits, which equals the sum of the credits. */
    amount: integer("amount").notNull(),
    description: text("description"),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex("journal_entries_reference_kind").on(t.reference, t.kind),
    index("journal_entries_partner").on(t.partnerId, t.id),
  ],
);

export const postings = sqliteTable(
  "postings",
  {
    id: text("id").primaryKey(),
    entryId: text("entry_id")
      .notNull()
      .references(() => journalEntries.id),
    accountId: text("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    direction: text("direction", { enum: ["debit", "credit"] }).notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("postings_entry").on(t.entryId), index("postings_account").on(t.accountId)],
);

// ---------------------------------------------------------------------------- events
/** What happened, for webhooks and `GET /v1/events`: stored once per event id. */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    type: text("type").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    /** The JSON payload `{ object }` as sent to webhooks (≤ 20 KB). */
    data: text("data").notNull(),
    createdAt: text("created_at").notNull(),
    /**
     * When the event was handed to the events queue; null while it waits in the outbox
     * (src/services/event-outbox.ts), which the cron drainer sends.
     */
    enqueuedAt: text("enqueued_at"),
  },
  (t) => [
    index("events_partner").on(t.partnerId, t.id),
    index("events_partner_type").on(t.partnerId, t.type, t.id),
    // Only the pending rows, oldest first: what the drainer reads.
    index("events_pending").on(t.createdAt).where(sql`${t.enqueuedAt} IS NULL`),
  ],
);

// -------------------------------------------------------------------------- payments
/**
 * Where each payment lives (its Durable Object) and a projection of its state for lists.
 * The Durable Object is the truth; this row is written before a create is acknowledged
 * and updated from the object's outbox.
 */
export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    objectName: text("object_name").notNull(),
    status: text("status").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** The payment object as of `updated_at`, for lists without a Durable Object call per row. */
    snapshot: text("snapshot", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("payments_partner").on(t.partnerId, t.id),
    index("payments_partner_status").on(t.partnerId, t.status, t.id),
  ],
);

/** Where each refund's payment object lives, so a refund can be found by its own id. */
export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    paymentId: text("payment_id").notNull(),
    objectName: text("object_name").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("refunds_payment").on(t.paymentId)],
);

// --------------------------------------------------------------------------- payouts
/** Where each payout lives (its Durable Object) and a projection of its state for lists. */
export const payouts = sqliteTable(
  "payouts",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    objectName: text("object_name").notNull(),
    status: text("status").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** The payout object as of `updated_at`, for lists without a Durable Object call per row. */
    snapshot: text("snapshot", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("payouts_partner").on(t.partnerId, t.id)],
);

// -------------------------------------------------------------------------- webhooks
/**
 * A partner's webhook endpoint. Its signing secrets are sealed (AES-GCM, `src/lib/secret-box.ts`):
 * they must be usable to sign, so they cannot be hashed. During a rotation the previous
 * secret keeps signing until `previous_expires_at`.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    /** Event types delivered here; an empty list means every type. */
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: ["enabled", "disabled", "deleted"] })
      .notNull()
      .default("enabled"),
    disabledReason: text("disabled_reason"),
    signing: text("signing", { enum: ["hmac_sha256", "ed25519"] }).notNull(),
    secretSealed: text("secret_sealed").notNull(),
    /** For ed25519 endpoints: the public key (`whpk_…`) partners verify with. */
    publicKey: text("public_key"),
    previousSecretSealed: text("previous_secret_sealed"),
    previousPublicKey: text("previous_public_key"),
    previousExpiresAt: text("previous_expires_at"),
    /** When the current run of failed deliveries began; cleared by a success. */
    failingSince: text("failing_since"),
    ...timestamps,
  },
  (t) => [index("webhook_endpoints_partner").on(t.partnerId, t.id)],
);

/** One event to one endpoint: created by the fan-out, walked by the delivery consumer. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    partnerId: text("partner_id").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastAttemptAt: text("last_attempt_at"),
    nextAttemptAt: text("next_attempt_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint").on(t.eventId, t.endpointId),
    index("webhook_deliveries_endpoint_status").on(t.endpointId, t.status, t.createdAt),
  ],
);

/** Every delivery attempt, as the partner sees it in the API. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id").notNull(),
    eventId: text("event_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    attemptedAt: text("attempted_at").notNull(),
    /** The endpoint's HTTP status, or null when no answer came (timeout, refused URL, network). */
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    /** The first bytes of the answer, for the partner's debugging. */
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    outcome: text("outcome", { enum: ["succeeded", "retry", "failed"] }).notNull(),
    nextRetryAt: text("next_retry_at"),
  },
  (t) => [index("webhook_attempts_event").on(t.eventId, t.id)],
);

// ----------------------------------------------------------------------------- audit
/**
 * Every write and every read of personal data (docs/products.md): who, what, when, with which outcome.
 * Never the personal data itself. Append-only (triggers in its migration).
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    requestId: text("request_id").notNull(),
    /** `METHOD /route/{param}` as declared, e.g. `POST /v1/cards/{id}/block`. */
    action: text("action").notNull(),
    /** The object acted on, e.g. `card 0190…`; null for a collection. */
    resource: text("resource"),
    /** The HTTP status answered. */
    outcome: integer("outcome").notNull(),
    personalData: integer("personal_data", { mode: "boolean" }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("audit_log_partner").on(t.partnerId, t.id)],
);
