import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { consolePerson } from "./support/access";
import { launchChromium } from "./support/browser";
import { sql } from "./support/control";
import { seriousViolations, shot } from "./support/portal";

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
const access = inject("gatewayAccess");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const T = Date.parse("2026-02-10T08:00:00.000Z");
const iso = (ms: number) => new Date(T + ms).toISOString();
const HOUR = 3_600_000;

async function attempt(
  partnerId: string,
  provider: string,
  outcome: string,
  latency: number,
  at: string,
  method = "card",
) {
  await sql(
    control,
    `INSERT INTO payment_attempts (id, payment_id, partner_id, seq, provider, outcome, decline_reason, fallback,
       latency_ms, method, card_brand, bin_country, currency, amount, created_at)
     VALUES (?, ?, ?, 1, ?, ?, ?, 0, ?, ?, 'visa', 'UZ', 'UZS', 10000, ?)`,
    randomUUID(),
    randomUUID(),
    partnerId,
    provider,
    outcome,
    outcome === "declined" ? "do_not_honor" : null,
    latency,
    method,
    at,
  );
}

/**
 * One partner's attempts at two providers over two hours: at A 1 approved of 4 (p95 900 ms), at B
 * 3 of 3 (one by bank redirect); and a rule on A's approve rate, firing, with its transition.
 */
async function seed() {
  const partnerId = randomUUID();
  const suffix = randomUUID().slice(0, 6);
  const [A, B] = [`acq-a-${suffix}`, `acq-b-${suffix}`];
  await attempt(partnerId, A, "authorized", 100, iso(0));
  await attempt(partnerId, A, "declined", 300, iso(1000));
  await attempt(partnerId, A, "declined", 500, iso(2000));
  await attempt(partnerId, A, "timeout", 900, iso(HOUR + 1000));
  await attempt(partnerId, B, "authorized", 200, iso(0));
  await attempt(partnerId, B, "authorized", 250, iso(HOUR));
  await attempt(partnerId, B, "authorized", 150, iso(HOUR + 2000), "a2a");
  const ruleId = randomUUID();
  const name = `Approve rate of ${A}`;
  await sql(
    control,
    `INSERT INTO alert_rules (id, name, metric, filters, comparator, threshold, resolve_threshold, window_minutes,
       min_samples, fire_after, resolve_after, connector_type, state, streak, last_value, last_samples,
       last_evaluated_at, state_since, created_by, created_at, updated_at)
     VALUES (?, ?, 'approve_rate', ?, 'below', 8000, 9000, 10, 3, 2, 2, 'sandbox', 'firing', 0, 2500, 4, ?, ?, 'ops@bank.example', ?, ?)`,
    ruleId,
    name,
    JSON.stringify({ provider: A }),
    iso(2 * HOUR),
    iso(2 * HOUR),
    iso(0),
    iso(0),
  );
  await sql(
    control,
    `INSERT INTO alert_events (id, rule_id, kind, value, samples, threshold, window_from, window_to, connector_type,
       payload, delivery_status, delivery_attempts, delivered_at, created_at)
     VALUES (?, ?, 'firing', 2500, 4, 8000, ?, ?, 'sandbox', ?, 'delivered', 1, ?, ?)`,
    randomUUID().replace(/^.{8}/, "ffffffff"),
    ruleId,
    iso(2 * HOUR - 600_000),
    iso(2 * HOUR),
    JSON.stringify({ type: "alert.firing", rule: { metric: "approve_rate" } }),
    iso(2 * HOUR),
    iso(2 * HOUR),
  );
  return { partnerId, A, B, ruleId, name };
}

const cell = (page: Page, group: string, field: string) =>
  page.locator(`tr[data-group="${group}"] [data-field="${field}"]`).textContent();

