// Hand-written: the error types the Convor client throws: ConvorApiError for an HTTP failure,
// ConvorTimeoutError when a call ran out of time.
import type { ConvorErrorCode } from "./convor-operations.js";

/** A code of the contract, or `unexpected_response` for an answer that is not the envelope. */
export type ConvorApiErrorCode = ConvorErrorCode | "unexpected_response";

/** The `error` object of the Convor error envelope `{ "error": { ... } }`. */
export interface ConvorErrorBody {
    code: string;
    message: string;
    details: Record<string, unknown>;
    correlationId: string;
}

/**
 * A 4xx or 5xx answer of the Convor API. `code` is the contract's machine-readable code
 * (`conversation_not_found`, `validation_error`, ...); for `validation_error`, `details` maps
 * each offending field to its messages. `correlationId` is the one in the server's logs.
 * An answer that is not the envelope (a proxy's HTML page, say) has code `unexpected_response`.
 */
export class ConvorApiError extends Error {
    override readonly name = "ConvorApiError";
    readonly status: number;
    readonly code: ConvorApiErrorCode;
    readonly details: Record<string, unknown>;
    readonly correlationId: string;
    /** Response headers, lower-case names (e.g. `retry-after` on 429 and 503). */
    readonly headers: Record<string, string>;
    /** Seconds the server asked to wait before trying again (`Retry-After`, on 429 and 503), if it said. */
    readonly retryAfter: number | undefined;

    constructor(status: number, body: ConvorErrorBody, headers: Record<string, string> = {}) {
        super(body.message);
        this.status = status;
        // The server's codes are the document's (ConvorErrorCode, generated from it); a code a
        // newer server added appears here as it is, until this client is regenerated.
        this.code = body.code as ConvorApiErrorCode;
        this.details = body.details;
        this.correlationId = body.correlationId;
        this.headers = headers;
        this.retryAfter = retryAfterSeconds(headers["retry-after"]);
    }

    static isConvorApiError(value: unknown): value is ConvorApiError {
        return value instanceof ConvorApiError;
    }

    /**
     * What the generated client threw while reading `response`, as a ConvorApiError: the
     * parsed envelope (statuses the document declares), an ApiException holding the raw
     * text (statuses it does not), or a SyntaxError (a body that is not JSON). Anything
     * else (an abort while reading, say) is returned unchanged.
     */
    static fromFailure(response: Response, failure: unknown): unknown {
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => { headers[name] = value; });

        const envelope = envelopeOf(failure) ?? envelopeOf(parseJson(rawTextOf(failure)));
        if (envelope) return new ConvorApiError(response.status, envelope.error, headers);
        if (failure instanceof SyntaxError || rawTextOf(failure) !== undefined) {
            return new ConvorApiError(response.status, {
                code: "unexpected_response",
                message: `HTTP ${response.status}: the response is not what the Convor API document describes.`,
                details: {},
                correlationId: response.headers.get("x-correlation-id") ?? "",
            }, headers);
        }
        return failure;
    }
}

function envelopeOf(value: unknown): { error: ConvorErrorBody } | undefined {
    if (typeof value !== "object" || value === null || !("error" in value)) return undefined;
    const error = (value as { error: unknown }).error;
    if (typeof error !== "object" || error === null) return undefined;
    const body = error as Partial<ConvorErrorBody>;
    return typeof body.code === "string" && typeof body.message === "string"
        ? { error: { code: body.code, message: body.message, details: body.details ?? {}, correlationId: body.correlationId ?? "" } }
        : undefined;
}

/** The raw body text an ApiException of the generated client carries. */
function rawTextOf(value: unknown): string | undefined {
    if (typeof value !== "object" || value === null || !("response" in value)) return undefined;
    const text = (value as { response: unknown }).response;
    return typeof text === "string" ? text : undefined;
}

function parseJson(text: string | undefined): unknown {
    if (text === undefined || text === "") return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** `Retry-After` as seconds: either delay-seconds or an HTTP date (RFC 9110 10.2.3). */
export function retryAfterSeconds(value: string | null | undefined, now: number = Date.now()): number | undefined {
    if (value === null || value === undefined || value.trim() === "") return undefined;
    if (/^\d+$/.test(value.trim())) return Number(value.trim());
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * A call that did not finish within its timeout (`timeoutMs` of the client or of the call),
 * retries and waits included. Distinct from ConvorApiError: the server never answered in time,
 * so a command may or may not have been applied; retry it with the same Idempotency-Key.
 */
export class ConvorTimeoutError extends Error {
    override readonly name = "ConvorTimeoutError";
    readonly timeoutMs: number;

    constructor(timeoutMs: number) {
        super(`The Convor API call did not finish within ${timeoutMs} ms.`);
        this.timeoutMs = timeoutMs;
    }
}
