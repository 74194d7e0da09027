import type { Module } from "../../platform/http/module";
import { registerOpenApiRoute } from "./openapi";
import { registerDocsRoute } from "./page";

/** The developer documentation: the OpenAPI document and the docs page rendered from it. */
export const docsModule: Module = {
  name: "docs",
  register(app) {
    registerOpenApiRoute(app);
    registerDocsRoute(app);
  },
};
