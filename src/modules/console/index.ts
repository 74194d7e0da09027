import type { Module } from "../../platform/http/module";
import { useGateway } from "../../platform/web/self-call";
import { consoleApp } from "./routes/app";

/** The platform team's console: web pages behind Cloudflare Access, every action an admin API call. */
export const consoleModule: Module = {
  name: "console",
  register(app) {
    useGateway(app);
    app.route("/console", consoleApp());
  },
};
