import type { Site } from "../../../platform/web/layout";

/** The portal's onboarding pages (production): a registrant's way to production. */
export const APPLY: Site = {
  name: "Portico onboarding",
  home: "/portal/apply",
  assets: "/portal/assets/portal",
  signOut: "/portal/apply/sign-out",
  nav: [
    { href: "/portal/apply", key: "status", label: "Status" },
    { href: "/portal/apply/terms", key: "terms", label: "Terms" },
    { href: "/portal/apply/application", key: "application", label: "Application" },
    { href: "/portal/apply/credentials", key: "credentials", label: "Live keys" },
    { href: "/docs", key: "docs", label: "API reference" },
  ],
};
