import type { Env } from "../../platform/env";

/** What a `jti` is remembered for: DPoP proofs and client assertions never share an object. */
export type ReplayPurpose = "dpop" | "client_assertion";

/**
 * Claims `jti` once for `clientId` and `purpose` until `untilMs`, across every isolate (the
 * ReplayGuard object of that client). True: first use; false: a replay, to refuse.
 */
export async function claimJti(
  env: Pick<Env, "REPLAY_GUARD" | "ENVIRONMENT">,
  clientId: string,
  purpose: ReplayPurpose,
  jti: string,
  untilMs: number,
): Promise<boolean> {
  const name = `${env.ENVIRONMENT}:${purpose}:${clientId}`;
  const stub = env.REPLAY_GUARD.get(env.REPLAY_GUARD.idFromName(name));
  return stub.claim(jti, untilMs, Date.now());
}
