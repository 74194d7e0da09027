import { randomToken } from "../../platform/lib/random";

/** Consumer keys and secrets carry their environment, so a credential can never cross over. */
export const KEY_PREFIX = { sandbox: "ck_test_", production: "ck_live_" } as const;
export const SECRET_PREFIX = { sandbox: "cs_test_", production: "cs_live_" } as const;

/** A new consumer key (18 random bytes) and secret (32 random bytes) for an environment. */
export function newConsumerKeyPair(env: "sandbox" | "production") {
  return {
    consumerKey: `${KEY_PREFIX[env]}${randomToken(18)}`,
    consumerSecret: `${SECRET_PREFIX[env]}${randomToken(32)}`,
  };
}
