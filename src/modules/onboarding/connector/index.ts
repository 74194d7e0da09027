import type { Config } from "../../../platform/env";
import { ApiError } from "../../../platform/errors";
import { upstreamFor } from "../../../platform/upstream";
import { HttpNotificationConnector } from "./notifications";
import { HttpTurnstileConnector, TURNSTILE_BASE_URL } from "./turnstile";
import type { NotificationConnector, TurnstileConnector } from "./types";

/** Turnstile's siteverify; without a secret key registration refuses (code 90): it fails closed. */
export function turnstileConnectorFor(config: Config): TurnstileConnector {
  if (!config.TURNSTILE_SECRET_KEY) throw new ApiError("service_unavailable");
  return new HttpTurnstileConnector(
    config.TURNSTILE_SECRET_KEY,
    config.UPSTREAM_URLS.turnstile ?? TURNSTILE_BASE_URL,
    config.UPSTREAM_TIMEOUT_MS,
  );
}

/**
 * The notification service (`UPSTREAM_URLS.notifications`). There is no simulator: without a URL
 * the registration is refused (code 91) rather than accepted with an email nobody sends.
 */
export function notificationConnectorFor(config: Config): NotificationConnector {
  const upstream = upstreamFor(config, "notifications");
  if (!upstream) throw new ApiError("upstream_unavailable", { system: "notifications" });
  return new HttpNotificationConnector(upstream);
}
