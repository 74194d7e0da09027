// `npm run openapi:export > file`: the OpenAPI document exactly as GET /openapi.json serves it, built by
// the same code in Node, for the tools that read it offline (Spectral, openapi-typescript). It imports
// the Worker's code, so it is type-checked with the Worker (tsconfig.json), and only writes to stdout.
// The sandbox's document; `-- --production` for production's (the onboarding and terms operations).
import { createApp } from "../src/app";
import { componentNameClashes } from "../src/modules/docs/component-names";
import { buildOpenApi } from "../src/modules/docs/openapi";

const app = createApp();
const clashes = componentNameClashes(app);
if (clashes.length > 0)
  throw new Error(`component names used by more than one schema: ${clashes.join(", ")}`);
const environment = process.argv.includes("--production") ? "production" : "sandbox";
console.log(JSON.stringify(buildOpenApi(app, "http://127.0.0.1:8787", environment), null, 2));
