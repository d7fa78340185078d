// An integration that hands a conversation to a human when Convor tells it, by webhook, that the
// visitor asked for one. It runs wherever `Request`/`Response` exist (Node 20+ with any server
// adapter, Deno, Bun, workers): `handleWebhook` is the route's whole handler.
import { createConvorClient, ConvorApiError, ConvorWebhookVerificationError } from "@convor/client";

export interface HandoffConfig {
    baseUrl: string;
    apiKey: string;
    /** The endpoint's `whsec_…` secret, shown once when the endpoint was created. */
    webhookSecret: string;
}

/** What a visitor writes when they want a person rather than the AI. */
const asksForAHuman = /\b(human|person|agent|operator)\b/i;

export function createHandoffHandler(config: HandoffConfig): (request: Request) => Promise<Response> {
    const convor = createConvorClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, timeoutMs: 10_000 });

    return async (request) => {
        // The raw body, exactly as received: the signature covers these bytes.
        let event;
        try {
            event = await convor.webhooks.verify(await request.text(), request.headers, config.webhookSecret);
        } catch (error) {
            if (error instanceof ConvorWebhookVerificationError) return new Response(null, { status: 401 });
            throw error;
        }
        // Only a visitor's message asking for a person; `event.data.message` exists on this type only.
        if (event.type !== "message.created" || event.data.message.author !== "visitor" || !asksForAHuman.test(event.data.message.body))
            return new Response(null, { status: 204 });

        try {
            // Routing picks an online operator with room, or queues the conversation. Keyed by the
            // event id: a redelivered webhook repeats the command, which runs once.
            await convor.withOptions({ idempotencyKey: `handoff-${event.id}` }).handoffConversation(event.data.conversation.id);
        } catch (error) {
            if (error instanceof ConvorApiError && error.code === "conversation_closed") return new Response(null, { status: 204 });
            throw error;
        }
        return new Response(null, { status: 204 });
    };
}
