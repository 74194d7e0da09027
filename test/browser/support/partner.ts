import { randomUUID } from "node:crypto";
import createClient, { type Client } from "openapi-fetch";
// Generated from /openapi.json by `npm run client:generate` (run by `npm run typecheck`).
import type { paths } from "../../generated/portico-api";

/** The demo partner `npm run dev` seeds (scripts/lib/demo.ts), as the gateway under test has it. */
export const DEMO = { consumerKey: "ck_test_demo", consumerSecret: "cs_test_demo_secret" };

/** A fresh key per operation, as the document requires on every POST. */
export const once = () => ({ "Idempotency-Key": randomUUID() });

/** The demo partner's typed client over HTTP, already holding a client_credentials token. */
export async function demoClient(origin: string): Promise<Client<paths>> {
  const client = createClient<paths>({ baseUrl: origin });
  const basic = Buffer.from(`${DEMO.consumerKey}:${DEMO.consumerSecret}`).toString("base64");
  const token = await client.POST("/oauth2/token", {
    headers: { Authorization: `Basic ${basic}` },
    body: { grant_type: "client_credentials" },
  });
  const accessToken = token.data?.access_token;
  if (!accessToken) throw new Error(`no token for the demo partner: HTTP ${token.response.status}`);
  client.use({
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${accessToken}`);
      return request;
    },
  });
  return client;
}
