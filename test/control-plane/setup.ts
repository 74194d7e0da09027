import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Production's database, and the sandbox Worker's (bound here too, to look inside it).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.SANDBOX_DB, env.TEST_MIGRATIONS);
