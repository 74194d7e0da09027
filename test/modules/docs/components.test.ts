import { OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { componentNameClashes } from "../../../src/modules/docs/component-names";
import { buildOpenApi } from "../../../src/modules/docs/openapi";

/** The `$ref` of a GET operation's envelope `result`. */
function resultRef(path: string): unknown {
  const doc = buildOpenApi(createApp(), "http://gateway.test") as unknown as {
    paths: Record<
      string,
      { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }
    >;
  };
  const schema = doc.paths[path]?.get.responses["200"]?.content["application/json"]?.schema as {
    properties: { result: { $ref?: string } };
  };
  return schema.properties.result.$ref;
}

const answer = (schema: z.ZodType) => ({
  200: { description: "ok", content: { "application/json": { schema } } },
});

describe("OpenAPI component names", () => {
  it("the gateway's document names each schema once", () => {
    expect(componentNameClashes(createApp())).toEqual([]);
  });

  it("the ledger balance and an account's balance are two components", () => {
    expect(resultRef("/v1/balance")).toBe("#/components/schemas/Balance");
    expect(resultRef("/v1/accounts/{id}/balances")).toBe("#/components/schemas/AccountBalance");
  });

  it("finds two schemas registered under one name", () => {
    const app = new OpenAPIHono();
    const ledger = z.object({ available: z.number().int() }).openapi("Balance");
    const account = z.object({ booked: z.number().int(), account_id: z.string() }).openapi("Balance");
    app.openAPIRegistry.registerPath({ method: "get", path: "/a", responses: answer(ledger) });
    app.openAPIRegistry.registerPath({ method: "get", path: "/b", responses: answer(account) });
    expect(componentNameClashes(app)).toEqual(["Balance"]);
  });

  it("finds a named schema made nullable in one place, which rewrites the shared component", () => {
    const app = new OpenAPIHono();
    const card = z.object({ id: z.string() }).openapi("Card");
    app.openAPIRegistry.registerPath({ method: "get", path: "/a", responses: answer(card) });
    app.openAPIRegistry.registerPath({
      method: "get",
      path: "/b",
      responses: answer(z.object({ card: card.nullable() })),
    });
    expect(componentNameClashes(app)).toEqual(["Card"]);
  });

  it("a schema reused under its one name is no clash", () => {
    const app = new OpenAPIHono();
    const card = z.object({ id: z.string() }).openapi("Card");
    app.openAPIRegistry.registerPath({ method: "get", path: "/a", responses: answer(card) });
    app.openAPIRegistry.registerPath({
      method: "get",
      path: "/b",
      responses: answer(z.object({ card: z.union([card, z.null()]) })),
    });
    expect(componentNameClashes(app)).toEqual([]);
  });
});
