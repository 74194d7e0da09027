import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("smoke", () => {
  it("answers /status", async () => {
    const res = await SELF.fetch("http://portico.test/status");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "operational", environment: "sandbox" });
  });
});
