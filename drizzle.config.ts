import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes a new SQL migration into migrations/ from the tables in src/platform/db/schema.ts and each module's storage.ts.
export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/platform/db/schema.ts", "./src/modules/*/storage.ts"],
  out: "./migrations",
  migrations: { prefix: "index" },
});
