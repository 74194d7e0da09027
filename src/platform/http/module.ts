import type { OpenAPIHono } from "@hono/zod-openapi";
import type { OwnKeyStore } from "../idempotency-store";
import type { AppEnv } from "../types";

/**
 * A domain module as the app sees it: a name and the routes it registers. `src/modules/index.ts`
 * lists them; `app.ts` mounts each and knows nothing else about them.
 */
export interface Module {
  readonly name: string;
  /** Registers the module's routes (and their OpenAPI documentation) on the app. */
  register(app: OpenAPIHono<AppEnv>): void;
  /** Creates whose object keeps its own Idempotency-Key (see the idempotency middleware). */
  readonly ownKeys?: readonly OwnKeyStore[];
}
