import type { Db } from "../../platform/db/client";
import type { Logger } from "../../platform/lib/logger";
import { errorCodeOf } from "./answered";
import type { RequestRecord } from "./model";
import { type KeptBody, keptBody } from "./redaction";
import { writeRow } from "./writer";

/** What the recording middleware took from the request and its answer, before anything is read. */
export interface CapturedRequest {
  row: Omit<
    RequestRecord,
    "errorCode" | "requestBody" | "requestBodyTruncated" | "responseBody" | "responseBodyTruncated"
  >;
  /** The error's code when an ApiError was thrown; otherwise read from the answer when it is an error. */
  errorCode?: number;
  /** The answer's text as sent, when it is needed (bodies kept, or an error's code to read). */
  sent?: Promise<string | undefined> | string;
  /** Sandbox: keep the bodies. */
  bodies?: {
    request: string | undefined;
    /** What the idempotency layer keeps for replays, when it differs from the answer (a secret shown once). */
    replay: string | undefined;
    /** The partner's licensed data categories: what the minimisation layer leaves unmasked. */
    licensed: readonly string[];
  };
}

const NONE: KeptBody = { body: null, truncated: false };

/**
 * Makes one row of the request log after the answer left (the caller hands this to `waitUntil`)
 * and answers when it is written, alone or in its isolate's next batch (`batchMs`, writer.ts).
 * Never throws: a row that cannot be made or written is logged by its error's name and dropped,
 * and the partner's call is unaffected.
 */
export async function recordRequest(
  db: Db,
  captured: CapturedRequest,
  log: Logger,
  batchMs: number,
): Promise<void> {
  let row: RequestRecord;
  try {
    const sent = await captured.sent;
    const errorCode = captured.errorCode ?? (captured.row.status >= 400 ? errorCodeOf(sent) : null);
    const bodies = captured.bodies;
    const request = bodies ? keptBody(bodies.request, bodies.licensed) : NONE;
    const response = bodies ? keptBody(bodies.replay ?? sent, bodies.licensed) : NONE;
    row = {
      ...captured.row,
      errorCode,
      requestBody: request.body,
      requestBodyTruncated: request.truncated,
      responseBody: response.body,
      responseBodyTruncated: response.truncated,
    };
  } catch (err) {
    log.warn("request not recorded", { error: err instanceof Error ? err.name : "unknown" });
    return;
  }
  await writeRow(db, row, batchMs, log);
}
