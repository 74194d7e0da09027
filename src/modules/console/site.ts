import type { Site } from "../../platform/web/layout";

/** The platform team's console as its pages' frame shows it (the portal's stylesheet and script). */
export const CONSOLE: Site = {
  name: "Portico console",
  home: "/console",
  assets: "/portal/assets/portal",
  nav: [
    { href: "/console", key: "partners", label: "Partners" },
    { href: "/console/approvals", key: "approvals", label: "Approvals" },
    { href: "/console/audit", key: "audit", label: "Audit log" },
  ],
};