describe("the console's metrics page in Chromium", () => {
  it("shows the metrics per provider with a chart of approve rate and p95 per hour, filters by method, and the alert rules' state", {
    timeout: 90_000,
  }, async () => {
    const s = await seed();
    const viewer = await consolePerson(browser, origin, control, access, "viewer");
    const page = await viewer.context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    try {
      await page.goto("/console");
      await page.getByRole("navigation").getByRole("link", { name: "Metrics" }).click();
      await page.waitForURL(/\/console\/metrics$/);
      expect(await page.getByRole("heading", { name: "Metrics and alerts" }).count()).toBe(1);

      const range = { from: iso(0), to: iso(2 * HOUR) };
      await page.goto(
        `/console/metrics?${new URLSearchParams({ ...range, partner_id: s.partnerId, group_by: "provider" })}`,
      );
      await page.locator("tr[data-group]").first().waitFor();
      expect(await page.locator("tr[data-group]").count()).toBe(2);
      expect(await cell(page, s.A, "attempts")).toBe("4");
      expect(await cell(page, s.A, "approve-rate")).toBe("25.00 %");
      expect(await cell(page, s.A, "declines")).toBe("do_not_honor 2");
      expect(await cell(page, s.A, "p50")).toBe("300 ms");
      expect(await cell(page, s.A, "p95")).toBe("900 ms");
      expect(await cell(page, s.B, "approve-rate")).toBe("100.00 %");
      expect(await cell(page, s.B, "dispute-rate")).toBe("—");

      // The chart, drawn by the bundled uPlot from the page's own data (two hours).
      await page.locator("#chart-approve .uplot").waitFor();
      expect(await page.locator("#chart-p95 .uplot").count()).toBe(1);
      const series = JSON.parse((await page.locator("#metrics-data").textContent()) ?? "[]");
      expect(series).toEqual([
        { at: iso(0), approve_rate_bps: 5000, latency_p95_ms: 500 },
        { at: iso(HOUR), approve_rate_bps: 6666, latency_p95_ms: 900 },
      ]);

      const rule = page.locator(`tr[data-rule="${s.ruleId}"]`);
      expect(await rule.locator('[data-field="state"]').textContent()).toBe("firing");
      expect(await rule.locator('[data-field="last-value"]').textContent()).toBe("25.00 %");
      const event = page.locator("tr[data-alert-event]").filter({ hasText: s.name });
      expect(await event.locator('[data-field="kind"]').textContent()).toBe("firing");
      expect(await event.locator('[data-field="delivery"]').textContent()).toBe("delivered");
      await shot(page, "console-metrics");
      expect(await seriousViolations(page)).toEqual([]);

      // The GET form: grouped by method instead.
      await page.getByLabel("Group by").selectOption("method");
      await page.getByRole("button", { name: "Show" }).click();
      await page.waitForURL(/group_by=method/);
      await page.locator('tr[data-group="a2a"]').waitFor();
      expect(await cell(page, "a2a", "attempts")).toBe("1");
      expect(await cell(page, "card", "attempts")).toBe("6");
      expect(await cell(page, "card", "approve-rate")).toBe("50.00 %");
      expect(problems).toEqual([]);
    } finally {
      await viewer.context.close();
    }
  });

  it("says when a range has no attempts, and shows the admin API's refusal of a bad range with its code", {
    timeout: 60_000,
  }, async () => {
    const viewer = await consolePerson(browser, origin, control, access, "viewer");
    const page = await viewer.context.newPage();
    try {
      await page.goto(
        `/console/metrics?${new URLSearchParams({ from: "2001-01-01T00:00:00Z", to: "2001-01-02T00:00:00Z" })}`,
      );
      expect(await page.getByText("No authorization attempts in this range.").count()).toBe(1);
      expect(await page.locator("#metrics-data").count()).toBe(0);
      const refused = await page.goto(
        `/console/metrics?${new URLSearchParams({ from: "2001-01-03T00:00:00Z", to: "2001-01-02T00:00:00Z" })}`,
      );
      expect(refused?.status()).toBe(400);
      expect(await page.getByRole("alert").textContent()).toContain("(code 230)");
      expect(await page.getByLabel("From").inputValue()).toBe("2001-01-03T00:00:00Z");
    } finally {
      await viewer.context.close();
    }
  });
});
