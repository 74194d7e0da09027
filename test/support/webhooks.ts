import { env } from "cloudflare:workers";
import type { Script } from "../node/webhook-receiver";
import { call } from "./http";

/** One test's own path on the real HTTP receiver the test set-up starts (test/node/webhook-receiver.ts). */
export function receiver(script?: Script) {
  const id = crypto.randomUUID();
  const control = `${env.TEST_RECEIVER_URL}/control/${id}`;
  return {
    url: `${env.TEST_RECEIVER_URL}/hook/${id}`,
    async script(next: Script) {
      await fetch(control, { method: "PUT", body: JSON.stringify(next) });
    },
    async received(): Promise<{ headers: Record<string, string>; body: string; answered: number }[]> {
      const res = await fetch(control);
      return ((await res.json()) as { received: [] }).received;
    },
    ...(script ? { initial: script } : {}),
  };
}

/** Polls until `check` answers something truthy; fails after `ms` (a bound, never a timing assertion). */
export async function until<T>(check: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates an endpoint (the secret is in the answer) for the partner's token. */
export async function createEndpoint(token: string, params: Record<string, unknown>) {
  const r = await call("POST", "/v1/webhook_endpoints", { token, json: { params } });
  if (r.res.status !== 200) throw new Error(`endpoint not created: ${JSON.stringify(r.body)}`);
  return r.body.result as { id: string; secret: string; signing: { public_key: string | null } };
}
