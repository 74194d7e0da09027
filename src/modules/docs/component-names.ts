import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";

/**
 * Component names that stand for more than one schema. The generator keeps one schema per
 * name and silently points every `$ref` at it, so two schemas registered as `Balance` ship a
 * document where one route describes the other's answer. Each route is generated alone and
 * the components it names are compared across routes.
 */
export function componentNameClashes<E extends Env>(app: OpenAPIHono<E>): string[] {
  const seen = new Map<string, string>();
  const clashes = new Set<string>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== "route") continue;
    const alone = new OpenAPIHono();
    alone.openAPIRegistry.registerPath(definition.route);
    const doc = alone.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "", version: "" } });
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const json = JSON.stringify(schema);
      const before = seen.get(name);
      if (before === undefined) seen.set(name, json);
      else if (before !== json) clashes.add(name);
    }
  }
  return [...clashes].sort();
}
