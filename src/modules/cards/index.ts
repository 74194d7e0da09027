import type { Module } from "../../platform/http/module";
import { registerCardApplicationRoutes } from "./routes/applications";
import { registerCardAttachRoutes } from "./routes/attach";
import { registerBlockCard } from "./routes/block";
import { registerGetCard } from "./routes/get";
import { registerListCards } from "./routes/get_all";
import { registerCardSandboxRoutes } from "./routes/simulate";

/** Cards: order, attach by SMS code, list, get, block; the sandbox's simulate call. */
export const cardsModule: Module = {
  name: "cards",
  register(app) {
    // Literal paths before `/v1/cards/{id}`.
    registerCardApplicationRoutes(app);
    registerCardAttachRoutes(app);
    registerListCards(app);
    registerGetCard(app);
    registerBlockCard(app);
    registerCardSandboxRoutes(app);
  },
};
