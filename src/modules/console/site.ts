import type { Site } from "../../platform/web/layout";

/** The platform team's console as its pages' frame shows it (the portal's stylesheet and script). */
export const CONSOLE: Site = {
  name: "Portico console",
  home: "/console",
  assets: "/portal/assets/portal",
  nav: [
    { href: "/console", key: "partners", label: "Partners" },
    { href: "/console/approvals", key: "approvals", label: "Approvals" },
    { href: "/console/applications", key: "applications", label: "Applications", only: "production" },
    { href: "/console/kill-switches", key: "kill-switches", label: "Kill switches" },
    { href: "/console/webhooks", key: "webhooks", label: "Webhook health" },
    { href: "/console/versions", key: "versions", label: "API versions" },
    { href: "/console/revenue", key: "revenue", label: "Revenue" },
    { href: "/console/metrics", key: "metrics", label: "Metrics" },
    { href: "/console/audit", key: "audit", label: "Audit log" },
  ],
};
