import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** How the receiver answers on one path: fail the first `fail` deliveries with `status`, then 2xx. */
export interface Script {
  fail?: number;
  status?: number;
  retryAfter?: string;
  /** Answer every delivery with this status (e.g. 410), after the failures. */
  after?: number;
  /** Hold each answer this long (ms): for timeout tests. */
  delayMs?: number;
  /** The body of the answers that do not fail (JSON text; "" for an empty answer). */
  body?: string;
  /** The answers that do not fail send `body` and then never end (until the client goes away). */
  endless?: boolean;
}

export interface Received {
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
  answered: number;
}

/**
 * A real HTTP webhook receiver for the tests (docs/webhooks.md end-to-end): each test takes its own
 * path `/hook/<id>`, scripts its answers with `PUT /control/<id>` and reads what arrived with
 * `GET /control/<id>`. Deliveries are recorded before they are answered.
 */
export async function startWebhookReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const scripts = new Map<string, Script>();
  const received = new Map<string, Received[]>();
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  const reply = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    const [, kind, id] = (req.url ?? "").split("/");
    if (!id) return reply(res, 404, { error: "no id" });
    const body = await read(req);
    if (kind === "control" && req.method === "PUT") {
      scripts.set(id, JSON.parse(body) as Script);
      return reply(res, 200, { ok: true });
    }
    if (kind === "control" && req.method === "GET")
      return reply(res, 200, { received: received.get(id) ?? [] });
    if (kind !== "hook") return reply(res, 404, { error: "unknown path" });

    const list = received.get(id) ?? [];
    received.set(id, list);
    const script = scripts.get(id) ?? {};
    const failing = list.length < (script.fail ?? 0);
    const status = failing ? (script.status ?? 500) : (script.after ?? 200);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    list.push({ headers, body, receivedAt: Date.now(), answered: status });
    if (script.delayMs) await new Promise((r) => setTimeout(r, script.delayMs));
    const extra: Record<string, string> =
      failing && script.retryAfter ? { "Retry-After": script.retryAfter } : {};
    if (status >= 300 && status < 400) extra.Location = "http://127.0.0.1:1/elsewhere";
    if (!failing && script.body !== undefined) {
      res.writeHead(status, { "Content-Type": "application/json", ...extra });
      if (!script.endless) {
        res.end(script.body);
        return;
      }
      res.write(script.body);
      const drip = setInterval(() => res.write(" ".repeat(1024)), 50);
      res.on("close", () => clearInterval(drip));
      return;
    }
    reply(res, status, failing ? { error: "scripted failure" } : { ok: true }, extra);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
