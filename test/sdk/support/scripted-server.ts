// A real HTTP server that plays the gateway for the SDK's unit-level tests: a token endpoint that
// counts what it issues, and `/v1` paths that answer a script of statuses, then a success envelope.
// Every request is recorded as it arrived.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import { listen } from "../../node/ports";

export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; an envelope error from error(), or anything else. Absent: no body. */
  body?: unknown;
  /** Hold the answer this long (ms). */
  delayMs?: number;
  /** Close the connection without answering: a network error. */
  drop?: boolean;
}

export interface Seen {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const CONSUMER = { consumerKey: "ck_test_scripted", consumerSecret: "cs_test_scripted secret" };

/** A refused call's envelope, as the gateway writes it. */
export function error(code: number, reason: string, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    result: null,
    error: { code, message: `scripted ${reason}`, reason, docs: `/docs#error-${code}`, ...extra },
  };
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });

export async function startScriptedServer() {
  const scripts = new Map<string, Scripted[]>();
  const seen: Seen[] = [];
  const token = { issued: 0, expiresIn: 3600, delayMs: 0 };
  const expectedBasic = `Basic ${Buffer.from(`${CONSUMER.consumerKey}:${encodeURIComponent(CONSUMER.consumerSecret).replace(/%20/g, "+")}`).toString("base64")}`;

  const server = createServer(async (req, res) => {
    const body = await read(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    seen.push({ method, url, headers, body });
    const path = url.split("?")[0] ?? "/";
    const send = (status: number, payload?: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, {
        ...(payload === undefined ? {} : { "Content-Type": "application/json" }),
        "X-Request-Id": `req_${seen.length}`,
        ...extra,
      });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };

    const next = scripts.get(`${method} ${path}`)?.shift();
    if (next?.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
    if (next?.drop) {
      req.socket.destroy();
      return;
    }
    if (next) return send(next.status, next.body, next.headers);

    if (method === "POST" && path === "/oauth2/token") {
      if (token.delayMs) await new Promise((r) => setTimeout(r, token.delayMs));
      if (headers.authorization !== expectedBasic) {
        return send(
          401,
          { error: "invalid_client", error_description: "Client authentication failed." },
          { "WWW-Authenticate": 'Basic realm="portico"' },
        );
      }
      token.issued += 1;
      return send(200, {
        access_token: `tok_${token.issued}`,
        token_type: "Bearer",
        expires_in: token.expiresIn,
        scope: "payments:read payments:write",
      });
    }
    // The success every unscripted /v1 call gets: what the server saw, in the envelope.
    send(200, {
      id: randomUUID(),
      result: {
        id: randomUUID(),
        token: headers.authorization,
        key: headers["idempotency-key"] ?? null,
        body: body === "" ? null : (JSON.parse(body) as unknown),
      },
      error: null,
    });
  });
  const port = await listen(server);

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    seen,
    /** The next answers of `METHOD /path`, in order; after them, the default. */
    script(route: string, answers: Scripted[]) {
      scripts.set(route, [...answers]);
    },
    /** What arrived at `METHOD /path`. */
    requests(route: string) {
      return seen.filter((s) => `${s.method} ${s.url.split("?")[0]}` === route);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
