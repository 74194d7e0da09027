import type { TestProject } from "vitest/node";
import { startGateway } from "./support/gateway";

/** One gateway for the whole browser run; each file reads its address with inject("gatewayUrl"). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const gateway = await startGateway();
  project.provide("gatewayUrl", gateway.url);
  return () => gateway.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    gatewayUrl: string;
  }
}
