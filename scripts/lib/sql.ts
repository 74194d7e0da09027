import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import type { ProvisionedPartner } from "../../src/modules/partners/provisioning";
import {
  partnerContracts,
  partnerCredentials,
  partners,
  partnerUsers,
} from "../../src/modules/partners/storage";

const literal = (value: unknown): string => {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  if (typeof value === "boolean") return value ? "1" : "0";
  return `'${String(value).replace(/'/g, "''")}'`;
};

/**
 * An INSERT for one drizzle row (columns mapped by the schema, JSON columns encoded the
 * way drizzle encodes them), optionally upserting on `conflict`.
 */
export function insertSql(table: Table, row: Record<string, unknown>, conflict?: string[]): string {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => row[key] !== undefined);
  const names = columns.map(([, col]) => `"${col.name}"`);
  const values = columns.map(([key, col]) => literal(col.mapToDriverValue(row[key])));
  let sql = `INSERT INTO "${getTableName(table)}" (${names.join(", ")}) VALUES (${values.join(", ")})`;
  if (conflict) {
    const updates = names.filter((n) => !conflict.includes(n.slice(1, -1)) && n !== '"id"');
    sql += ` ON CONFLICT (${conflict.map((c) => `"${c}"`).join(", ")}) DO UPDATE SET ${updates
      .map((n) => `${n} = excluded.${n}`)
      .join(", ")}`;
  }
  return `${sql};`;
}

/** All statements for a provisioned partner; `upsert` makes re-running it converge (the demo seed). */
export function partnerSql({ rows }: ProvisionedPartner, upsert: boolean): string {
  const statements = [
    insertSql(partners, rows.partner, upsert ? ["id"] : undefined),
    insertSql(partnerContracts, rows.contract, upsert ? ["partner_id"] : undefined),
    insertSql(partnerCredentials, rows.credential, upsert ? ["consumer_key"] : undefined),
  ];
  if (rows.user)
    statements.push(insertSql(partnerUsers, rows.user, upsert ? ["partner_id", "username"] : undefined));
  return statements.join("\n");
}
