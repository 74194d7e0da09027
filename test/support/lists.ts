import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createApp } from "../../src/app";
import { call, fetchWithEnv } from "./http";

/** The ids of a list answer's page. */
export const idsOf = (result: { data: { id: string }[] }) => result.data.map((x) => x.id);

/**
 * Walks a cursor-paginated list `limit` at a time (`path` may carry a query already), checking
 * each page's `has_more`; answers the ids page by page.
 */
export async function pagesOf(path: string, token: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | undefined;
  for (let i = 0; i < 50; i++) {
    const sep = path.includes("?") ? "&" : "?";
    const r = await call("GET", `${path}${sep}limit=${limit}${after ? `&starting_after=${after}` : ""}`, {
      token,
    });
    expect(r.res.status).toBe(200);
    const ids = idsOf(r.body.result);
    pages.push(ids);
    if (!r.body.result.has_more) return pages;
    expect(ids).toHaveLength(limit);
    after = ids[ids.length - 1];
  }
  throw new Error(`${path} did not end`);
}

/** The page query (and `status`, where the list has it) refused with the envelope: code 4 or 3 naming the field. */
export async function expectQueryRefusals(path: string, token: string, opts: { status?: boolean } = {}) {
  const cases: [string, number, string][] = [
    ["limit=0", 4, "limit"],
    ["limit=101", 4, "limit"],
    ["limit=x", 3, "limit"],
    ["starting_after=1", 4, "starting_after"],
    ...(opts.status ? ([["status=lost", 4, "status"]] as [string, number, string][]) : []),
  ];
  for (const [query, code, field] of cases) {
    const r = await call("GET", `${path}?${query}`, { token });
    expect(r.res.status, query).toBe(400);
    expect(r.body.result, query).toBeNull();
    expect(r.body.error, query).toMatchObject({ code, field });
  }
}

/** The list answers 503, code 22, while its product is switched off (`PRODUCTS_DISABLED`). */
export async function expectSwitchedOff(path: string, token: string, product: string) {
  const r = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: product }, path, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(r.res.status, path).toBe(503);
  expect(r.body.error.code, path).toBe(22);
}

/** The partner's audited reads (GET rows of the audit log). */
export async function auditedReads(partnerId: string) {
  const rows = await env.DB.prepare(
    "SELECT action FROM audit_log WHERE partner_id = ? AND action LIKE 'GET %'",
  )
    .bind(partnerId)
    .all();
  return rows.results;
}
