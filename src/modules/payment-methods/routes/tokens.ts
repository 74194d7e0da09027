import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { TOKENIZE_SCOPE, TOKENS_PATH } from "../authenticate";
import { tokenizeCard } from "../tokens";
import { tokenDeps } from "./deps";
import { CreateTokenRequest, TokenSchema } from "./schema";

// Authenticated by a publishable key, not the OAuth 2.0 bearer token the other /v1 routes take.
const defined = v1Route(
  {
    product: "payments",
    scope: TOKENIZE_SCOPE,
    errors: ["publishable_key_required", "card_number_invalid", "card_expired", "card_not_supported"],
  },
  {
    method: "post",
    path: TOKENS_PATH,
    operationId: "createCardToken",
    tags: ["Payment methods"],
    summary: "Tokenize a card",
    description:
      "Called from the customer's browser (the hosted card form does it for you) with your publishable key as the bearer (`Authorization: Bearer pk_test_…`), never an access token: your servers never see the card. The card goes to the bank's card vault; the answer is a single-use token (`pm_…`, 15 minutes) to pay with (POST /v1/payments) or to save to a customer. The number and CVC are never stored, logged or answered, and no refusal repeats them. Sandbox: only the test numbers of docs/payment-methods.md (184 otherwise).",
    request: { body: { required: true, content: { "application/json": { schema: CreateTokenRequest } } } },
    responses: okResponse("The single-use token", TokenSchema),
  },
);

const route = { ...defined, security: [{ publishableKey: [] }] };

export function registerTokenRoute(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { card } = c.req.valid("json").params;
    const token = await tokenizeCard(
      tokenDeps(c),
      c.get("partner"),
      { number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc },
      new Date(),
    );
    c.get("log").info("card tokenized", { token_id: token.id, brand: token.card.brand });
    return ok(c, token);
  });
}
