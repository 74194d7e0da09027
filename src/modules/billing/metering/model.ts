import type { Outcome } from "./storage";

/**
 * The refusals counted as `refused`, never billed (docs/metering.md): the call did no work for
 * the partner. 40 rate limited and 41 daily quota (429), 42 the limiter unavailable (503): the
 * limiter's own answers; 170 (429) the plan's included calls used up under blocking overage.
 * 52 (409) the same Idempotency-Key still running: the call that holds it is the one counted.
 * 31 (404) no route and 5 (405) no such method: no operation exists to bill.
 */
export const REFUSED_CODES: ReadonlySet<number> = new Set([5, 31, 40, 41, 42, 52, 170]);

/** What a call with this status and error code counts as. */
export function outcomeOf(status: number, code: number | null): Outcome {
  if (code !== null && REFUSED_CODES.has(code)) return "refused";
  if (status < 400) return "success";
  return status < 500 ? "client_error" : "server_error";
}

/** The operation a call without a matched route is counted under (404/405): one row, not one per path. */
export const UNMATCHED = "unmatched";

/** One counted call, as the middleware hands it to its isolate's window. */
export interface MeteredCall {
  partnerId: string;
  hour: string;
  product: string;
  operation: string;
  outcome: Outcome;
  /** A keyed POST whose answer the idempotency layer stored (or replayed): the SHA-256 of its scope. */
  scope?: string;
}

/** `[partnerId, hour, product, operation, outcome, calls]`: un-keyed calls summed. */
export type CountTuple = [string, string, string, string, Outcome, number];
/** `[scope, partnerId, hour, product, operation, outcome]`: one keyed call, counted once by scope. */
export type KeyedTuple = [string, string, string, string, string, Outcome];

/** One METERING_QUEUE message: an isolate's window of calls, counted once by its `id`. */
export interface MeteringMessage {
  id: string;
  counts: CountTuple[];
  keyed: KeyedTuple[];
}

/** A window's calls as they are gathered: un-keyed ones summed per row, keyed ones each once. */
export interface MessageDraft {
  counts: Map<string, CountTuple>;
  keyed: Map<string, KeyedTuple>;
  /** Every call added, summed or not. */
  calls: number;
}

export const emptyDraft = (): MessageDraft => ({ counts: new Map(), keyed: new Map(), calls: 0 });

/** Adds a call to the draft: a keyed call seen twice (answered, then replayed) is one call. */
export function addToDraft(draft: MessageDraft, c: MeteredCall): void {
  draft.calls += 1;
  if (c.scope !== undefined) {
    if (!draft.keyed.has(c.scope))
      draft.keyed.set(c.scope, [c.scope, c.partnerId, c.hour, c.product, c.operation, c.outcome]);
    return;
  }
  const k = `${c.partnerId}\n${c.hour}\n${c.product}\n${c.operation}\n${c.outcome}`;
  const row = draft.counts.get(k);
  if (row) row[5] += 1;
  else draft.counts.set(k, [c.partnerId, c.hour, c.product, c.operation, c.outcome, 1]);
}

/** The draft as the message sent, under a fresh window `id`. */
export const messageOfDraft = (id: string, draft: MessageDraft): MeteringMessage => ({
  id,
  counts: [...draft.counts.values()],
  keyed: [...draft.keyed.values()],
});

/** The window's calls as one message: un-keyed calls summed per row, keyed ones each on their own. */
export function messageOf(id: string, calls: readonly MeteredCall[]): MeteringMessage {
  const draft = emptyDraft();
  for (const c of calls) addToDraft(draft, c);
  return messageOfDraft(id, draft);
}
