import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { registerCardApplicationRoutes } from "./applications";
import { registerCardAttachRoutes } from "./attach";
import { registerBlockCard } from "./block";
import { registerGetCard } from "./get";
import { registerListCards } from "./get_all";
import { registerCardSandboxRoutes } from "./simulate";

/** Cards (docs/products.md): order, attach by SMS code, list, get, block; the sandbox's simulate call. */
export function registerCardRoutes(app: OpenAPIHono<AppEnv>) {
  // Literal paths before `/v1/cards/{id}`.
  registerCardApplicationRoutes(app);
  registerCardAttachRoutes(app);
  registerListCards(app);
  registerGetCard(app);
  registerBlockCard(app);
  registerCardSandboxRoutes(app);
}
