import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../../platform/envelope";
import { MAX_CLOCK_DAYS } from "../clock";
import { InvoiceSchema } from "../schemas";

export const ClockSchema = z
  .object({
    object: z.literal("test_clock"),
    now: z
      .string()
      .openapi({ format: "date-time", description: "Your billing time: real time plus the offset." }),
    offset_days: z.number().openapi({ description: "How far your billing time runs ahead of real time." }),
  })
  .openapi("TestClock");

export const ClockAdvanceRequest = envelopeRequest(
  z.strictObject({
    days: z.number().int().min(1).max(MAX_CLOCK_DAYS).openapi({ description: "Whole days to move forward." }),
  }),
).openapi("TestClockAdvanceRequest");

export const ClockAdvanceSchema = ClockSchema.extend({
  invoices: z
    .array(InvoiceSchema)
    .openapi({ description: "The invoices the move issued, oldest period first." }),
}).openapi("TestClockAdvance");
