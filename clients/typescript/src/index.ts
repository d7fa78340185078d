// Hand-written entry point: the generated client and models, the hand-written layer over them
// (retries, timeouts, pagers) and the typed errors.
export * from "./convor-client.js";
export type * from "./convor-operations.js";
export { Convor, createConvorClient, type ConvorClientOptions, type ItemOf, type PagerOf, type Pagers } from "./convor.js";
export { Pager, type Page, type PaginationOptions } from "./pagination.js";
export type { CallOptions, Fetch, RetryEvent } from "./transport.js";
export { ConvorApiError, ConvorTimeoutError, type ConvorApiErrorCode, type ConvorErrorBody } from "./errors.js";
export * from "./webhooks.js";
