import type { TestProject } from "vitest/node";
import { startControl } from "./support/control";
import { startGateway } from "./support/gateway";

/** One gateway for the whole browser run; each file reads its address with inject("gatewayUrl"). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const gateway = await startGateway();
  const control = await startControl(gateway.db);
  project.provide("gatewayUrl", gateway.url);
  project.provide("gatewayControl", { url: control.url, token: control.token });
  project.provide("gatewayAccess", gateway.access);
  return async () => {
    await control.stop();
    await gateway.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    gatewayUrl: string;
    /** SQL against the gateway's D1 (support/control.ts). */
    gatewayControl: { url: string; token: string };
    /** The local Access issuer's key (support/access.ts signs the console's assertions with it). */
    gatewayAccess: { privateJwk: string; team: string; aud: string };
  }
}
