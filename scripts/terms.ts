// Platform team: the terms of service. `npm run terms -- <command> [options]`; local D1 unless --remote.
//   publish --version 2027-01 --file terms.md [--accept-by 2027-02-01T00:00:00Z] [--env production] [--remote]
//   list [--env production] [--remote]
// A published version is never changed: a new text is a new version. After its --accept-by
// (default 30 days), production refuses a partner that has not accepted it (code 24).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { termsDocuments } from "../src/modules/onboarding/storage";
import { buildTermsDocument } from "../src/modules/onboarding/terms-document";
import { insertSql } from "./lib/sql";
import { applyMigrations, type D1Target, executeSql, LOCAL_PRODUCTION_STATE, querySql } from "./lib/wrangler";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    version: { type: "string" },
    file: { type: "string" },
    "accept-by": { type: "string" },
    env: { type: "string", default: "production" },
    remote: { type: "boolean", default: false },
    "persist-to": { type: "string" },
  },
});

const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};
const env =
  values.env === "production" || values.env === "sandbox" ? values.env : fail("--env: sandbox|production");
const target: D1Target = {
  env,
  remote: values.remote,
  // Locally, production's state is where `npm run dev` keeps it.
  ...(values["persist-to"]
    ? { persistTo: values["persist-to"] }
    : env === "production" && !values.remote
      ? { persistTo: LOCAL_PRODUCTION_STATE }
      : {}),
};

const command = positionals[0];
if (!target.remote) await applyMigrations(target);
if (command === "publish") {
  const version = values.version ?? fail("--version is required");
  const file = values.file ?? fail("--file is required");
  const existing = await querySql(
    target,
    `SELECT version FROM terms_documents WHERE version = '${version.replace(/'/g, "''")}'`,
  );
  if (existing.length > 0) fail(`version ${version} exists already; a new text is a new version`);
  let doc: Awaited<ReturnType<typeof buildTermsDocument>>;
  try {
    doc = await buildTermsDocument({
      version,
      text: readFileSync(file, "utf8"),
      ...(values["accept-by"] ? { acceptBy: values["accept-by"] } : {}),
    });
  } catch (err) {
    doc = fail(err instanceof Error ? err.message : String(err));
  }
  const dir = mkdtempSync(join(tmpdir(), "portico-terms-"));
  const sqlFile = join(dir, "terms.sql");
  writeFileSync(sqlFile, insertSql(termsDocuments, doc));
  await executeSql(target, sqlFile);
  rmSync(dir, { recursive: true, force: true });
  console.log(`published ${doc.version} (sha256 ${doc.sha256}), to be accepted by ${doc.acceptBy}`);
} else if (command === "list") {
  const rows = await querySql(
    target,
    "SELECT version, sha256, published_at, accept_by, (SELECT count(*) FROM terms_acceptances a WHERE a.version = d.version) AS acceptances FROM terms_documents d ORDER BY published_at DESC",
  );
  console.table(rows);
} else {
  fail("usage: npm run terms -- publish --version V --file F [--accept-by ISO] | list");
}
