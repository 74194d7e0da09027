/**
 * Import rules for src/ and durable-objects/ (`npm run lint:deps`, part of `npm test`).
 * Data flows one way: request → middleware → route → service → (Durable Object | D1 | connector | queue).
 * Type-only imports count (tsPreCompilationDeps): a cycle through types still ties modules together.
 * Each rule here holds today; add one only once its last offending edge is gone.
 */
const platformLayers = "^src/(routes|middleware)/|^src/(app|index|error-handler|envelope)[.]ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles: move what both sides need into a module both import.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "An import the cruiser cannot resolve is an edge no rule sees.",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "lib-is-a-leaf",
      severity: "error",
      comment: "src/lib knows nothing of the gateway: it imports only other src/lib modules.",
      from: { path: "^src/lib/" },
      to: { pathNot: "^src/lib/" },
    },
    {
      name: "storage-not-upward",
      severity: "error",
      comment: "src/db is storage: it never imports a route, middleware, the app or a Durable Object.",
      from: { path: "^src/db/" },
      to: { path: [platformLayers, "^durable-objects/"] },
    },
    {
      name: "services-not-http",
      severity: "error",
      comment: "A service never sees a Context or builds a Response: no routes, middleware or hono.",
      from: { path: "^src/services/" },
      to: { path: [platformLayers, "^node_modules/(hono|@hono)/"] },
    },
    {
      name: "connectors-not-upward",
      severity: "error",
      comment: "A connector talks to a bank system: no routes, middleware, storage or Durable Objects.",
      from: { path: "^src/connectors/" },
      to: { path: [platformLayers, "^src/db/", "^durable-objects/"] },
    },
    {
      name: "ratelimit-knows-no-product",
      severity: "error",
      comment: "The limiter backends know no product: no services, connectors, storage or HTTP layers.",
      from: { path: "^src/ratelimit/" },
      to: { path: [platformLayers, "^src/(services|connectors|db)/", "^durable-objects/"] },
    },
    {
      name: "middleware-not-routes",
      severity: "error",
      comment: "Middleware runs before a route and knows none of them.",
      from: { path: "^src/middleware/" },
      to: { path: "^src/routes/|^src/(app|index)[.]ts$" },
    },
    {
      name: "durable-objects-not-http",
      severity: "error",
      comment: "Durable Objects are reached by RPC from services: they never import the HTTP layers.",
      from: { path: "^durable-objects/" },
      to: { path: platformLayers },
    },
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    builtInModules: { add: ["cloudflare:workers"] },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["types", "import", "require", "default"],
      mainFields: ["types", "typings", "module", "main"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
