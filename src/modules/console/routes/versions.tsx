/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import { flashOf, statusOf } from "../../../platform/web/answer";
import { VersionsPage, type VersionUsage } from "../pages/versions";
import { asAdmin, type ConsoleEnv, frameOf } from "./context";

export function registerVersions(app: Hono<ConsoleEnv>) {
  app.get("/versions", async (c) => {
    const listed = await asAdmin<{ versions: VersionUsage[] }>(c, "GET", "/admin/v1/versions");
    return c.html(
      <VersionsPage
        {...frameOf(c, "API versions")}
        versions={listed.result?.versions ?? []}
        {...(listed.error ? { flash: flashOf(listed, "") } : {})}
      />,
      statusOf(listed),
    );
  });
}
