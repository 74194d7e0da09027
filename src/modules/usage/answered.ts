import type { LogProduct } from "./model";

/**
 * What a /v1 call was and how it ended, taken once from the context after the answer (`answeredCall`,
 * record-requests.ts): the request log's row and the metering's count both read it.
 */
export interface AnsweredCall {
  /** The template of the route that answered (`/v1/payments/:id`), null when none matched. */
  route: string | null;
  product: LogProduct;
  status: number;
  /** The error's code when an ApiError was thrown; otherwise read from `sent` when the answer is an error. */
  thrown?: number;
  /** The answer's text, read from a copy, when it is an error nobody threw (its code is in the text). */
  sent?: Promise<string | undefined> | string;
  /** Answered by the idempotency layer from its store (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

/** The envelope's `error.code`, when the text is one. */
export function errorCodeOf(text: string | undefined): number | null {
  if (!text) return null;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } | null }).error?.code;
    return typeof code === "number" && Number.isInteger(code) ? code : null;
  } catch {
    return null;
  }
}

/** The call's error code: the thrown one, else the one its answer's text carries (null: none). */
export async function errorCodeOfCall(call: AnsweredCall): Promise<number | null> {
  if (call.thrown !== undefined) return call.thrown;
  return call.status >= 400 ? errorCodeOf(await call.sent) : null;
}
