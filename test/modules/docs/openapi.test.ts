import { describe, expect, it } from "vitest";
import { ERRORS } from "../../../src/platform/errors";
import { call } from "../../support/http";
import { openApi31Validator } from "../../support/openapi-validator";

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document by a standard validator", async () => {
    const { res, body } = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    const validator = openApi31Validator();
    const result = await validator.validate(body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the validator does refuse a broken document", async () => {
    const { body } = await call("GET", "/openapi.json");
    const broken = { ...body, paths: { ...body.paths, "/v1/broken": { get: { responses: "none" } } } };
    const result = await openApi31Validator().validate(broken);
    expect(result.valid).toBe(false);
  });

  it("documents every route the app serves, with its scope and the error envelope", async () => {
    const { body } = await call("GET", "/openapi.json");
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        "/oauth2/token",
        "/v1/partner",
        "/v1/partner/credentials",
        "/v1/partner/credentials/{id}",
      ]),
    );
    const get = body.paths["/v1/partner"].get;
    expect(get.security).toEqual([{ oauth2: ["partner:read"] }]);
    expect(get.responses["401"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/ErrorEnvelope",
    );
    const post = body.paths["/v1/partner/credentials"].post;
    expect(post.requestBody.content["application/json"]).toBeDefined();
    expect(body.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toMatch(
      /\/oauth2\/token$/,
    );
    expect(body.components.securitySchemes.basic).toMatchObject({ type: "http", scheme: "basic" });
  });

  it("publishes the whole error catalogue", async () => {
    const { body } = await call("GET", "/openapi.json");
    const codes = body["x-error-catalogue"].map((e: { code: number }) => e.code);
    expect(codes).toEqual(Object.values(ERRORS).map((e) => e.code));
    expect(new Set(codes).size).toBe(codes.length); // a code is never reused
  });
});
