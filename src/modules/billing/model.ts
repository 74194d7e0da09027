/** The billing module's vocabulary that its storage keeps: the rate plan as stored (plan.ts validates it). */
export type { RatePlan } from "./plan";
