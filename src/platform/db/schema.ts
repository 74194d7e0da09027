import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Creation and update times, as ISO 8601 text set by D1. */
export const timestamps = {
  createdAt: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  updatedAt: text("updated_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
};

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
     * (src/platform/events/outbox.ts), which the cron drainer sends.
     */
    enqueuedAt: text("enqueued_at"),
    /**
     * When the fan-out consumer finished with it (its deliveries made and sent); null while a
     * sent event waits in the queue. One sent long ago and still null was lost on the way and
     * is sent again (`redriveEvents`).
     */
    fannedOutAt: text("fanned_out_at"),
  },
  (t) => [
    index("events_partner").on(t.partnerId, t.id),
    index("events_partner_type").on(t.partnerId, t.type, t.id),
    // Only the pending rows, oldest first: what the drainer reads.
    index("events_pending").on(t.createdAt).where(sql`${t.enqueuedAt} IS NULL`),
    index("events_unconsumed")
      .on(t.enqueuedAt)
      .where(sql`${t.enqueuedAt} IS NOT NULL AND ${t.fannedOutAt} IS NULL`),
  ],
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

// ------------------------------------------------------------------------ API versions
/**
 * Which partner calls which API version (src/platform/versions/usage.ts): counted per isolate and
 * added here at most once a minute per isolate, never one write per request.
 */
export const apiVersionUsage = sqliteTable(
  "api_version_usage",
  {
    partnerId: text("partner_id").notNull(),
    version: text("version").notNull(),
    calls: integer("calls").notNull(),
    firstSeenAt: text("first_seen_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.version] }),
    index("api_version_usage_version").on(t.version),
  ],
);

// ----------------------------------------------------------------------- kill switches
/**
 * The per-product kill switch as set through the admin API (docs/admin.md), on top of the
 * `PRODUCTS_DISABLED` setting: a product is off when either says so.
 */
export const killSwitches = sqliteTable("kill_switches", {
  product: text("product").primaryKey(),
  disabled: integer("disabled", { mode: "boolean" }).notNull(),
  reason: text("reason"),
  updatedBy: text("updated_by").notNull(),
  updatedAt: text("updated_at").notNull(),
});

// ------------------------------------------------------------------------- cron cursors
/** Where a cron job that walks a list a slice a run left off (src/platform/cron-cursor.ts). */
export const cronCursors = sqliteTable("cron_cursors", {
  job: text("job").primaryKey(),
  /** The last key the job handled; the next run starts after it. */
  after: text("after").notNull(),
  updatedAt: text("updated_at").notNull(),
});
