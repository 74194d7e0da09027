import { type SQL, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countsQuery, p95Query } from "../../../src/modules/billing/sla/measure";
import { db } from "../../support/partners";

// The measurement must not read a month's rows into the Worker nor scan the table: both of its
// queries search the covering index request_log_partner_time (docs/sla.md, measurement).
const FROM = "2026-11-01T00:00:00.000Z";
const TO = "2026-12-01T00:00:00.000Z";
const QUERIES: Record<string, SQL> = {
  counts: countsQuery("p", FROM, TO),
  p95: p95Query("p", FROM, TO, 950),
};

describe("the measurement's query plans", () => {
  it.each(Object.entries(QUERIES))(
    "%s searches the covering index, never the table",
    async (_name, query) => {
      const rows = await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${query}`);
      const plan = rows.map((r) => r.detail).join("\n");
      expect(plan).toMatch(/SEARCH request_log USING COVERING INDEX request_log_partner_time/);
      expect(plan).not.toMatch(/SCAN request_log\b/);
    },
  );
});
