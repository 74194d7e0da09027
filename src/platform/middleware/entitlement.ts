import { createMiddleware } from "hono/factory";
import type { Product } from "../catalog";
import { ApiError } from "../errors";
import { isProductDisabled } from "../kill-switches";
import type { AppEnv } from "../types";

/**
 * The one place a route's declared product and scope are enforced: the contract must
 * license the product (checked against the live, cached contract, so a withdrawn licence
 * bites within the cache TTL) and the token must carry the scope.
 */
export const requireEntitlement = (product: Product | null, scope: string) =>
  createMiddleware<AppEnv>(async function requireEntitlement(c, next) {
    if (product !== null && !c.get("partner").products.includes(product)) {
      throw new ApiError("product_not_licensed", { product });
    }
    // The operations kill switch (configuration or the admin API): a product switched off refuses
    // cleanly, before any work.
    const { db, config } = c.get("services");
    if (product !== null && (await isProductDisabled(db, config, product))) {
      throw new ApiError(
        "product_disabled",
        { product },
        { retryable: true, headers: { "Retry-After": "60" } },
      );
    }
    if (!c.get("caller").scopes.includes(scope) || !c.get("partner").scopes.includes(scope)) {
      throw new ApiError(
        "insufficient_scope",
        { scope },
        {
          headers: {
            "WWW-Authenticate": `Bearer realm="oauth2-resource", error="insufficient_scope", scope="${scope}"`,
          },
        },
      );
    }
    await next();
  });
