// Hand-written: the client integrators use. It IS the generated ConvorClient (every operation,
// same signatures) sending through the retrying, timing-out transport, plus pagers for every
// list operation and per-call options. Nothing here repeats an operation's parameters: the
// pagers come from the generated table in convor-operations.ts.
import { ConvorClient } from "./convor-client.js";
import { pagedOperations } from "./convor-operations.js";
import { Pager, type PaginationOptions } from "./pagination.js";
import { createTransport, type CallOptions, type Fetch } from "./transport.js";
import { verifyConvorWebhook, type ConvorWebhookEvent, type VerifyOptions, type WebhookHeaders } from "./webhooks.js";

export interface ConvorClientOptions extends CallOptions {
    /** Where the API is, without a trailing slash, e.g. `https://convor.internal.example`. */
    baseUrl: string;
    /** An API key (`cvr_…`) of the organization to act in. */
    apiKey: string;
    /** The fetch to use; defaults to the global one (browsers, Node 18+). */
    fetch?: Fetch;
    /** First retry backoff in milliseconds (default 500), doubled each time. */
    baseDelayMs?: number;
    /** Longest wait between attempts (default 30 000); a longer Retry-After is not waited for. */
    maxDelayMs?: number;
}

type PagedOperations = typeof pagedOperations;
type PagedOperationName = keyof PagedOperations;
type ParamsOf<N extends PagedOperationName> = Parameters<PagedOperations[N]>[1];
/** The item type of a list operation's page. */
export type ItemOf<N extends PagedOperationName> = Awaited<ReturnType<PagedOperations[N]>>["result"]["data"][number];
/** A pager of one list operation; its parameters may be left out when none is required. */
export type PagerOf<N extends PagedOperationName> = {} extends ParamsOf<N>
    ? (params?: ParamsOf<N>, options?: PaginationOptions) => Pager<ItemOf<N>>
    : (params: ParamsOf<N>, options?: PaginationOptions) => Pager<ItemOf<N>>;
/** A pager for every list operation of the API, by operation id. */
export type Pagers = { [N in PagedOperationName]: PagerOf<N> };

export class Convor extends ConvorClient {
    readonly #options: ConvorClientOptions;

    /**
     * For every list operation, by operation id, its items across pages:
     * `for await (const c of convor.paginate.listConversations({ status: ["open"] }))`.
     */
    readonly paginate: Pagers;

    readonly conversations: {
        /** Conversations, newest `lastMessageAt` first, across pages. */
        list: Pagers["listConversations"];
        /** A conversation's activity log, oldest first, across pages. */
        listEvents: Pagers["listConversationEvents"];
        /** A conversation's messages, oldest first, across pages. */
        listMessages: Pagers["listMessages"];
    };

    readonly operators: {
        list: Pagers["listOperators"];
    };

    readonly webhooks: {
        /** The organization's webhook endpoints across pages. */
        list: Pagers["listWebhookEndpoints"];
        /** One endpoint's deliveries across pages. */
        listDeliveries: Pagers["listWebhookDeliveries"];
        /**
         * Checks a received webhook's Standard Webhooks signature and timestamp and returns the
         * typed event; `rawBody` exactly as received. Throws ConvorWebhookVerificationError.
         */
        verify(rawBody: string, headers: WebhookHeaders, secret: string, options?: VerifyOptions): Promise<ConvorWebhookEvent>;
    };

    constructor(options: ConvorClientOptions) {
        const fetch = options.fetch ?? ((input: RequestInfo, init?: RequestInit) => globalThis.fetch(input, init));
        super({ apiKey: options.apiKey }, options.baseUrl.replace(/\/+$/, ""), { fetch: createTransport({ ...options, fetch }) });
        this.#options = options;
        const pager = <N extends PagedOperationName>(name: N) =>
            ((params: ParamsOf<N> = {} as ParamsOf<N>, pagination: PaginationOptions = {}) =>
                new Pager(async (cursor, signal) => {
                    const call = pagedOperations[name] as (client: ConvorClient, p: ParamsOf<N>, c: string | undefined, s: AbortSignal | undefined)
                        => Promise<{ result: { data: ItemOf<N>[]; nextCursor: string | null } }>;
                    return (await call(this, params, cursor, signal)).result;
                }, pagination)) as PagerOf<N>;
        this.paginate = Object.fromEntries(
            (Object.keys(pagedOperations) as PagedOperationName[]).map((name) => [name, pager(name)])) as Pagers;
        this.conversations = {
            list: this.paginate.listConversations,
            listEvents: this.paginate.listConversationEvents,
            listMessages: this.paginate.listMessages,
        };
        this.operators = { list: this.paginate.listOperators };
        this.webhooks = {
            list: this.paginate.listWebhookEndpoints,
            listDeliveries: this.paginate.listWebhookDeliveries,
            verify: (rawBody, headers, secret, options) => verifyConvorWebhook(secret, rawBody, headers, options),
        };
    }

    /**
     * This client with other options for the calls made through it: a timeout, a signal, a
     * retry count, or the Idempotency-Key of one command.
     * `await convor.withOptions({ idempotencyKey: "order-42-handoff" }).assignOperator(id, body)`.
     */
    withOptions(options: CallOptions): Convor {
        return new Convor({ ...this.#options, ...options });
    }
}

/** The client: every API operation, with retries, timeouts and pagers (see Convor). */
export function createConvorClient(options: ConvorClientOptions): Convor {
    return new Convor(options);
}
