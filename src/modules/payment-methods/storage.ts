import { and, asc, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { insertEvent, insertEventIfChanged, type OutboxEvent } from "../../platform/events/outbox";
import { partners } from "../partners/storage";

// Payment methods and customers (migrations/0040). No column here ever holds a full card number
// or a CVC: the card vault keeps the card; these rows keep its reference and what may be shown.

// ---------------------------------------------------------------------------- tables
export const publishableKeys = sqliteTable(
  "publishable_keys",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    key: text("key").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at"),
  },
  (t) => [
    uniqueIndex("publishable_keys_key").on(t.key),
    index("publishable_keys_partner").on(t.partnerId, t.createdAt),
  ],
);

/** The card columns a token and a saved method share. */
const cardColumns = () => ({
  vaultRef: text("vault_ref").notNull(),
  brand: text("brand", { enum: ["visa", "mastercard"] }).notNull(),
  first6: text("first6").notNull(),
  last4: text("last4").notNull(),
  country: text("country"),
  fingerprint: text("fingerprint").notNull(),
  expMonth: integer("exp_month").notNull(),
  expYear: integer("exp_year").notNull(),
});

export const paymentMethodTokens = sqliteTable(
  "payment_method_tokens",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    ...cardColumns(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    consumedBy: text("consumed_by"),
    consumedAt: text("consumed_at"),
  },
  (t) => [index("payment_method_tokens_partner").on(t.partnerId, t.id)],
);

export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    name: text("name"),
    email: text("email"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, string>>().notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("customers_partner").on(t.partnerId, t.id)],
);

export const savedPaymentMethods = sqliteTable(
  "saved_payment_methods",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    customerId: text("customer_id").notNull(),
    sourceToken: text("source_token").notNull(),
    ...cardColumns(),
    consentAcceptedAt: text("consent_accepted_at").notNull(),
    consentReference: text("consent_reference").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("saved_payment_methods_source").on(t.sourceToken),
    index("saved_payment_methods_customer").on(t.partnerId, t.customerId, t.id),
  ],
);

export type PublishableKeyRow = typeof publishableKeys.$inferSelect;
export type TokenRow = typeof paymentMethodTokens.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type SavedMethodRow = typeof savedPaymentMethods.$inferSelect;

// ---------------------------------------------------------------------------- publishable keys
/** The key as presented, if it is still live at `now`. */
export async function liveKey(db: Db, key: string, now: string) {
  const [row] = await db
    .select()
    .from(publishableKeys)
    .where(
      and(
        eq(publishableKeys.key, key),
        or(isNull(publishableKeys.expiresAt), gt(publishableKeys.expiresAt, now)),
      ),
    );
  return row;
}

export const listKeys = (db: Db, partnerId: string) =>
  db
    .select()
    .from(publishableKeys)
    .where(eq(publishableKeys.partnerId, partnerId))
    .orderBy(desc(publishableKeys.createdAt), desc(publishableKeys.id));

/** A new key; every other live key of the partner ends at `endsAt` (shortened, never lengthened). */
export async function insertKey(db: Db, row: typeof publishableKeys.$inferInsert, endsAt: string) {
  await db.batch([
    db
      .update(publishableKeys)
      .set({ expiresAt: endsAt })
      .where(
        and(
          eq(publishableKeys.partnerId, row.partnerId),
          or(isNull(publishableKeys.expiresAt), gt(publishableKeys.expiresAt, endsAt)),
        ),
      ),
    db.insert(publishableKeys).values(row),
  ]);
}

// ---------------------------------------------------------------------------- tokens
export async function insertToken(db: Db, row: typeof paymentMethodTokens.$inferInsert) {
  await db.insert(paymentMethodTokens).values(row);
}

export async function findToken(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(paymentMethodTokens)
    .where(and(eq(paymentMethodTokens.id, id), eq(paymentMethodTokens.partnerId, partnerId)));
  return row;
}

/**
 * Takes the token for `consumer`, in one conditional UPDATE: only an unexpired token that no one
 * else took. The consumer that already has it gets it again (a retry after a crash).
 */
