// The partner-side workload: concurrent workers, each running flows one after another, every
// step an operation of the history. The mix covers each kind of write the product has: card,
// 3-D Secure, A2A (bank redirect) and QR payments, captures, partial refunds, payouts (paid and
// failed), card issue and block, FX conversions and loan acceptance. A flow stops at a step
// that is refused or unanswered; the checker holds every answered step to account.
import type { ChaosClient, Operation } from "./client";
import type { Random } from "./random";

export interface FlowContext {
  rng: Random;
  partner: number;
  /** Runs one operation of this worker; a POST gets its own Idempotency-Key. */
  op(kind: string, method: "GET" | "POST", path: string, body?: unknown): Promise<Operation>;
}

/** The operation's answer `result`, when it was a 200. */
export const resultOf = (op: Operation): Record<string, unknown> | undefined =>
  op.answer?.status === 200 ? (op.answer.body.result ?? undefined) : undefined;

const meta = (op: string) => ({ chaos_op: op });
const part = (rng: Random, amount: number, from: number, to: number) =>
  Math.max(1, Math.floor((amount * rng.int(from, to)) / 100));

async function payment(ctx: FlowContext, token: string, capture: boolean, tag: string) {
  const amount = ctx.rng.int(10_000, 500_000);
  return ctx.op("payment", "POST", "/v1/payments", {
    params: { amount, currency: "UZS", payment_method_token: token, capture, metadata: meta(tag) },
  });
}

async function maybeRefund(ctx: FlowContext, paid: Record<string, unknown> | undefined) {
  if (paid?.status !== "captured" || !ctx.rng.chance(0.5)) return;
  const amount = part(ctx.rng, Number(paid.amount_captured), 10, 40);
  await ctx.op("refund", "POST", `/v1/payments/${paid.id}/refunds`, { params: { amount } });
}

type Flow = (ctx: FlowContext, tag: string) => Promise<void>;

const FLOWS: [string, number, Flow][] = [
  [
    "card",
    5,
    async (ctx, tag) => {
      const created = resultOf(await payment(ctx, ctx.rng.pick(["pm_card_visa", "pm_card_mastercard"]), true, tag));
      await maybeRefund(ctx, created);
    },
  ],
  [
    "authorise then capture",
    2,
    async (ctx, tag) => {
      const created = resultOf(await payment(ctx, "pm_card_visa", false, tag));
      if (created?.status !== "authorized") return;
      const amount = part(ctx.rng, Number(created.amount_capturable), 50, 100);
      const captured = resultOf(
        await ctx.op("capture", "POST", `/v1/payments/${created.id}/capture`, { params: { amount } }),
      );
      await maybeRefund(ctx, captured);
    },
  ],
  [
    "3-D Secure",
    2,
    async (ctx, tag) => {
      const created = resultOf(await payment(ctx, "pm_card_3ds", true, tag));
      if (created?.status !== "requires_action") return;
      const authentication_result = ctx.rng.chance(0.85) ? "success" : "failure";
      await ctx.op("confirm", "POST", `/v1/payments/${created.id}/confirm`, {
        params: { authentication_result },
      });
    },
  ],
  [
    "A2A",
    2,
    async (ctx, tag) => {
      const created = resultOf(await payment(ctx, "pm_bank_redirect", true, tag));
      if (created?.status !== "pending") return;
      const outcome = ctx.rng.chance(0.85) ? "succeeded" : "failed";
      await ctx.op("simulate", "POST", `/v1/sandbox/payments/${created.id}/simulate`, { params: { outcome } });
    },
  ],
  [
    "QR",
    1,
    async (ctx, tag) => {
      const created = resultOf(await payment(ctx, "pm_qr", true, tag));
      if (created?.status !== "pending") return;
      await ctx.op("simulate", "POST", `/v1/sandbox/payments/${created.id}/simulate`, {
        params: { outcome: "succeeded" },
      });
    },
  ],
  [
    "payout",
    3,
    async (ctx, tag) => {
      const destination_token = ctx.rng.chance(0.8) ? "dest_tok_ok" : "dest_tok_fail";
      await ctx.op("payout", "POST", "/v1/payouts", {
        params: { amount: ctx.rng.int(1_000, 60_000), currency: "UZS", destination_token, metadata: meta(tag) },
      });
    },
  ],
  [
    "card issue and block",
    1,
    async (ctx, tag) => {
      const application = resultOf(
        await ctx.op("card application", "POST", "/v1/cards/applications", {
          params: {
            type: "virtual",
            currency: "UZS",
            applicant: {
              full_name: "Chaos Holder",
              phone_number: `+99890${ctx.rng.int(1_000_000, 9_999_999)}`,
              birth_date: "1990-05-17",
              document_number: `AB${ctx.rng.int(1_000_000, 9_999_999)}`,
            },
            metadata: meta(tag),
          },
        }),
      );
      const card = application?.card as { id?: string } | null | undefined;
      if (!card?.id) return;
      await ctx.op("card block", "POST", `/v1/cards/${card.id}/block`, {
        params: { reason: ctx.rng.pick(["lost", "stolen", "requested_by_customer"]) },
      });
    },
  ],
  [
    "FX conversion",
    2,
    async (ctx) => {
      const quote = resultOf(
        await ctx.op("fx quote", "POST", "/v1/fx/quotes", {
          params: { sell_currency: "UZS", buy_currency: "USD", sell_amount: ctx.rng.int(20_000, 120_000) },
        }),
      );
      if (typeof quote?.id !== "string") return;
      await ctx.op("fx conversion", "POST", "/v1/fx/conversions", { params: { quote_id: quote.id } });
    },
  ],
  [
    "loan",
    1,
    async (ctx) => {
      const application = resultOf(
        await ctx.op("loan application", "POST", "/v1/loans/applications", {
          params: {
            applicant: {
              full_name: "Chaos Borrower",
              // 14 digits outside the sandbox's special values: approved.
              document_number: `4${ctx.rng.int(1_000_000, 9_999_999)}${ctx.rng.int(100_000, 999_999)}`,
              phone_number: `+99891${ctx.rng.int(1_000_000, 9_999_999)}`,
              birth_date: "1988-02-03",
            },
            amount: ctx.rng.int(100_000, 2_000_000),
            currency: "UZS",
            term_months: ctx.rng.pick([6, 12, 24]),
          },
        }),
      );
      if (application?.status !== "approved") return;
      await ctx.op("loan acceptance", "POST", `/v1/loans/applications/${application.id}/accept`, { params: {} });
    },
  ],
];

const WEIGHTED = FLOWS.flatMap(([name, weight, flow]) => Array<[string, Flow]>(weight).fill([name, flow]));

export interface WorkerSpec {
  index: number;
  partner: number;
  rng: Random;
  keyPrefix: string;
}

/** One worker: flows until `more()` says stop; every step goes through the client. */
export async function runWorker(client: ChaosClient, spec: WorkerSpec, more: () => boolean): Promise<void> {
  let n = 0;
  const ctx: FlowContext = {
    rng: spec.rng,
    partner: spec.partner,
    op: (kind, method, path, body) => {
      const id = `w${spec.index}.${++n}`;
      return client.run({
        id,
        partner: spec.partner,
        kind,
        method,
        path,
        ...(body === undefined ? {} : { body }),
        ...(method === "POST" ? { key: `${spec.keyPrefix}-${id}` } : {}),
      });
    },
  };
  while (more()) {
    const [, flow] = spec.rng.pick(WEIGHTED);
    // The tag in a create's metadata is the create's own operation id: the flow's first step.
    await flow(ctx, `w${spec.index}.${n + 1}`);
  }
}
