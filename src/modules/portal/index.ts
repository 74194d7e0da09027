import type { Module } from "../../platform/http/module";
import { useGateway } from "../../platform/web/self-call";
import { portalApp } from "./routes/pages";

/** The developer portal: web pages for the partner's team, every action a call to the partner API. */
export const portalModule: Module = {
  name: "portal",
  register(app) {
    useGateway(app);
    app.route("/portal", portalApp());
  },
};
