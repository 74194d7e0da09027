import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describe, expect, it } from "vitest";
import { ErrorEnvelopeSchema, validationError } from "../../src/platform/envelope";
import { catalogue } from "../../src/platform/errors";
import { runBattery } from "./battery";
import { ContractChecker } from "./checker";
import { ERROR_CODES, type OpenApiDocument, operationsOf } from "./openapi";
import { type ContractRequest, exchangeOf, toRequest } from "./request";

/** The ways a route can break its contract; each app below has one of them, or none. */
type Flaw =
  | "none"
  | "500 on an empty body"
  | "an undocumented status"
  | "a 2xx off its schema"
  | "a code not in the catalogue"
  | "a code with another status than the catalogue's"
  | "a code its status does not document"
  | "an error without the envelope"
  | "a write on a refusal"
  | "a bare 404 for an unknown path"
  | "accepting what its schema forbids";

const PATH = "/v1/widgets";
const Widget = z.object({ id: z.string(), name: z.string() }).openapi("Widget");
const CreateWidget = z
  .object({
    id: z.uuid().optional(),
    params: z.object({
      name: z.string().min(1).max(50),
      size: z.number().int().positive().max(1000).optional(),
    }),
  })
  .openapi("CreateWidgetRequest");

const envelope = (codes: number[]) => ({
  description: "refused",
  content: { "application/json": { schema: ErrorEnvelopeSchema } },
  [ERROR_CODES]: codes,
});

const refuse = (c: Context, status: number, code: number, reason: string) =>
  c.json(
    {
      id: crypto.randomUUID(),
      result: null,
      error: { code, message: reason, reason, docs: `/docs#error-${code}` },
    },
    status as ContentfulStatusCode,
  );

/**
 * A one-route gateway in miniature: media type, JSON, Idempotency-Key (docs/idempotency.md) and the
 * schema's validation as Portico answers them, and an in-memory list as its state.
 */
function widgetApp(flaw: Flaw) {
  const widgets: string[] = [];
  const keys = new Map<string, string>();
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const err = validationError(result.error, (result as { data?: unknown }).data, result.target);
      if (flaw === "a code not in the catalogue") return refuse(c, 400, 4242, "validation");
      if (flaw === "a code with another status than the catalogue's")
        return refuse(c, 422, err.code, err.reason);
      if (flaw === "an error without the envelope") return c.json({ message: err.message }, 400);
      return c.json({ id: crypto.randomUUID(), result: null, error: err.body() }, err.status);
    },
  });
  if (flaw !== "a bare 404 for an unknown path") app.notFound((c) => refuse(c, 404, 31, "route_not_found"));
  app.use("/v1/*", async function gateway(c, next) {
    const text = await c.req.text();
    if (text === "" && flaw === "500 on an empty body") return refuse(c, 500, 1, "unknown");
    // No body reads as `{}`, as the gateway's JSON body middleware has it: the schema decides.
    if (text === "") (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve("{}");
    else {
      if ((c.req.header("Content-Type") ?? "").split(";")[0] !== "application/json")
        return refuse(c, 415, 33, "unsupported_media_type");
      try {
        JSON.parse(text);
      } catch {
        return refuse(c, 400, 2, "invalid_json");
      }
    }
    const key = c.req.header("Idempotency-Key");
    if (!key || key.length > 255) return refuse(c, 400, 50, "idempotency_key_required");
    const seen = keys.get(key);
    if (seen !== undefined && seen !== text) return refuse(c, 422, 51, "idempotency_key_reused");
    await next();
    if (c.res.status < 300) keys.set(key, text);
    if (c.res.status >= 400 && flaw === "a write on a refusal") widgets.push("leaked");
  });
  const route = createRoute({
    method: "post",
    path: PATH,
    request: { body: { required: true, content: { "application/json": { schema: CreateWidget } } } },
    responses: {
      200: {
        description: "the widget",
        content: {
          "application/json": { schema: z.object({ id: z.string(), result: Widget, error: z.null() }) },
        },
      },
      400: envelope(flaw === "a code its status does not document" ? [2, 50] : [2, 3, 4, 50]),
      415: envelope([33]),
      422: envelope([51]),
      ...(flaw === "500 on an empty body" ? { 500: envelope([1]) } : {}),
    },
  });
  app.openapi(route, (c) => {
    const { params } = c.req.valid("json");
    if (flaw === "an undocumented status" && params.size === undefined)
      return refuse(c, 409, 60, "invalid_state_transition") as never;
    const widget = { id: crypto.randomUUID(), name: params.name };
    widgets.push(widget.id);
    const result = flaw === "a 2xx off its schema" ? { ...widget, id: 7 } : widget;
    return c.json({ id: crypto.randomUUID(), result, error: null }, 200) as never;
  });
  return { app, widgets };
}

