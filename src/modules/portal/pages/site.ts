import type { Site } from "../../../platform/web/layout";

/** The developer portal as its pages' frame shows it. */
export const PORTAL: Site = {
  name: "Portico",
  home: "/portal",
  assets: "/portal/assets/portal",
  signOut: "/portal/sign-out",
  nav: [
    { href: "/portal", key: "overview", label: "Overview" },
    { href: "/portal/keys", key: "keys", label: "API keys" },
    { href: "/portal/webhooks", key: "webhooks", label: "Webhooks" },
    { href: "/portal/events", key: "events", label: "Events" },
    { href: "/portal/usage", key: "usage", label: "Usage" },
    { href: "/portal/sla", key: "sla", label: "Service level" },
    { href: "/portal/plan", key: "plan", label: "Plan & usage" },
    { href: "/portal/invoices", key: "invoices", label: "Invoices" },
    { href: "/portal/requests", key: "requests", label: "Request log" },
    { href: "/portal/sandbox", key: "sandbox", label: "Sandbox", only: "sandbox" },
    { href: "/portal/team", key: "team", label: "Team" },
    { href: "/portal/account", key: "account", label: "Account" },
    { href: "/docs", key: "docs", label: "API reference" },
  ],
};
