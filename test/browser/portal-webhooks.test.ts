import { randomUUID } from "node:crypto";
import type { Client } from "openapi-fetch";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { paths } from "../generated/portico-api";
import { startWebhookReceiver } from "../node/webhook-receiver";
import { launchChromium, until, watchedPage } from "./support/browser";
import { sql } from "./support/control";
import { demoClient, once } from "./support/partner";
import { newUser, seriousViolations, shot, signIn } from "./support/portal";

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
let browser: Browser;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let client: Client<paths>;

beforeAll(async () => {
  [browser, receiver, client] = await Promise.all([
    launchChromium(),
    startWebhookReceiver(),
    demoClient(origin),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
});

/** What the receiver got on its path `/hook/<id>`. */
async function received(id: string): Promise<{ body: string }[]> {
  const answer = (await (await fetch(`${receiver.url}/control/${id}`)).json()) as {
    received: { body: string }[];
  };
  return answer.received;
}

describe("webhook debugging and the sandbox buttons in the portal", () => {
  it("adds an endpoint (secret shown once), pings it, shows the delivery with its attempt, resends it", {
    timeout: 90_000,
  }, async () => {
    const user = await newUser(control, "developer");
    const { page, problems } = await watchedPage(browser, origin);
    await signIn(page, user);
    await page.getByRole("navigation").getByRole("link", { name: "Webhooks" }).click();
    const hook = randomUUID();
    const url = `${receiver.url}/hook/${hook}`;
    await page.getByLabel("URL").fill(url);
    await page.getByLabel("Description (optional)").fill("portal test");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    expect(await page.locator(".flash-ok").textContent()).toBe(`Endpoint ${url} added.`);
    expect(await page.locator("#endpoint-secret").textContent()).toMatch(/^whsec_/);
    await shot(page, "portal-webhooks");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("link", { name: url }).click();
    await page.getByRole("button", { name: "Send test ping" }).click();
    expect(await page.locator(".flash-ok").textContent()).toContain("Test ping sent");
    const deliveries = await until(
      () => received(hook),
      (r) => r.length >= 1,
      "the ping",
    );
    const ping = JSON.parse(deliveries[0]?.body ?? "{}") as { id: string; type: string };
    expect(ping.type).toBe("ping");

    // The event's page: its attempt as the API records it, once the queue has delivered.
    await until(
      async () => {
        await page.goto(`/portal/events/${ping.id}`);
        return page.locator("tr[data-attempt]").count();
      },
      (n) => n >= 1,
      "the attempt on the page",
    );
    const firstRow = page.locator("tr[data-attempt]").first();
    expect(await firstRow.locator("td").nth(2).textContent()).toBe("200");
    expect(await firstRow.locator(".badge").textContent()).toBe("succeeded");
    await shot(page, "portal-event-attempts");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Resend" }).click();
    expect(await page.locator(".flash-ok").textContent()).toContain("Sent again");
    await until(
      () => received(hook),
      (r) => r.length >= 2,
      "the resent ping",
    );
    await until(
      async () => {
        await page.goto(`/portal/events/${ping.id}`);
        return page.locator("tr[data-attempt]").count();
      },
      (n) => n >= 2,
      "the second attempt on the page",
    );
    const attempts = await sql<{ n: number }>(
      control,
      "SELECT count(*) AS n FROM webhook_attempts WHERE event_id = ?",
      ping.id,
    );
    expect(attempts[0]?.n).toBe(2);
    await shot(page, "portal-event-resent");

    // The explorer finds it by type.
    await page.goto("/portal/events");
    await page.getByLabel("Type").fill("ping");
    await page.getByRole("button", { name: "Filter" }).click();
    expect(await page.locator(`tr[data-event="${ping.id}"]`).count()).toBe(1);
    const types = await page.locator("tr[data-event] td:nth-child(2)").allTextContents();
    expect(new Set(types)).toEqual(new Set(["ping"]));
    await shot(page, "portal-events");
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("a sandbox button makes the bank answer: the payment is captured, as the API then says", async () => {
    const created = await client.POST("/v1/payments", {
      params: { header: once() },
      body: {
        id: randomUUID(),
        params: { amount: 150_000, currency: "UZS", payment_method_token: "pm_bank_redirect" },
      },
    });
    const id = created.data?.result?.id ?? "";
    expect(created.data?.result?.status).toBe("pending");
    const user = await newUser(control, "developer");
    const { page, problems } = await watchedPage(browser, origin);
    await signIn(page, user);
    await page.getByRole("navigation").getByRole("link", { name: "Sandbox" }).click();
    await page.getByLabel("Payment ID").fill(id);
    await page.locator("#payment-outcome").selectOption("succeeded");
    await page.getByRole("button", { name: "Simulate" }).first().click();
    expect(await page.locator(".flash-ok").textContent()).toContain("done");
    expect(await page.locator("#sandbox-result").textContent()).toContain('"status": "captured"');
    await shot(page, "portal-sandbox");
    expect(await seriousViolations(page)).toEqual([]);
    const after = await client.GET("/v1/payments/{id}", { params: { path: { id } } });
    expect(after.data?.result?.status).toBe("captured");

    // A foreign or unknown id: the API's 404, shown with its code, and nothing changes.
    await page.getByLabel("Payment ID").fill(randomUUID());
    await page.getByRole("button", { name: "Simulate" }).first().click();
    expect(await page.getByRole("alert").textContent()).toMatch(/\(code \d+\)/);
    expect(problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
  });
});
