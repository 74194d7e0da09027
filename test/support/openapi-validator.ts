import { Validator } from "@seriousme/openapi-schema-validator";
import schema31 from "@seriousme/openapi-schema-validator/schemas/v3.1/schema.json";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * The standard validator, with its OpenAPI 3.1 meta-schema bundled in: inside workerd it
 * cannot read the schema file from node_modules at run time, so we compile it the way the
 * validator does (Ajv 2020 + formats + `media-range`) and hand it over.
 */
export function openApi31Validator(): Validator {
  const validator = new Validator();
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  ajv.addFormat("media-range", true);
  (validator as unknown as { ajvValidators: Record<string, unknown> }).ajvValidators["3.1"] =
    ajv.compile(schema31);
  return validator;
}