/** The document of the app, as the gateway publishes its own: with the catalogue. */
function documentOf(app: OpenAPIHono, flaw: Flaw): OpenApiDocument {
  const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "widgets", version: "1" } });
  const published = JSON.parse(
    JSON.stringify({ ...doc, "x-error-catalogue": catalogue() }),
  ) as OpenApiDocument;
  if (flaw === "accepting what its schema forbids") {
    // The document promises names of at most 3 characters; the route takes up to 50.
    const schema = published.components?.schemas?.CreateWidgetRequest?.properties?.params?.properties?.name;
    if (schema) schema.maxLength = 3;
  }
  return published;
}

/** `background` moves the state once, on its own, as an outbox drain or a queue consumer does. */
async function check(flaw: Flaw, background?: { afterReads: number }) {
  const { app, widgets } = widgetApp(flaw);
  let reads = 0;
  const doc = documentOf(app, flaw);
  const [op] = operationsOf(doc);
  if (!op) throw new Error("no operation");
  const valid: ContractRequest = {
    method: "POST",
    path: PATH,
    pathParams: {},
    query: {},
    headers: { "Content-Type": "application/json" },
    json: { params: { name: "ab", size: 3 } },
  };
  const report = await runBattery(
    new ContractChecker(doc),
    op,
    {
      send: async (req) => exchangeOf(req, await app.request(toRequest("http://widgets.test", req))),
      fingerprint: async () => {
        reads++;
        const moved = background !== undefined && reads > background.afterReads;
        return { widgets: JSON.stringify(widgets), background: moved ? "moved" : "still" };
      },
      prepare: async () => valid,
      consumes: false,
    },
    { concurrency: 1 },
  );
  return report;
}

describe("the contract checker", () => {
  it("passes a route that keeps its contract", async () => {
    expect((await check("none")).failures).toEqual([]);
  });

  it("does not blame a refusal for a change made meanwhile by something else", async () => {
    // The move lands inside the batch of refusals (the fingerprints before it are the two of
    // settling): each refusal is sent again between two fingerprints, which find no write.
    const quiet = await check("none");
    const moved = await check("none", { afterReads: 2 });
    expect(moved.failures).toEqual([]);
    expect(moved.sent).toBeGreaterThan(quiet.sent);
  });

  const cases: [Flaw, RegExp][] = [
    ["500 on an empty body", /\[an empty body\] .* → 500: unexpected 5xx/],
    ["an undocumented status", /→ 409: status not documented/],
    ["a 2xx off its schema", /\[valid request\] .* → 200: answer does not match the documented schema/],
    ["a code not in the catalogue", /→ 400: error code 4242 is not in the catalogue/],
    ["a code with another status than the catalogue's", /→ 422: code 4 is 400 in the catalogue/],
    ["a code its status does not document", /→ 400: code 4 is not documented for 400 \(documented: 2, 50\)/],
    ["an error without the envelope", /→ 400: an error without the envelope/],
    ["a write on a refusal", /→ 400: a refusal changed widgets/],
    [
      "a bare 404 for an unknown path",
      /\[a trailing slash\] POST \/v1\/widgets\/ .* → 404: an unknown path answered text\/plain/,
    ],
    [
      "accepting what its schema forbids",
      /\[params\.name = an RTL override\] .* accepted a request its documented schema forbids/,
    ],
  ];
  for (const [flaw, reported] of cases) {
    it(`reports ${flaw}`, async () => {
      const { failures } = await check(flaw);
      expect(
        failures.some((f) => reported.test(f)),
        failures.slice(0, 8).join("\n"),
      ).toBe(true);
    });
  }
});
