/**
 * The `params` of a request to a route whose body is optional (`body: { required: false }`).
 *
 * `c.req.valid("json")` is typed as the `z.output` of the route's body schema, `params` with the
 * schema's defaults applied, which holds for a request with a JSON body: it is validated. One
 * without (the JSON body middleware makes an empty body such a request) is not: @hono/zod-openapi
 * hands the handler `{}` as its validated data, with no `params` and none of their defaults. So
 * the answer is typed `Partial` of the schema's params: for params whose every field is optional
 * that is the schema's own type, and a field the schema defaults needs its default where it is
 * read. `B` is the whole body type, not just its params, so that a handler shared by several
 * schemas gets the union of their params rather than the first one inferred.
 */
export const optionalParams = <B extends { params?: object }>(body: B): Partial<NonNullable<B["params"]>> =>
  body.params ?? {};
