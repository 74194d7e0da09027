import { z } from "zod";
import { ApiError } from "../../../platform/errors";
import { uuidv7 } from "../../../platform/lib/ids";
import type { HttpUpstream } from "../../../platform/upstream";
import type { BlockReason } from "../model";
import type { BankCard, CardOrder, CardSystem, IssuingState, SubmittedOrder } from "./types";

// The card system speaks the bank's BaaS envelope (002): requests `{ id, params }`, answers
// `{ id, result, error: { code, message } | null }`, business errors 1000–1011. Paths are
// relative: UPSTREAM_URLS.cards is the system's base URL and ends with "/".

const WireCard = z.object({
  card_id: z.string().min(1).max(200),
  // Never more than first 6 + last 4: an answer with a full number is refused, not kept.
  masked_pan: z.string().regex(/^\d{6}\*{2,9}\d{4}$/),
  holder_name: z.string().min(1).max(200),
  expiry_month: z.number().int().min(1).max(12),
  expiry_year: z.number().int().min(2000).max(2100),
});

const WireOrder = z.object({
  application_id: z.string().min(1).max(200),
  status: z.enum(["in_progress", "completed"]),
  card: WireCard.nullish(),
});

const WireFound = WireCard.extend({ attached: z.boolean() });
const WireSms = z.object({ sent: z.boolean() });
const WireAny = z.unknown();

const Envelope = z.object({
  result: z.unknown().nullish(),
  error: z.object({ code: z.number().int() }).nullish(),
});

type Answer<T> = { ok: true; result: T } | { ok: false; code: number };

const toCard = (w: z.infer<typeof WireCard>): BankCard => ({
  reference: w.card_id,
  first6: w.masked_pan.slice(0, 6),
  last4: w.masked_pan.slice(-4),
  holderName: w.holder_name,
  expiryMonth: w.expiry_month,
  expiryYear: w.expiry_year,
});

/** The bank's card system over HTTP (timeouts, retries and the breaker are `HttpUpstream`'s). */
export class HttpCardSystem implements CardSystem {
  readonly name = "cards";

  constructor(private readonly upstream: HttpUpstream) {}

  async orderCard(order: CardOrder): Promise<IssuingState> {
    const params = { type: order.type, currency: order.currency, applicant: order.applicant };
    return this.issuing(await this.ask("POST", "applications", WireOrder, params, order.applicationId));
  }

  async orderStatus(order: SubmittedOrder): Promise<IssuingState> {
    const answer = await this.ask("GET", `applications/${encodeURIComponent(order.reference)}`, WireOrder);
    // The bank answers a GET of an order it is still working on with 1001.
    if (!answer.ok && answer.code === 1001) return { status: "in_progress", reference: order.reference };
    return this.issuing(answer);
  }

  async findCard(cardNumber: string) {
    const answer = await this.ask("POST", "cards/lookup", WireFound, { card_number: cardNumber });
    if (!answer.ok && answer.code === 1008) return undefined;
    if (!answer.ok && answer.code === 1011) throw new ApiError("card_already_attached");
    const found = this.expect(answer);
    return { ...toCard(found), attached: found.attached };
  }

  async sendAttachCode(req: { cardReference: string; phoneNumber: string; code: string }) {
    const path = `cards/${encodeURIComponent(req.cardReference)}/sms`;
    const answer = await this.ask("POST", path, WireSms, { phone_number: req.phoneNumber, code: req.code });
    if (!answer.ok && answer.code === 1006) return false;
    return this.expect(answer).sent;
  }

  async block(req: { cardReference: string; reason: BlockReason }) {
    const path = `cards/${encodeURIComponent(req.cardReference)}/block`;
    this.expect(await this.ask("POST", path, WireAny, { reason: req.reason }));
  }

  private issuing(answer: Answer<z.infer<typeof WireOrder>>): IssuingState {
    const order = this.expect(answer);
    if (order.status === "in_progress") return { status: "in_progress", reference: order.application_id };
    if (!order.card)
      throw new ApiError("upstream_failed", { status: 200, msg: "completed order without a card" });
    return { status: "completed", reference: order.application_id, card: toCard(order.card) };
  }

  /** The result of a successful answer; a business error nobody handled is a failed upstream call. */
  private expect<T>(answer: Answer<T>): T {
    if (answer.ok) return answer.result;
    // Only the code: the bank's message may carry personal data.
    throw new ApiError("upstream_failed", { status: 200, msg: `error code ${answer.code}` });
  }

  private async ask<T>(
    method: "GET" | "POST",
    path: string,
    schema: z.ZodType<T>,
    params?: unknown,
    id: string = uuidv7(),
  ): Promise<Answer<T>> {
    const raw = await this.upstream.call<unknown>(
      method,
      path,
      method === "POST" ? { id, params } : undefined,
    );
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) throw unreadable();
    if (envelope.data.error) return { ok: false, code: envelope.data.error.code };
    if (envelope.data.result === null || envelope.data.result === undefined)
      throw new ApiError("upstream_empty");
    const result = schema.safeParse(envelope.data.result);
    if (!result.success) throw unreadable();
    return { ok: true, result: result.data };
  }
}

const unreadable = () => new ApiError("upstream_failed", { status: 200, msg: "unreadable answer" });
