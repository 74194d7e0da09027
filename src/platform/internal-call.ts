/**
 * Requests the Worker sends to itself on behalf of a person signed in to one of its web
 * interfaces (the developer portal): the portal does nothing the partner API does not do, it
 * calls the API. Such a request carries no bearer token: the caller is attached to the Request
 * object itself, which nothing outside this isolate can reach or forge. Authentication reads it
 * (src/modules/partners/authenticate.ts) and the rest of the path (limits, terms, validation,
 * idempotency, the audit trail) is the API's own.
 */
export interface InternalCaller {
  partnerId: string;
  /** Who did it, as the audit trail and the request log show it, e.g. `portal:alice`. */
  clientId: string;
  /** Only the contract's `…:read` scopes (the portal's viewer role). */
  readOnly: boolean;
}

const callers = new WeakMap<Request, InternalCaller>();

/** The request, marked as sent by `caller`. */
export function internalRequest(request: Request, caller: InternalCaller): Request {
  callers.set(request, caller);
  return request;
}

export const internalCallerOf = (request: Request): InternalCaller | undefined => callers.get(request);
