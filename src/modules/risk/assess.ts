import { type VelocityRequest, velocityObjectName } from "../../../durable-objects/risk-velocity";
import { createDb } from "../../platform/db/client";
import { type Env, loadConfig } from "../../platform/env";
import { DeadlineExceeded, withDeadline } from "../../platform/lib/deadline";
import { uuidv7 } from "../../platform/lib/ids";
import type { CreatePaymentInput } from "../payments/model";
import { scoringConnectorFor } from "./connector";
import { evaluate, needsScore, type ScoreResult, windowsOf } from "./engine";
import { allEntries, getSettings } from "./lists";
import { customerReferenceOf, type RiskOutcome, type VelocitySubject } from "./model";
import { listRules } from "./rules";

/**
 * The assessment of a payment before its authorization (docs/risk.md): the partner's lists,
 * rules and settings from D1, the velocity object's windows (which records this payment), the
 * scoring service when a rule asks for a score, then the engine. A hold opens a review (its id
 * chosen here, so the payment's object persists it with the rest). Called once per payment: the
 * payment's object keeps the answer with its create's attempt, and the velocity object answers
 * a repeated payment id with its first answer.
 */
export async function assessPayment(env: Env, input: CreatePaymentInput): Promise<RiskOutcome> {
  const db = createDb(env.DB);
  const config = loadConfig(env);
  const [rules, lists, settings] = await Promise.all([
    listRules(db, input.partnerId),
    allEntries(db, input.partnerId),
    getSettings(db, input.partnerId),
  ]);
  const { signals } = input;
  const now = Date.parse(input.now);
  const customer = customerReferenceOf(signals.customer, input.metadata);
  const keys: Partial<Record<VelocitySubject, string>> = {
    ...(signals.card ? { card: signals.card.fingerprint } : {}),
    ...(customer ? { customer } : {}),
    ...(signals.client.ip ? { ip: signals.client.ip } : {}),
  };
  const request: VelocityRequest = {
    paymentId: input.paymentId,
    at: now,
    amount: input.amount,
    currency: input.currency,
    keys,
    windows: windowsOf(rules),
  };
  const velocityStub = env.RISK.get(
    env.RISK.idFromName(velocityObjectName(config.ENVIRONMENT, input.partnerId)),
  );
  const [velocity, score] = await Promise.all([
    velocityStub.assess(request),
    needsScore(rules) ? scoreOf(config, input, customer, settings.scoring_timeout_ms) : notUsed,
  ]);
  const assessed = evaluate({
    amount: input.amount,
    currency: input.currency,
    signals,
    lists,
    rules,
    velocity,
    score,
    fallback: settings.scoring_fallback,
    now,
  });
  const review =
    assessed.decision === "hold"
      ? { id: uuidv7(now), status: "open" as const, capture_on_approval: input.capture }
      : null;
  return { ...assessed, review };
}

const notUsed: Promise<ScoreResult> = Promise.resolve({ status: "not_used" });

/** The score, bounded by the partner's timeout; a late or failed answer is a status, never an error. */
async function scoreOf(
  config: ReturnType<typeof loadConfig>,
  input: CreatePaymentInput,
  customer: string | null,
  timeoutMs: number,
): Promise<ScoreResult> {
  const connector = scoringConnectorFor(config, timeoutMs);
  if (!connector) return { status: "failed" };
  const { card, client, method } = input.signals;
  const abort = new AbortController();
  try {
    const work = connector.score(
      {
        paymentId: input.paymentId,
        amount: input.amount,
        currency: input.currency,
        method,
        card: card
          ? { brand: card.brand, bin: card.first6, country: card.country, fingerprint: card.fingerprint }
          : null,
        customer,
        client,
        metadata: input.metadata,
      },
      abort.signal,
    );
    return { status: "ok", value: await withDeadline(work, timeoutMs) };
  } catch (err) {
    return { status: err instanceof DeadlineExceeded ? "timeout" : "failed" };
  } finally {
    abort.abort();
  }
}
