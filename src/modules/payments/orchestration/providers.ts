// What other modules (routing's rules and their admin API) may know of the payment providers:
// their names in this environment and its default order, never the connectors themselves.
export { defaultPriority, providerNamesFor } from "../connector";
