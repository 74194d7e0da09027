import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode, SuccessStatusCode } from "hono/utils/http-status";
import { ApiError, ERRORS, type ErrorName } from "./errors";
import { uuidv7 } from "./lib/ids";
import type { AppEnv } from "./types";

/** The bank's request envelope (docs/contract.md): `{ id, params }`. */
export const envelopeRequest = <T extends z.ZodType>(params: T) =>
  z.object({
    id: z.uuid().optional().openapi({ description: "Request id (UUID); echoed in the response envelope." }),
    params,
  });

/** The success envelope: `{ id, result, error: null }`. */
export const envelopeResponse = <T extends z.ZodType>(result: T) =>
  z.object({ id: z.string().openapi({ format: "uuid" }), result, error: z.null() });

/** A route's success answer, 200 unless told (a creation may say 201): `result` in the envelope, for `responses`. */
export const okResponse = <T extends z.ZodType, S extends SuccessStatusCode = 200>(
  description: string,
  result: T,
  status?: S,
) => {
  const response = { description, content: { "application/json": { schema: envelopeResponse(result) } } };
  // A computed key is typed as any number, but the route's typed answers need the one status it is.
  // NoInfer: S is the `status` given (or 200), never one guessed from what `responses` accepts.
  return { [status ?? 200]: response } as Record<NoInfer<S>, typeof response>;
};

export const ErrorSchema = z
  .object({
    code: z.number().int().openapi({ description: "Error code from the catalogue (see /docs#errors)." }),
    message: z.string(),
    reason: z.enum(Object.keys(ERRORS) as [ErrorName, ...ErrorName[]]),
    field: z.string().optional(),
    retryable: z.boolean().optional(),
    docs: z.string(),
  })
  .openapi("Error");

export const ErrorEnvelopeSchema = z
  .object({ id: z.string().openapi({ format: "uuid" }), result: z.null(), error: ErrorSchema })
  .openapi("ErrorEnvelope");

/**
 * The text each envelope answer was rendered from (masked as it was serialised), so neither the
 * data-minimisation layer nor the idempotency layer reads the answer back.
 */
const rendered = new WeakMap<Response, string>();
export const renderedText = (res: Response) => rendered.get(res);

/**
 * The success envelope as JSON. Under /v1 it is masked while serialised (the data-minimisation
 * layer's replacer), so the layer need not read the answer back.
 */
function envelopeJson<T, S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  body: { id: string; result: T; error: null },
  status: S,
) {
  const text = JSON.stringify(body, c.get("mask") ?? undefined);
  const res = c.body(text, status, { "Content-Type": "application/json" });
  rendered.set(res, text);
  // Typed as c.json's answer: the same JSON, serialised here.
  return res as unknown as ReturnType<typeof c.json<typeof body, S>>;
}

export function ok<T, S extends ContentfulStatusCode = 200>(c: Context<AppEnv>, result: T, status?: S) {
  return envelopeJson(c, { id: c.get("envelopeId") ?? uuidv7(), result, error: null }, (status ?? 200) as S);
}

/** Like `ok`, but an idempotent replay of this request answers `replayResult` instead. */
export function okOnce<T, S extends ContentfulStatusCode = 200>(
  c: Context<AppEnv>,
  result: T,
  replayResult: T,
  status?: S,
) {
  const id = c.get("envelopeId") ?? uuidv7();
  c.set("replayBody", JSON.stringify({ id, result: replayResult, error: null }, c.get("mask") ?? undefined));
  return envelopeJson(c, { id, result, error: null }, (status ?? 200) as S);
}

export function renderError(c: Context<AppEnv>, err: ApiError) {
  for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
  return c.json({ id: c.get("envelopeId") ?? uuidv7(), result: null, error: err.body() }, err.status);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Zod issues to the bank's codes: a value of the wrong type is 3 ("can't be parsed"),
 * a missing value or a broken constraint is 4; both name the field's path.
 */
export function validationError(error: z.ZodError, input: unknown, target: string): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError("validation", { field: target, msg: "invalid" }, { field: target });
  const field =
    issue.path.length > 0 ? issue.path.map(String).join(".") : target === "json" ? "body" : target;
  const value = valueAt(input, issue.path);
  if (value === undefined || value === null) {
    return new ApiError("validation", { field, msg: "Field must be not null" }, { field });
  }
  // A value of the wrong JSON type is unparseable, also where one of a set of values was expected.
  const wrongKind =
    issue.code === "invalid_value" &&
    issue.values.length > 0 &&
    issue.values.every((v) => typeof v !== typeof value);
  if (issue.code === "invalid_type" || wrongKind) {
    return new ApiError("unparseable_field", { field, msg: issue.message }, { field });
  }
  return new ApiError("validation", { field, msg: issue.message }, { field });
}
