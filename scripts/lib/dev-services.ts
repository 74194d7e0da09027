import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";

/** The token Cloudflare's Turnstile test site keys hand out; the local siteverify passes only it. */
export const DEV_TURNSTILE_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });

/**
 * What production's connectors call, on this machine (`npm run dev`): Turnstile's siteverify
 * (`/turnstile/siteverify`: passes the test token, refuses anything else) and the notification
 * service (`/notifications/messages`), the local mailbox: every message is printed to the terminal.
 */
export function startDevServices(port: number, notifyToken: string): Promise<void> {
  const server = createServer(async (req, res) => {
    const text = await read(req);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: answered below
    }
    const reply = (status: number, answer: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(answer));
    };
    if (req.method === "POST" && req.url === "/turnstile/siteverify") {
      const ok = body.response === DEV_TURNSTILE_TOKEN;
      return reply(
        200,
        ok
          ? { success: true, "error-codes": [] }
          : { success: false, "error-codes": ["invalid-input-response"] },
      );
    }
    if (req.method === "POST" && req.url === "/notifications/messages") {
      if (req.headers.authorization !== `Bearer ${notifyToken}`) return reply(401, { error: "unauthorized" });
      console.log(
        `\n  ── local mailbox ─────────────────────────────────────────\n  To: ${String(body.to)}\n  Subject: ${String(body.subject)}\n\n${String(
          body.text,
        )
          .split("\n")
          .map((l) => `  ${l}`)
          .join("\n")}\n  ──────────────────────────────────────────────────────────\n`,
      );
      return reply(200, { id: randomUUID() });
    }
    reply(404, { error: "unknown path" });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
}
