// The browser tests' look inside the gateway: SQL against the running Worker's D1, over a local
// HTTP server that the global set-up starts beside the gateway (the test files run in other
// processes). Bound to 127.0.0.1, and it answers only with the run's random token.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { D1Like } from "./gateway";

export interface Control {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startControl(db: D1Like): Promise<Control> {
  const token = randomBytes(24).toString("hex");
  const server: Server = createServer((req, res) => {
    if (req.method !== "POST" || req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(403).end();
      return;
    }
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", async () => {
      try {
        const { sql, params } = JSON.parse(body) as { sql: string; params?: unknown[] };
        const { results } = await db
          .prepare(sql)
          .bind(...(params ?? []))
          .all();
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(results));
      } catch (error) {
        res.writeHead(400, { "Content-Type": "text/plain" }).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** In a test file: one SQL statement against the gateway's D1, its rows. */
export async function sql<T = Record<string, unknown>>(
  control: { url: string; token: string },
  query: string,
  ...params: unknown[]
): Promise<T[]> {
  const res = await fetch(control.url, {
    method: "POST",
    headers: { Authorization: `Bearer ${control.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ sql: query, params }),
  });
  if (!res.ok) throw new Error(`sql failed: ${await res.text()}`);
  return (await res.json()) as T[];
}
