import type { HttpUpstream } from "../../../platform/upstream";
import type { Notification, NotificationConnector } from "./types";

/**
 * The notification service over HTTP (system `notifications` in `UPSTREAM_URLS`, its bearer token
 * in `UPSTREAM_TOKENS`), on the shared upstream client: `POST messages {channel: "email", to,
 * subject, text, idempotency_key}` → any JSON object. Locally (`npm run dev`) the dev script's
 * mailbox answers it and prints each message; in the tests, the test receiver.
 */
export class HttpNotificationConnector implements NotificationConnector {
  constructor(private readonly upstream: HttpUpstream) {}

  async send(message: Notification): Promise<void> {
    await this.upstream.call("POST", "messages", {
      channel: "email",
      to: message.to,
      subject: message.subject,
      text: message.text,
      idempotency_key: message.idempotencyKey,
    });
  }
}
