// Hand-written: verifying a Convor webhook in the receiver (Standard Webhooks 1.0), with Web
// Crypto only, so it runs in Node 20+, Deno, workers and browsers without a dependency.
import type { ConversationEventResponse, ConversationResponse, MessageResponse } from "./convor-client.js";

/** The event types Convor sends. */
export type ConvorWebhookEventType =
    | "conversation.created" | "conversation.assigned" | "conversation.unassigned" | "conversation.closed"
    | "conversation.reopened" | "conversation.snoozed" | "conversation.updated" | "conversation.handoff_requested"
    | "message.created";

/** What every Convor webhook body has: `{ id, type, timestamp, data: { version, conversation, entry } }`. */
export interface ConvorWebhookEventOf<T extends ConvorWebhookEventType> {
    /** The event id; also the `webhook-id` header, the same on every retry. */
    id: string;
    type: T;
    timestamp: string;
    data: {
        /** The conversation's version after the change: drop events older than the last one applied. */
        version: number;
        conversation: ConversationResponse;
        entry: ConversationEventResponse;
    };
}

/** A `message.created` event: `data.message` is the message that was written. */
export interface ConvorMessageCreatedEvent extends ConvorWebhookEventOf<"message.created"> {
    data: ConvorWebhookEventOf<"message.created">["data"] & { message: MessageResponse };
}

/**
 * The JSON body of a Convor webhook, discriminated by `type`:
 * `if (event.type === "message.created") event.data.message.body`.
 */
export type ConvorWebhookEvent =
    | ConvorMessageCreatedEvent
    | { [T in Exclude<ConvorWebhookEventType, "message.created">]: ConvorWebhookEventOf<T> }[Exclude<ConvorWebhookEventType, "message.created">];

export class ConvorWebhookVerificationError extends Error {
    override name = "ConvorWebhookVerificationError";
}

/** Header lookup that works with a `Headers` object or Node's `IncomingHttpHeaders`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
    /** How far `webhook-timestamp` may be from now, in seconds (default 300), against replays. */
    toleranceSeconds?: number;
    /** Now, for tests (default `Date.now()`). */
    now?: () => number;
}

function header(headers: WebhookHeaders, name: string): string {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (!text) throw new ConvorWebhookVerificationError(`missing ${name} header`);
    return text;
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
}

function bytesToBase64(bytes: Uint8Array): string {
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
}

function constantTimeEquals(a: string, b: string): boolean {
    if (a.length !== b.length) return false;
    let difference = 0;
    for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
    return difference === 0;
}

/**
 * Checks the signature and timestamp of a received webhook and returns its parsed event.
 * `body` must be the raw request body, exactly as received (not re-serialized JSON).
 * `secret` is the endpoint's `whsec_…` secret; during a rotation either secret verifies.
 * Throws {@link ConvorWebhookVerificationError} when the webhook is not genuine or too old.
 */
export async function verifyConvorWebhook(
    secret: string, body: string, headers: WebhookHeaders, options: VerifyOptions = {}): Promise<ConvorWebhookEvent> {
    const id = header(headers, "webhook-id");
    const timestamp = header(headers, "webhook-timestamp");
    const signatures = header(headers, "webhook-signature");

    const seconds = Number(timestamp);
    const now = (options.now ?? Date.now)() / 1000;
    if (!Number.isInteger(seconds) || Math.abs(now - seconds) > (options.toleranceSeconds ?? 300))
        throw new ConvorWebhookVerificationError("webhook-timestamp is missing, malformed or outside the tolerance");

    const key = await globalThis.crypto.subtle.importKey(
        "raw", base64ToBytes(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret),
        { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
    const expected = bytesToBase64(new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", key, signed)));

    const valid = signatures.split(" ").some((signature) => {
        const [version, value] = signature.split(",", 2);
        return version === "v1" && value !== undefined && constantTimeEquals(value, expected);
    });
    if (!valid) throw new ConvorWebhookVerificationError("no signature matches the secret");
    return JSON.parse(body) as ConvorWebhookEvent;
}
