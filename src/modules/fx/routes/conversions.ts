import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { convert, getConversion } from "../conversions";
import { fxDeps } from "./deps";
import { ConversionSchema, CreateConversionRequest, IdParam } from "./schema";

const create = v1Route(
  { product: "fx", scope: "fx:write", errors: ["insufficient_balance", "quote_expired", "quote_used"] },
  {
    method: "post",
    path: "/v1/fx/conversions",
    operationId: "createFxConversion",
    tags: ["FX"],
    summary: "Convert at a quote",
    description:
      "Converts at a live quote: `sell_amount` leaves your available balance in the sell currency and `buy_amount` arrives in the buy currency, posted to the ledger; `fx_conversion.completed` follows. A quote converts once: 409 code 66 after that (also when conversions race for it), 409 code 65 once expired. Never beyond your available balance: 409 code 62, the quote stays usable until it expires.",
    request: {
      body: { required: true, content: { "application/json": { schema: CreateConversionRequest } } },
    },
    responses: {
      ...okResponse("The conversion, completed", ConversionSchema),
    },
  },
);

const get = v1Route(
  { product: "fx", scope: "fx:read" },
  {
    method: "get",
    path: "/v1/fx/conversions/{id}",
    operationId: "getFxConversion",
    tags: ["FX"],
    summary: "Retrieve a conversion",
    description: "One of your conversions.",
    request: { params: IdParam },
    responses: okResponse("The conversion", ConversionSchema),
  },
);

export function registerFxConversions(app: OpenAPIHono<AppEnv>) {
  app.openapi(create, async (c) => {
    const { params } = c.req.valid("json");
    const conversion = await convert(fxDeps(c), c.get("partner"), c.get("idempotencyKey"), params.quote_id);
    c.get("log").info("fx conversion completed", { conversion_id: conversion.id, quote_id: params.quote_id });
    return ok(c, conversion, 200);
  });

  app.openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getConversion(fxDeps(c), c.get("partner").id, id), 200);
  });
}
