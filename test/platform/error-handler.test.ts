import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { handleError } from "../../src/platform/error-handler";
import { ERRORS } from "../../src/platform/errors";
import type { AppEnv } from "../../src/platform/types";

/** A library's refusal (a validator's, the media-type gate's, a body limit's) with its own status. */
function throwing(status: number) {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.post("/x", () => {
    throw new HTTPException(status as 400, { message: "Malformed JSON in request body at byte 3: secret" });
  });
  return app.request("/x", { method: "POST", headers: { "Content-Type": "text/csv; charset=utf-8" } });
}

describe("HTTPException → the error envelope", () => {
  it.each([
    [400, 2, 400],
    [401, 10, 401],
    [404, 31, 404],
    [405, 5, 405],
    [413, 32, 413],
    [415, 33, 415],
    [429, 40, 429],
    [409, 34, 400],
    [418, 34, 400],
    [422, 34, 400],
  ])("HTTP %i becomes code %i, answered with the catalogue's status %i", async (thrown, code, status) => {
    const res = await throwing(thrown);
    expect(res.status).toBe(status);
    const body = (await res.json()) as {
      result: unknown;
      error: { code: number; reason: string; message: string };
    };
    expect(body.result).toBeNull();
    expect(body.error.code).toBe(code);
    expect(ERRORS[body.error.reason as keyof typeof ERRORS].code).toBe(code);
    // The library's message is never echoed: it can name internals.
    expect(body.error.message).not.toContain("byte 3");
  });

  it("a 415 names the media type the client sent", async () => {
    const body = (await (await throwing(415)).json()) as { error: { message: string } };
    expect(body.error.message).toBe("Content-Type must be application/json, got: text/csv");
  });
});
