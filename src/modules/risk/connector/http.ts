import type { HttpUpstream } from "../../../platform/upstream";
import type { ScoreRequest, ScoringConnector } from "./types";

/** The bank's scoring service: `POST /v1/score` answering `{ "score": 0–100 }`. */
export class HttpScoringConnector implements ScoringConnector {
  constructor(private readonly upstream: HttpUpstream) {}

  async score(req: ScoreRequest): Promise<number> {
    const answer = await this.upstream.call<{ score?: unknown }>("POST", "/v1/score", {
      payment_id: req.paymentId,
      amount: req.amount,
      currency: req.currency,
      method: req.method,
      card: req.card,
      customer: req.customer,
      client: req.client,
    });
    const score = answer.score;
    if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 100)
      throw new Error("scoring answered no score in 0–100");
    return score;
  }
}
