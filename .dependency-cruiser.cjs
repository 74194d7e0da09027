/**
 * Import rules for src/ and durable-objects/ (`npm run lint:deps`, part of `npm test`).
 * The shape: src/platform knows no product; src/modules/<domain> each hold a domain's routes,
 * model, rules, storage and connector; src/app.ts, src/index.ts, src/queues.ts and src/scheduled.ts compose them.
 * Data flows one way: request → middleware → route → service → (Durable Object | D1 | connector | queue).
 * Type-only imports count (tsPreCompilationDeps): a cycle through types still ties modules together.
 */
const entry = "^src/(app|index|queues|scheduled)[.]ts$";
const http = "^src/modules/[^/]+/(routes|sandbox-pages|pages)/|^src/modules/[^/]+/(index|authenticate|consent-gate|terms-gate|record-requests)[.]ts$|^src/modules/index[.]ts$|^src/modules/(docs|status)/|^src/modules/portal/api[.]ts$|^src/modules/console/(admin-call|site)[.]ts$|^src/platform/(http|middleware|web)/|^src/platform/(envelope|error-handler)[.]ts$";

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
      name: "platform-knows-no-module",
      severity: "error",
      comment: "src/platform knows no product: never a module, an entry point or a Durable Object.",
      from: { path: "^src/platform/" },
      to: { path: ["^src/modules/", entry, "^durable-objects/"] },
    },
    {
      name: "lib-is-a-leaf",
      severity: "error",
      comment: "src/platform/lib holds pure helpers: it imports only other helpers.",
      from: { path: "^src/platform/lib/" },
      to: { pathNot: "^src/platform/lib/" },
    },
    {
      name: "storage-is-storage",
      severity: "error",
      comment:
        "A module's storage (its tables and queries) imports the platform, its own model and other modules' storage: never a service, a connector, a route or a Durable Object.",
      from: { path: "^src/modules/[^/]+/storage[.]ts$" },
      to: {
        path: "^src/modules/|^durable-objects/|" + entry,
        pathNot: "^src/modules/[^/]+/(storage|model)[.]ts$",
      },
    },
    {
      name: "services-not-http",
      severity: "error",
      comment: "A module's rules never see a Context or build a Response: no routes, middleware or hono.",
      from: { path: "^src/modules/[^/]+/[^/]+[.]ts$", pathNot: http },
      to: { path: [http, entry, "^node_modules/(hono|@hono)/"] },
    },
    {
      name: "connectors-not-upward",
      severity: "error",
      comment: "A connector talks to a bank system: only the platform, its own connector and its module's model.",
      from: { path: "^src/modules/([^/]+)/connector/" },
      to: {
        path: "^src/modules/|^durable-objects/|" + entry,
        pathNot: ["^src/modules/$1/connector/", "^src/modules/$1/model[.]ts$"],
      },
    },
    {
      name: "ratelimit-knows-no-product",
      severity: "error",
      comment: "The limiter backends know no product and no HTTP: only the platform's helpers and configuration.",
      from: { path: "^src/platform/ratelimit/" },
      to: { path: "^src/platform/(http|middleware|db|events)/" },
    },
    {
      name: "middleware-not-routes",
      severity: "error",
      comment: "Middleware runs before a route and knows none of them.",
      from: { path: "^src/platform/middleware/|^src/modules/[^/]+/(authenticate|consent-gate|terms-gate|record-requests)[.]ts$" },
      to: { path: "^src/modules/[^/]+/routes/|" + entry },
    },
    {
      name: "durable-objects-not-http",
      severity: "error",
      comment: "Durable Objects are reached by RPC from services: they never import the HTTP layers.",
      from: { path: "^durable-objects/" },
      to: { path: [http, entry] },
    },
    {
      name: "routes-through-services",
      severity: "error",
      comment: "A route calls its module's rules: never storage, the database or a Durable Object directly.",
      from: { path: "^src/modules/[^/]+/(routes|sandbox-pages)/" },
      to: { path: ["^src/modules/[^/]+/storage[.]ts$", "^src/platform/db/", "^durable-objects/"] },
    },
    {
      name: "modules-apart",
      severity: "error",
      comment:
        "One module reaches another through its rules, model or storage, never its routes or connector.",
      from: { path: "^src/modules/([^/]+)/" },
      to: {
        path: "^src/modules/[^/]+/(routes|connector|sandbox-pages)/",
        pathNot: "^src/modules/$1/",
      },
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
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
