// The partners' webhook receiver: node:http on 127.0.0.1, one path per partner
// (`/hooks/<partner>`), every delivery's signature verified with that partner's endpoint secret
// (Standard Webhooks). Every arrival is recorded by `webhook-id`, so a duplicate is recognised.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { readBody } from "../bench/lib/webhooks";

export interface Arrival {
  partner: number;
  /** The payload's own id and type (they must match the header's id). */
  id: string;
  type: string;
  validSignature: boolean;
}

export async function startReceiver() {
  const verifiers = new Map<number, Webhook>();
  /** webhook-id → every arrival under it. */
  const arrivals = new Map<string, Arrival[]>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const partner = Number(/^\/hooks\/(\d+)$/.exec(req.url ?? "")?.[1] ?? Number.NaN);
    const header = (name: string) => String(req.headers[name] ?? "");
    const webhookId = header("webhook-id");
    let validSignature = false;
    try {
      verifiers.get(partner)?.verify(body, {
        "webhook-id": webhookId,
        "webhook-timestamp": header("webhook-timestamp"),
        "webhook-signature": header("webhook-signature"),
      });
      validSignature = verifiers.has(partner);
    } catch {
      // recorded as invalid
    }
    let payload: { id?: unknown; type?: unknown } = {};
    try {
      payload = JSON.parse(body) as typeof payload;
    } catch {
      // recorded with an empty id: a violation for the checker
    }
    const list = arrivals.get(webhookId) ?? [];
    list.push({ partner, id: String(payload.id ?? ""), type: String(payload.type ?? ""), validSignature });
    arrivals.set(webhookId, list);
    res.writeHead(validSignature ? 200 : 401, { "Content-Type": "application/json" });
    res.end('{"received":true}');
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlFor: (partner: number) => `http://127.0.0.1:${port}/hooks/${partner}`,
    trust: (partner: number, secret: string) => verifiers.set(partner, new Webhook(secret)),
    arrivals,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
