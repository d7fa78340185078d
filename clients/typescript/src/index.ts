// Hand-written entry point: the generated client and models, the typed error, and a factory
// that works where there is no `window` (Node), which the generated constructor assumes.
import { ConvorClient } from "./convor-client.js";

export * from "./convor-client.js";
export { ConvorApiError, type ConvorErrorBody } from "./errors.js";
export * from "./webhooks.js";

export interface ConvorClientOptions {
    /** Where the API is, without a trailing slash, e.g. `https://convor.internal.example`. */
    baseUrl: string;
    /** An API key (`cvr_…`) of the organization to act in. */
    apiKey: string;
    /** The fetch to use; defaults to the global one (browsers, Node 18+). */
    fetch?: (input: RequestInfo, init?: RequestInit) => Promise<Response>;
}

export function createConvorClient(options: ConvorClientOptions): ConvorClient {
    const fetchImplementation = options.fetch ?? ((input: RequestInfo, init?: RequestInit) => globalThis.fetch(input, init));
    return new ConvorClient({ apiKey: options.apiKey }, options.baseUrl.replace(/\/+$/, ""), { fetch: fetchImplementation });
}
