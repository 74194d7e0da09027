import { describe, expect, it } from "vitest";
import { ERRORS } from "../../../src/platform/errors";
import { type OpenApiDocument, operationsOf } from "../../contract/openapi";
import { admin, adminCall } from "../../support/admin";
import { openApi31Validator } from "../../support/openapi-validator";

describe("the admin API's OpenAPI document", () => {
  it("is valid OpenAPI 3.1, behind Access, and documents each operation's role and refusals", async () => {
    expect((await adminCall("GET", "/admin/openapi.json")).body.error.code).toBe(100);
    expect(
      (await adminCall("GET", "/admin/openapi.json", { token: (await admin(null)).token })).body.error.code,
    ).toBe(103);
    const r = await adminCall("GET", "/admin/openapi.json", { token: (await admin("viewer")).token });
    expect(r.res.status).toBe(200);
    const doc = r.body as OpenApiDocument & { components: { securitySchemes: Record<string, unknown> } };
    const result = await openApi31Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.components.securitySchemes.cloudflareAccess).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "Cf-Access-Jwt-Assertion",
    });
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(15);
    for (const op of ops) {
      const operation = op.doc as unknown as Record<string, unknown> & {
        responses: Record<string, Record<string, unknown>>;
      };
      expect(["viewer", "operator", "approver", "admin"], op.key).toContain(
        operation["x-portico-admin-role"],
      );
      const codes = Object.values(operation.responses).flatMap(
        (res) => (res["x-portico-error-codes"] as number[]) ?? [],
      );
      for (const code of [100, 101, 102, 103, 104]) expect(codes, op.key).toContain(code);
    }
    // Every catalogue code it lists exists in the catalogue.
    const known = new Set(Object.values(ERRORS).map((e) => e.code));
    for (const op of ops)
      for (const res of Object.values(
        (op.doc as unknown as { responses: Record<string, Record<string, unknown>> }).responses,
      ))
        for (const code of (res["x-portico-error-codes"] as number[] | undefined) ?? [])
          expect(known).toContain(code);
  });
});