export async function consumeToken(db: Db, partnerId: string, id: string, consumer: string, now: string) {
  const [row] = await db
    .update(paymentMethodTokens)
    .set({ consumedBy: consumer, consumedAt: sql`coalesce(${paymentMethodTokens.consumedAt}, ${now})` })
    .where(
      and(
        eq(paymentMethodTokens.id, id),
        eq(paymentMethodTokens.partnerId, partnerId),
        gt(paymentMethodTokens.expiresAt, now),
        or(isNull(paymentMethodTokens.consumedBy), eq(paymentMethodTokens.consumedBy, consumer)),
      ),
    )
    .returning();
  return row;
}

// ---------------------------------------------------------------------------- customers
export async function insertCustomer(
  db: Db,
  row: typeof customers.$inferInsert & { id: string },
  event: OutboxEvent,
) {
  await db.batch([db.insert(customers).values(row), insertEvent(db, event)]);
}

export async function findCustomer(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.partnerId, partnerId)));
  return row;
}

export async function updateCustomer(
  db: Db,
  partnerId: string,
  id: string,
  change: Partial<Pick<CustomerRow, "name" | "email" | "metadata">> & { updatedAt: string },
) {
  const [row] = await db
    .update(customers)
    .set(change)
    .where(and(eq(customers.id, id), eq(customers.partnerId, partnerId)))
    .returning();
  return row;
}

export const listCustomers = (db: Db, partnerId: string, opts: { startingAfter?: string; limit: number }) =>
  db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.partnerId, partnerId),
        opts.startingAfter !== undefined ? lt(customers.id, opts.startingAfter) : undefined,
      ),
    )
    .orderBy(desc(customers.id))
    .limit(opts.limit + 1);

/** Deletes the customer and its saved methods with their events, in one batch; false when there was none. */
export async function deleteCustomer(db: Db, partnerId: string, id: string, events: OutboxEvent[]) {
  const [deleted] = await db.batch([
    db
      .delete(customers)
      .where(and(eq(customers.id, id), eq(customers.partnerId, partnerId)))
      .returning({ id: customers.id }),
    db
      .delete(savedPaymentMethods)
      .where(and(eq(savedPaymentMethods.customerId, id), eq(savedPaymentMethods.partnerId, partnerId))),
    ...events.map((e) => insertEvent(db, e)),
  ]);
  return deleted.length > 0;
}

// ---------------------------------------------------------------------------- saved methods
/** Saves the method once per source token; a retry answers the row the first attempt saved. */
export async function insertSavedMethod(
  db: Db,
  row: typeof savedPaymentMethods.$inferInsert & { id: string },
  event: OutboxEvent,
) {
  const [inserted] = await db.batch([
    db
      .insert(savedPaymentMethods)
      .values(row)
      .onConflictDoNothing()
      .returning({ id: savedPaymentMethods.id }),
    // Only with the row it announces: a concurrent attach of the same token announces nothing.
    insertEventIfChanged(db, event, {
      table: savedPaymentMethods,
      idColumn: savedPaymentMethods.id,
      id: row.id,
    }),
  ]);
  const [stored] = await db
    .select()
    .from(savedPaymentMethods)
    .where(eq(savedPaymentMethods.sourceToken, row.sourceToken));
  return { stored, inserted: inserted.length > 0 };
}

export async function findSavedMethod(db: Db, partnerId: string, customerId: string, id: string) {
  const [row] = await db
    .select()
    .from(savedPaymentMethods)
    .where(
      and(
        eq(savedPaymentMethods.id, id),
        eq(savedPaymentMethods.partnerId, partnerId),
        eq(savedPaymentMethods.customerId, customerId),
      ),
    );
  return row;
}

export const listSavedMethods = (db: Db, partnerId: string, customerId: string) =>
  db
    .select()
    .from(savedPaymentMethods)
    .where(and(eq(savedPaymentMethods.partnerId, partnerId), eq(savedPaymentMethods.customerId, customerId)))
    .orderBy(asc(savedPaymentMethods.id));

export async function deleteSavedMethod(
  db: Db,
  partnerId: string,
  customerId: string,
  id: string,
  event: OutboxEvent,
) {
  const [deleted] = await db.batch([
    db
      .delete(savedPaymentMethods)
      .where(
        and(
          eq(savedPaymentMethods.id, id),
          eq(savedPaymentMethods.partnerId, partnerId),
          eq(savedPaymentMethods.customerId, customerId),
        ),
      )
      .returning(),
    insertEvent(db, event),
  ]);
  return deleted[0];
}
