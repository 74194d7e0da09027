import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** The test acquirer's trigger amounts (last four digits in minor units), as docs/acquirer-http.md lists them. */
export const ACQUIRER_TRIGGERS = {
  server_error: 9500,
  slow_after_authorize: 9502,
  slow_before_authorize: 9503,
};
/** How long a slow answer takes: longer than the tests' PROVIDER_TIMEOUT_MS. */
const SLOW_MS = 3000;

interface Attempt {
  key: string;
  payment_id: string;
  amount: number;
  status: string;
  reference: string;
  decline_reason: string | null;
  captured: number;
  refunded: number;
  /** How many authorize requests carried this key. */
  requests: number;
}

const DECLINES: Record<string, string> = {
  pm_card_insufficient_funds: "insufficient_funds",
  pm_card_do_not_honor: "do_not_honor",
  pm_card_stolen: "stolen_card",
  pm_card_limit_exceeded: "limit_exceeded",
  pm_card_risk_decline: "risk_decline",
  pm_card_bank_unavailable: "bank_unavailable",
};

/**
 * A real HTTP acquirer speaking docs/acquirer-http.md, for the HTTP connector's tests: it checks
 * every request's `Portico-Acquirer-Signature` (401 otherwise, counted), keeps its attempts by
 * `Idempotency-Key` (a resend answers the first answer; a voided key never authorizes), and has
 * trigger amounts that fail or answer late. `GET /control/attempts?payment_id=` shows its books.
 */
export async function startAcquirer(secret: string): Promise<{ url: string; close(): Promise<void> }> {
  const attempts = new Map<string, Attempt>();
  const rejected: string[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    if (res.destroyed) return;
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const signed = (header: string | undefined, body: string) => {
    const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=") as [string, string]));
    const t = Number(parts.t);
    if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300 || !parts.v1) return false;
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
    const given = Buffer.from(parts.v1, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const answer = (a: Attempt) => ({
    status: a.status === "voided" ? "declined" : a.status === "captured" ? "authorized" : a.status,
    reference: a.reference,
    decline_reason: a.status === "voided" ? "do_not_honor" : a.decline_reason,
  });
  const byReference = (reference: unknown) => [...attempts.values()].find((a) => a.reference === reference);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://acquirer.test");
    const body = await read(req);
    if (url.pathname === "/control/attempts") {
      const paymentId = url.searchParams.get("payment_id");
      const list = [...attempts.values()].filter((a) => !paymentId || a.payment_id === paymentId);
      return reply(res, 200, { attempts: list, rejected });
    }
    if (!signed(req.headers["portico-acquirer-signature"] as string | undefined, body)) {
      rejected.push(url.pathname);
      return reply(res, 401, { error: "bad signature" });
    }
    const parts = url.pathname.split("/").filter(Boolean); // acquirer, authorizations, key?, void?
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (parts[1] === "authorizations" && req.method === "POST" && parts.length === 2) {
      const key = req.headers["idempotency-key"];
      if (typeof key !== "string" || key !== json.idempotency_key) return reply(res, 400, { error: "key" });
      const amount = Number(json.amount);
      const trigger = amount % 10_000;
      const known = attempts.get(key);
      if (known) {
        known.requests += 1;
        return reply(res, 200, answer(known));
      }
      if (trigger === ACQUIRER_TRIGGERS.server_error) return reply(res, 503, { error: "unavailable" });
      if (trigger === ACQUIRER_TRIGGERS.slow_before_authorize) {
        await new Promise((r) => setTimeout(r, SLOW_MS));
        const late = attempts.get(key);
        if (late) return reply(res, 200, answer(late)); // voided meanwhile: this late arrival cannot authorize
      }
      const token = String(json.payment_method_token);
      const decline = DECLINES[token] ?? null;
      const attempt: Attempt = {
        key,
        payment_id: String(json.payment_id),
        amount,
        status: decline ? "declined" : json.capture ? "captured" : "authorized",
        reference: `acq_${attempts.size + 1}_${key.slice(0, 8)}`,
        decline_reason: decline,
        captured: !decline && json.capture ? amount : 0,
        refunded: 0,
        requests: 1,
      };
      attempts.set(key, attempt);
      if (trigger === ACQUIRER_TRIGGERS.slow_after_authorize)
        await new Promise((r) => setTimeout(r, SLOW_MS));
      return reply(res, 200, answer(attempt));
    }
    if (parts[1] === "authorizations" && req.method === "GET" && parts[2]) {
      const known = attempts.get(decodeURIComponent(parts[2]));
      return known ? reply(res, 200, answer(known)) : reply(res, 404, { error: "not found" });
    }
    if (parts[1] === "authorizations" && parts[3] === "void") {
      const key = decodeURIComponent(parts[2] ?? "");
      const known = attempts.get(key);
      if (known) known.status = "voided";
      else
        attempts.set(key, {
          key,
          payment_id: key.split(":")[0] ?? "",
          amount: 0,
          status: "voided",
          reference: `acq_void_${key.slice(0, 8)}`,
          decline_reason: null,
          captured: 0,
          refunded: 0,
          requests: 0,
        });
      return reply(res, 200, { status: "voided" });
    }
    const target = byReference(json.reference);
    if (!target) return reply(res, 200, { status: "failed", decline_reason: "do_not_honor" });
    if (parts[1] === "captures") {
      target.status = "captured";
      target.captured = Number(json.amount);
    } else if (parts[1] === "voids") target.status = "voided";
    else if (parts[1] === "refunds") target.refunded += Number(json.amount);
    else if (parts[1] !== "authentications") return reply(res, 404, { error: "unknown path" });
    return reply(res, 200, { status: "succeeded" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}/acquirer`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
