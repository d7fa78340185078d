// An integration that hands a conversation to a human when Convor tells it, by webhook, that
// the conversation became urgent. It runs wherever `Request`/`Response` exist (Node 20+ with
// any server adapter, Deno, Bun, workers): `handleWebhook` is the route's whole handler.
import { createConvorClient, ConvorApiError, type ConversationResponse } from "@convor/client";

export interface HandoffConfig {
    baseUrl: string;
    apiKey: string;
}

interface UrgentEvent {
    id: string;
    type: string;
    data: { conversation: ConversationResponse };
}

export function createHandoffHandler(config: HandoffConfig): (request: Request) => Promise<Response> {
    const convor = createConvorClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, timeoutMs: 10_000 });

    return async (request) => {
        // A real receiver verifies the Standard Webhooks signature of the raw body before
        // trusting it. This package's typed verifier comes with the webhooks API (pending);
        // until then, check it with the `standardwebhooks` package in front of this handler.
        const event = JSON.parse(await request.text()) as UrgentEvent;
        const conversation = event.data.conversation;
        if (event.type !== "conversation.updated" || conversation.priority !== "urgent" || conversation.assignedOperatorId !== null)
            return new Response(null, { status: 204 });

        // The first active operator, walking the operator list page by page.
        let operatorId: string | undefined;
        for await (const operator of convor.operators.list({ limit: 50 })) {
            if (operator.active) { operatorId = operator.id; break; }
        }
        if (operatorId === undefined) return new Response(null, { status: 204 });

        try {
            // Keyed by the event id: a redelivered webhook repeats the command, which runs once.
            await convor.withOptions({ idempotencyKey: `handoff-${event.id}` }).assignOperator(conversation.id, { operatorId });
        } catch (error) {
            if (error instanceof ConvorApiError && error.code === "conversation_closed") return new Response(null, { status: 204 });
            throw error;
        }
        return new Response(null, { status: 204 });
    };
}
