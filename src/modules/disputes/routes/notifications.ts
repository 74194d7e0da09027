import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { validationError } from "../../../platform/envelope";
import { ApiError } from "../../../platform/errors";
import { readBounded } from "../../../platform/lib/bounded";
import { CURRENCIES } from "../../../platform/lib/money";
import type { AppEnv } from "../../../platform/types";
import { DISPUTE_REASONS } from "../model";
import {
  applyNotification,
  checkSignature,
  type Notification,
  SIGNATURE_TOLERANCE_SECONDS,
} from "../notifications";
import { withPayments } from "./deps";

export const NOTIFICATIONS_PATH = "/connectors/acquirer-http/notifications";
const MAX_NOTIFICATION_BYTES = 64 * 1024;

const Id = z.string().min(1).max(255);
const NotificationSchema = z.discriminatedUnion("type", [
  z.object({
    id: Id,
    type: z.literal("dispute.opened"),
    provider_reference: Id,
    dispute_reference: Id,
    amount: z.number().int().min(1),
    currency: z.enum(CURRENCIES),
    reason: z.enum(DISPUTE_REASONS),
    evidence_due_by: z.iso.datetime(),
  }),
  z.object({ id: Id, type: z.enum(["dispute.won", "dispute.lost"]), dispute_reference: Id }),
]);

/**
 * The acquirer's endpoint (docs/disputes.md#notifications-from-the-acquirer): not a partner API, so
 * not in the partners' OpenAPI document. Its refusals answer the error envelope: 401 (215, 216) for
 * a signature refused, 400 for a body that is not a notification, 404 (30, 217), 409 (60, 61, 210),
 * 413, and 503 (90) without the shared secret.
 */
export function registerNotifications(app: OpenAPIHono<AppEnv>) {
  app.post(NOTIFICATIONS_PATH, async function acquirerNotification(c) {
    const secret = c.env.ACQUIRER_HTTP_SECRET;
    if (!secret) throw new ApiError("service_unavailable");
    const text = await readBounded(c.req.raw.body, MAX_NOTIFICATION_BYTES);
    if (text === undefined) throw new ApiError("payload_too_large", { limit: MAX_NOTIFICATION_BYTES });
    const nowSeconds = Math.floor(Date.now() / 1000);
    const check = await checkSignature(secret, c.req.header("Portico-Acquirer-Signature"), text, nowSeconds);
    if (check === "invalid") throw new ApiError("acquirer_signature_invalid");
    if (check === "stale")
      throw new ApiError("acquirer_signature_stale", { tolerance: SIGNATURE_TOLERANCE_SECONDS });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError("invalid_json");
    }
    const parsed = NotificationSchema.safeParse(body);
    if (!parsed.success) throw validationError(parsed.error, body, "json");
    const outcome = await applyNotification(
      withPayments(c),
      parsed.data as Notification,
      new Date().toISOString(),
    );
    c.get("log").info("acquirer notification", {
      type: parsed.data.type,
      dispute_id: outcome.dispute.id,
      replayed: outcome.replayed,
    });
    return c.json({
      received: true,
      replayed: outcome.replayed,
      dispute_id: outcome.dispute.id,
      status: outcome.dispute.status,
    });
  });
}
