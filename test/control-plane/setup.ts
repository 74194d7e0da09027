import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { serveAccessCerts } from "../support/admin";

// Production's database, and the sandbox Worker's (bound here too, to look inside it).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.SANDBOX_DB, env.TEST_MIGRATIONS);

// Production's admin API fetches the Access team's certs: answered with the local issuer's key.
serveAccessCerts();
