import { ACQUIRER_SIGNATURE_HEADER, signAcquirerMessage } from "../../../platform/lib/acquirer-signature";
import { readBounded } from "../../../platform/lib/bounded";
import { DECLINE_REASONS, type DeclineReason } from "../model";
import { declineOf } from "./sandbox";
import type {
  Answered,
  AuthorizeRequest,
  AuthorizeResult,
  FailureKind,
  OperationResult,
  PaymentMethod,
  PaymentProvider,
  Retrieved,
  RetryMatrix,
} from "./types";

/** The largest answer read from the acquirer. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface HttpAcquirerOptions {
  baseUrl: string;
  secret: string;
  timeoutMs: number;
}

/** An authorization as the acquirer answers it (docs/acquirer-http.md). */
interface AuthorizationAnswer {
  status?: unknown;
  reference?: unknown;
  decline_reason?: unknown;
  action?: { type?: unknown; url?: unknown; expires_at?: unknown } | null;
}

type Sent = { ok: true; status: number; json: unknown } | { ok: false; kind: FailureKind; message: string };

/**
 * `http`, the connector speaking Portico's acquirer protocol (docs/acquirer-http.md): JSON over
 * HTTPS, every request signed (`Portico-Acquirer-Signature`) and each authorization attempt
 * carrying its own `Idempotency-Key`. It never retries on its own: the orchestrator decides.
 */
export class HttpAcquirerProvider implements PaymentProvider {
  readonly name = "http";
  readonly retry: RetryMatrix = {
    failures: ["timeout", "server_error", "network"],
    declines: ["bank_unavailable"],
  };

  constructor(private readonly opts: HttpAcquirerOptions) {}

  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    const card = req.signals.card;
    const sent = await this.send("POST", "/authorizations", req.idempotencyKey, {
      idempotency_key: req.idempotencyKey,
      payment_id: req.paymentId,
      amount: req.amount,
      currency: req.currency,
      capture: req.capture,
      method: req.signals.method,
      payment_method_token: req.paymentMethodToken,
      card: card
        ? { brand: card.brand, first6: card.first6, last4: card.last4, country: card.country }
        : null,
    });
    if (!sent.ok) return { outcome: "failed", kind: sent.kind, message: sent.message };
    if (sent.status === 422) return { outcome: "unknown_method" };
    return this.answered(req, sent) ?? { outcome: "failed", kind: "rejected", message: "unreadable answer" };
  }

  async retrieve(req: AuthorizeRequest): Promise<Retrieved> {
    const path = `/authorizations/${encodeURIComponent(req.idempotencyKey)}`;
    const sent = await this.send("GET", path, undefined, undefined);
    if (sent.ok && sent.status === 404) return { found: false };
    const result = sent.ok ? this.answered(req, sent) : undefined;
    return result ? { found: true, result } : { found: "unknown" };
  }

  async cancelAttempt(req: AuthorizeRequest): Promise<OperationResult> {
    const path = `/authorizations/${encodeURIComponent(req.idempotencyKey)}/void`;
    return this.operation(path, {}, req.idempotencyKey);
  }

  confirmAuthentication(reference: string, result: "success" | "failure" | "canceled") {
    return this.operation("/authentications", { reference, result });
  }

  capture(reference: string, amount: number) {
    return this.operation("/captures", { reference, amount });
  }

  void(reference: string) {
    return this.operation("/voids", { reference });
  }

  refund(reference: string, refundId: string, amount: number) {
    return this.operation("/refunds", { reference, refund_id: refundId, amount }, refundId);
  }

  private answered(req: AuthorizeRequest, sent: { status: number; json: unknown }): Answered | undefined {
    if (sent.status < 200 || sent.status >= 300) return undefined;
    const a = sent.json as AuthorizationAnswer;
    if (typeof a?.reference !== "string" || a.reference.length === 0) return undefined;
    const providerReference = a.reference;
    const method = methodOf(req);
    const action =
      a.action && a.action.type === "redirect" && typeof a.action.url === "string"
        ? {
            type: "redirect" as const,
            url: a.action.url,
            expires_at: typeof a.action.expires_at === "string" ? a.action.expires_at : null,
          }
        : undefined;
    switch (a.status) {
      case "authorized":
        return { outcome: "authorized", providerReference, method };
      case "requires_action":
        return action ? { outcome: "requires_action", providerReference, method, action } : undefined;
      case "pending":
        return action ? { outcome: "pending", providerReference, method, action } : undefined;
      case "declined":
        return {
          outcome: "declined",
          providerReference,
          method,
          decline: declineOf(reasonOf(a.decline_reason)),
        };
      default:
        return undefined;
    }
  }

  /** A capture, void, refund or 3-D Secure result: a decline is a value; no answer is `bank_unavailable`. */
  private async operation(
    path: string,
    body: Record<string, unknown>,
    key?: string,
  ): Promise<OperationResult> {
    const sent = await this.send("POST", path, key, body);
    if (!sent.ok || sent.status >= 300) return { ok: false, decline: declineOf("bank_unavailable") };
    const answer = sent.json as { status?: unknown; decline_reason?: unknown };
    if (answer?.status === "succeeded" || answer?.status === "voided") return { ok: true };
    return { ok: false, decline: declineOf(reasonOf(answer?.decline_reason)) };
  }

  private async send(
    method: "GET" | "POST",
    path: string,
    key: string | undefined,
    body: unknown,
  ): Promise<Sent> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers: Record<string, string> = {
      Accept: "application/json",
      [ACQUIRER_SIGNATURE_HEADER]: await signAcquirerMessage(this.opts.secret, text, Date.now()),
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    try {
      const res = await fetch(new URL(path.replace(/^\//, ""), withSlash(this.opts.baseUrl)), {
        method,
        headers,
        ...(body !== undefined ? { body: text } : {}),
        redirect: "manual",
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const answer = await readBounded(res.body, MAX_ANSWER_BYTES);
      if (res.status >= 500) return { ok: false, kind: "server_error", message: `status ${res.status}` };
      if (res.status >= 400 && res.status !== 404 && res.status !== 422)
        return { ok: false, kind: "rejected", message: `status ${res.status}` };
      let json: unknown = null;
      try {
        json = answer ? JSON.parse(answer) : null;
      } catch {
        return { ok: false, kind: "rejected", message: "unreadable answer" };
      }
      return { ok: true, status: res.status, json };
    } catch (err) {
      const timeout = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      return {
        ok: false,
        kind: timeout ? "timeout" : "network",
        message: timeout ? "timeout" : "network error",
      };
    }
  }
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

const reasonOf = (value: unknown): DeclineReason =>
  DECLINE_REASONS.includes(value as DeclineReason) ? (value as DeclineReason) : "do_not_honor";

/** The method as known before authorization: the acquirer never sends card details back. */
function methodOf(req: AuthorizeRequest): PaymentMethod {
  const card = req.signals.card;
  if (card) return { type: "card", card: { brand: card.brand, first6: card.first6, last4: card.last4 } };
  return req.signals.method === "bank_redirect" ? { type: "bank_redirect" } : { type: "qr" };
}
