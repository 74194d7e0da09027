import { env } from "cloudflare:workers";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../../src/app";
import type { Env } from "../../../../src/platform/env";
import { call, fetchWithEnv, tokenFor } from "../../../support/http";
import { eventRows } from "../../../support/outbox";
import { provisionPartner } from "../../../support/partners";
import { billedPartner, close, dayOf, invoicesOfPartner, meter, numberOf } from "./support";

const DAY = 86_400_000;

describe("GET /v1/invoices", () => {
  it("lists, reads with lines and downloads the partner's own invoices", async () => {
    const p = await billedPartner();
    await meter(p.id, Date.parse(p.startsOn) + DAY, 12);
    await close(p.id);
    const [inv] = await invoicesOfPartner(p.id);
    const token = await tokenFor(p);
    const list = await call("GET", "/v1/invoices", { token });
    expect(list.res.status).toBe(200);
    expect(list.body.result.data).toHaveLength(1);
    expect(list.body.result.data[0]).toMatchObject({
      id: inv?.id,
      object: "invoice",
      number: inv?.number,
      total: inv?.total,
    });
    const one = await call("GET", `/v1/invoices/${inv?.id}`, { token });
    expect(one.res.status).toBe(200);
    expect(one.body.result.lines.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
      ["recurring_fee", 31_000],
      ["included_calls", 0],
      ["usage", 10],
    ]);
    const pdf = await call("GET", `/v1/invoices/${inv?.id}/pdf`, { token });
    expect(pdf.res.status).toBe(200);
    expect(pdf.res.headers.get("Content-Type")).toBe("application/pdf");
    expect(String(pdf.body).startsWith("%PDF-")).toBe(true);
  });

  it("answers another partner's invoice, or none, 404 and a malformed id 400", async () => {
    const owner = await billedPartner();
    await close(owner.id);
    const [inv] = await invoicesOfPartner(owner.id);
    const other = await provisionPartner();
    const token = await tokenFor(other);
    for (const path of [
      `/v1/invoices/${inv?.id}`,
      `/v1/invoices/${inv?.id}/pdf`,
      `/v1/invoices/${crypto.randomUUID()}`,
    ]) {
      const r = await call("GET", path, { token });
      expect(r.res.status).toBe(404);
      expect(r.body.error.code).toBe(30);
    }
    expect((await call("GET", "/v1/invoices", { token })).body.result.data).toEqual([]);
    const bad = await call("GET", "/v1/invoices/not-an-id", { token });
    expect(bad.res.status).toBe(400);
    const method = await call("DELETE", `/v1/invoices/${inv?.id}`, { token: await tokenFor(owner) });
    expect(method.res.status).toBe(405);
  });
});

describe("GET /v1/invoices pages", () => {
  it("pages newest first with limit and starting_after", async () => {
    const p = await billedPartner();
    await close(p.id);
    const token = await tokenFor(p);
    await call("POST", "/v1/sandbox/clock/advance", { token, json: { params: { days: 31 } } });
    const rows = await invoicesOfPartner(p.id);
    expect(rows).toHaveLength(2);
    const first = await call("GET", "/v1/invoices?limit=1", { token });
    expect(first.body.result).toMatchObject({ has_more: true, data: [{ id: rows[1]?.id }] });
    const next = await call("GET", `/v1/invoices?limit=1&starting_after=${rows[1]?.id}`, { token });
    expect(next.body.result).toMatchObject({ has_more: false, data: [{ id: rows[0]?.id }] });
  });
});

describe("the sandbox test clock", () => {
  it("advancing a month issues the invoice with the metered calls; advancing again closes the next", async () => {
    const p = await billedPartner({ daysAgo: 1 });
    const token = await tokenFor(p);
    const before = await call("GET", "/v1/sandbox/clock", { token });
    expect(before.body.result).toMatchObject({ object: "test_clock", offset_days: 0 });
    await meter(p.id, Date.parse(p.startsOn) + 5 * 3_600_000, 30);
    const first = await call("POST", "/v1/sandbox/clock/advance", { token, json: { params: { days: 31 } } });
    expect(first.res.status).toBe(200);
    expect(first.body.result.offset_days).toBe(31);
    expect(first.body.result.invoices).toHaveLength(1);
    const one = first.body.result.invoices[0];
    expect(one).toMatchObject({ period: { start: p.startsOn }, subtotal: 31_000 + 20 * 5 });
    expect(await eventRows(p.id, "invoice.issued")).toHaveLength(1);
    // Calls after the first close are the next period's, never the first's again.
    await meter(p.id, Date.now() + 3_600_000, 14);
    const second = await call("POST", "/v1/sandbox/clock/advance", { token, json: { params: { days: 31 } } });
    expect(second.body.result.invoices).toHaveLength(1);
    const two = second.body.result.invoices[0];
    expect(two.period.start).toBe(one.period.end);
    expect(numberOf(two.number)).toBeGreaterThan(numberOf(one.number));
    const rows = await invoicesOfPartner(p.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.usageFrom).toBe(rows[0]?.usageTo);
    expect(await eventRows(p.id, "invoice.issued")).toHaveLength(2);
    const clock = await call("GET", "/v1/sandbox/clock", { token });
    expect(clock.body.result.offset_days).toBe(62);
    expect(dayOf(Date.parse(clock.body.result.now))).toBe(dayOf(Date.now() + 62 * DAY));
  });

  it("refuses a bad advance and changes nothing", async () => {
    const p = await billedPartner({ daysAgo: 1 });
    const token = await tokenFor(p);
    for (const json of [
      { params: { days: 0 } },
      { params: { days: "3" } },
      { params: { days: 1, extra: 1 } },
      {},
    ]) {
      const r = await call("POST", "/v1/sandbox/clock/advance", { token, json });
      expect(r.res.status).toBe(400);
      expect([3, 4]).toContain(r.body.error.code);
    }
    expect((await call("GET", "/v1/sandbox/clock", { token })).body.result.offset_days).toBe(0);
    expect(await invoicesOfPartner(p.id)).toHaveLength(0);
  });

  it("does not exist in production", async () => {
    const production: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };
    for (const [method, path] of [
      ["GET", "/v1/sandbox/clock"],
      ["POST", "/v1/sandbox/clock/advance"],
    ] as const) {
      const r = await fetchWithEnv(createApp(), production, path, { method });
      expect(r.res.status).toBe(404);
      expect(r.body.error.code).toBe(31);
    }
  });
});

describe("invoice PDFs", () => {
  it("hold the number and parse back", async () => {
    const p = await billedPartner();
    await close(p.id);
    const [inv] = await invoicesOfPartner(p.id);
    const object = await env.INVOICES.get(inv?.pdfKey ?? "");
    const doc = await PDFDocument.load(new Uint8Array(await (object as R2ObjectBody).arrayBuffer()));
    expect(doc.getTitle()).toBe(`Invoice ${inv?.number}`);
    expect(doc.getSubject()).toBe(inv?.number);
  });
});
