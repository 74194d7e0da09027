import type { Module } from "../../platform/http/module";
import { registerStatusRoute } from "./routes";

/** The public status page: `/status`, as JSON or HTML, from real checks of each dependency. */
export const statusModule: Module = { name: "status", register: registerStatusRoute };
