import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { DEV_TURNSTILE_TOKEN, startDevServices } from "../../scripts/lib/dev-services";
import { startControl } from "./support/control";
import { newRun, startGateway, startProductionGateway } from "./support/gateway";

/**
 * The gateways for the whole browser run, each file reads their addresses with inject(): the
 * sandbox (the demo partner), and production (the control plane) with its local Turnstile and
 * mailbox. One Access issuer serves both consoles.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const access = await newRun();
  const notifyToken = randomBytes(18).toString("base64url");
  const services = await startDevServices(0, notifyToken, { quiet: true });
  const gateway = await startGateway(access);
  const production = await startProductionGateway(access, {
    url: services.url,
    notifyToken,
    siteKey: "1x00000000000000000000AA",
    secretKey: "local-dev-turnstile-secret",
  });
  const control = await startControl(gateway.db);
  const productionControl = await startControl(production.db);
  const { privateJwk, team, aud } = access;
  project.provide("gatewayUrl", gateway.url);
  project.provide("gatewayControl", { url: control.url, token: control.token });
  project.provide("gatewayAccess", { privateJwk, team, aud });
  project.provide("production", {
    url: production.url,
    control: { url: productionControl.url, token: productionControl.token },
    mailbox: { url: `${services.url}/notifications/messages`, token: notifyToken },
    turnstileToken: DEV_TURNSTILE_TOKEN,
  });
  return async () => {
    await productionControl.stop();
    await control.stop();
    await production.stop();
    await gateway.stop();
    await services.close();
    access.dispose();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    gatewayUrl: string;
    /** SQL against the gateway's D1 (support/control.ts). */
    gatewayControl: { url: string; token: string };
    /** The local Access issuer's key (support/access.ts signs the console's assertions with it). */
    gatewayAccess: { privateJwk: string; team: string; aud: string };
    /** The production gateway: its address, SQL against its D1, the local mailbox, Turnstile's passing token. */
    production: {
      url: string;
      control: { url: string; token: string };
      mailbox: { url: string; token: string };
      turnstileToken: string;
    };
  }
}
