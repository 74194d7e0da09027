import type { ScoreRequest, ScoringConnector } from "./types";

/** The metadata key whose value the sandbox answers as the score (docs/risk.md). */
export const SANDBOX_SCORE_KEY = "sandbox_risk_score";

/**
 * The sandbox's scoring service, deterministic: `metadata.sandbox_risk_score` set to 0–100 is the
 * score; `timeout` never answers (until the caller gives up); `error` fails; otherwise the score is
 * the amount's last two digits (an amount of 15 000 scores 0, 15 075 scores 75).
 */
export class SandboxScoringConnector implements ScoringConnector {
  async score(req: ScoreRequest, signal: AbortSignal): Promise<number> {
    const asked = req.metadata[SANDBOX_SCORE_KEY];
    if (asked === "timeout") {
      return new Promise<number>((_, reject) => {
        signal.addEventListener("abort", () => reject(new Error("scoring aborted")), { once: true });
      });
    }
    if (asked === "error") throw new Error("sandbox scoring failure");
    if (asked !== undefined && /^(100|[1-9]?\d)$/.test(asked)) return Number(asked);
    return req.amount % 100;
  }
}
