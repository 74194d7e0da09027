/** Cloudflare Turnstile's server-side check of a browser's challenge token. */
export interface TurnstileConnector {
  /** Whether the token passed; the error codes Cloudflare gave when it did not. */
  verify(token: string, remoteIp: string | undefined): Promise<{ success: boolean; errorCodes: string[] }>;
}

/** One message to a person (an email today). */
export interface Notification {
  to: string;
  subject: string;
  text: string;
  /** The sender's id for the message: the receiving service deduplicates on it (the outbox may resend). */
  idempotencyKey: string;
}

/** Sends notifications: the HTTP notification service (docs/onboarding.md). */
export interface NotificationConnector {
  send(message: Notification): Promise<void>;
}
