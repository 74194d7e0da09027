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

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * What production's connectors call, on this machine (`npm run dev`, the browser tests):
 * Turnstile's siteverify (`/turnstile/siteverify`: passes the test token, refuses anything else)
 * and the notification service (`POST /notifications/messages`), the local mailbox: every message
 * is printed to the terminal (unless `quiet`) and listed by `GET /notifications/messages`.
 */
export async function startDevServices(
  port: number,
  notifyToken: string,
  options: { quiet?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const mailbox: Mail[] = [];
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
    if (req.url === "/notifications/messages" && req.headers.authorization !== `Bearer ${notifyToken}`)
      return reply(401, { error: "unauthorized" });
    if (req.method === "GET" && req.url === "/notifications/messages") return reply(200, { data: mailbox });
    if (req.method === "POST" && req.url === "/notifications/messages") {
      mailbox.push({ to: String(body.to), subject: String(body.subject), text: String(body.text) });
      if (!options.quiet)
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
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
