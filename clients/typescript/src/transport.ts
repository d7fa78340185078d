// Hand-written: the fetch the generated client sends every request through. One logical call of
// a generated method is one call of this fetch, so everything that belongs to "one call" lives
// here: its Idempotency-Key, its retries, its timeout and its cancellation.
import { ConvorTimeoutError, retryAfterSeconds } from "./errors.js";

export type Fetch = (input: RequestInfo, init?: RequestInit) => Promise<Response>;

/** Why a request is tried again; `delayMs` is the wait chosen before the next attempt. */
export interface RetryEvent {
    /** The attempt that failed, 1 for the first. */
    attempt: number;
    delayMs: number;
    method: string;
    url: string;
    /** The status that is retried, or undefined for a network error. */
    status: number | undefined;
    /** The Idempotency-Key every attempt of this call carries (commands only). */
    idempotencyKey: string | undefined;
}

/** Options of one call, or defaults for every call of a client. */
export interface CallOptions {
    /** Retries after the first attempt (default 2); 0 turns retrying off. */
    maxRetries?: number;
    /** Milliseconds for the whole call, retries and waits included (default 60 000; 0: none). */
    timeoutMs?: number;
    /** Cancels the call; it then rejects with the signal's reason (an `AbortError` by default). */
    signal?: AbortSignal;
    /**
     * The Idempotency-Key of a command (POST, PATCH, PUT, DELETE). Without it the client makes
     * one per call, the same on each retry. Pass your own to make retries across processes safe.
     */
    idempotencyKey?: string;
    /** Called before each retry, e.g. for logging. */
    onRetry?: (event: RetryEvent) => void;
}

export interface TransportOptions extends CallOptions {
    fetch: Fetch;
    /** First backoff in milliseconds (default 500), doubled on each retry, at most `maxDelayMs`. */
    baseDelayMs?: number;
    /** Longest wait between attempts, Retry-After included (default 30 000); a longer Retry-After is not waited for. */
    maxDelayMs?: number;
}

const commandMethods = new Set(["POST", "PATCH", "PUT", "DELETE"]);
// 429 rate_limited and 503 service_unavailable say "later"; 409 idempotency_in_progress says the
// first attempt of this very key is still running. Every other 4xx is an answer, not a hiccup.
const retriedStatuses = new Set([429, 503]);
const nullBodyStatuses = new Set([101, 204, 205, 304]);

export function createTransport(options: TransportOptions): Fetch {
    return (input, init = {}) => send(options, input, init);
}

async function send(options: TransportOptions, input: RequestInfo, init: RequestInit): Promise<Response> {
    const maxRetries = options.maxRetries ?? 2;
    const timeoutMs = options.timeoutMs ?? 60_000;
    const method = (init.method ?? "GET").toUpperCase();
    const url = typeof input === "string" ? input : input.url;
    const headers = new Headers(init.headers);
    if (commandMethods.has(method) && !headers.has("Idempotency-Key"))
        headers.set("Idempotency-Key", options.idempotencyKey ?? globalThis.crypto.randomUUID());
    const idempotencyKey = headers.get("Idempotency-Key") ?? undefined;

    const timeout = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(() => timeout.abort(new ConvorTimeoutError(timeoutMs)), timeoutMs) : undefined;
    const signal = AbortSignal.any([timeout.signal, ...[init.signal, options.signal].filter((s): s is AbortSignal => s instanceof AbortSignal)]);
    try {
        for (let attempt = 1; ; attempt++) {
            let response: Response;
            let body: ArrayBuffer;
            try {
                response = await options.fetch(input, { ...init, headers, signal });
                // Read the whole body here, under the call's signal, so a timeout while reading
                // is a timeout too, and the 409 below can be told apart by its code.
                body = await response.arrayBuffer();
            } catch (failure) {
                if (signal.aborted) throw signal.reason;
                if (attempt > maxRetries) throw failure;
                await wait(options, signal, attempt, undefined, { attempt, method, url, status: undefined, idempotencyKey });
                continue;
            }
            if (attempt <= maxRetries && isRetried(response.status, body)) {
                const retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
                if (retryAfter === undefined || retryAfter * 1000 <= (options.maxDelayMs ?? 30_000)) {
                    await wait(options, signal, attempt, retryAfter, { attempt, method, url, status: response.status, idempotencyKey });
                    continue;
                }
            }
            return new Response(nullBodyStatuses.has(response.status) ? null : body, {
                status: response.status,
                statusText: response.statusText,
                headers: response.headers,
            });
        }
    } finally {
        clearTimeout(timer);
    }
}

function isRetried(status: number, body: ArrayBuffer): boolean {
    if (retriedStatuses.has(status)) return true;
    if (status !== 409) return false;
    try {
        const envelope = JSON.parse(new TextDecoder().decode(body)) as { error?: { code?: unknown } };
        return envelope.error?.code === "idempotency_in_progress";
    } catch {
        return false;
    }
}

/** Exponential backoff, jittered between half and all of it (so clients spread out), or Retry-After when the server named one. */
function backoffMs(options: TransportOptions, attempt: number, retryAfter: number | undefined): number {
    if (retryAfter !== undefined) return retryAfter * 1000;
    const ceiling = Math.min(options.maxDelayMs ?? 30_000, (options.baseDelayMs ?? 500) * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

async function wait(options: TransportOptions, signal: AbortSignal, attempt: number, retryAfter: number | undefined,
    event: Omit<RetryEvent, "delayMs">): Promise<void> {
    const delayMs = backoffMs(options, attempt, retryAfter);
    options.onRetry?.({ ...event, delayMs });
    await new Promise<void>((resolve, reject) => {
        const onAbort = () => { clearTimeout(timer); reject(signal.reason as Error); };
        const timer = setTimeout(() => { signal.removeEventListener("abort", onAbort); resolve(); }, delayMs);
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
    });
}
