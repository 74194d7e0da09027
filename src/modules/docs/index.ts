import type { Module } from "../../platform/http/module";
import { registerChangelogRoute } from "./changelog";
import { registerOpenApiRoute } from "./openapi";
import { registerDocsRoute } from "./page";

/** The developer documentation: the OpenAPI document, the docs page rendered from it, the changelog. */
export const docsModule: Module = {
  name: "docs",
  register(app) {
    registerOpenApiRoute(app);
    registerDocsRoute(app);
    registerChangelogRoute(app);
  },
};
