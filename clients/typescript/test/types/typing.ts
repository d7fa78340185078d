// Type-level tests, checked by `tsc` (npm run test:types), never run: each @ts-expect-error
// line must NOT compile, so a type that stops catching the mistake fails the check.
import { createConvorClient, ConvorApiError, type ConversationResponse, type ConvorWebhookEvent } from "../../src/index.js";

declare const error: ConvorApiError;
declare const convor: ReturnType<typeof createConvorClient>;

// Error codes are the union generated from the API document.
if (error.code === "conversation_closed" || error.code === "unexpected_response") void error.retryAfter;
// @ts-expect-error a misspelt code does not compile
if (error.code === "conversation_clsoed") void error;

// Pagers take the list operation's own parameters, by name, and yield its items.
export async function pagers(): Promise<ConversationResponse[]> {
    const open: ConversationResponse[] = await convor.conversations.list({ status: ["open", "snoozed"], limit: 50 }, { maxItems: 100 }).toArray();
    // @ts-expect-error not a status
    convor.conversations.list({ status: ["opne"] });
    // @ts-expect-error the activity log needs the conversation's id
    convor.conversations.listEvents();
    // @ts-expect-error an operator list has no status filter
    convor.operators.list({ status: ["open"] });
    for await (const page of convor.paginate.listConversationEvents({ id: "x" }).pages()) {
        const cursor: string | null = page.nextCursor;
        void cursor;
    }
    return open;
}

// Webhook events are a union discriminated by `type`: only message.created carries the message.
export async function webhookEvents(rawBody: string, headers: Headers, secret: string): Promise<string | undefined> {
    const event: ConvorWebhookEvent = await convor.webhooks.verify(rawBody, headers, secret);
    if (event.type === "message.created") return event.data.message.body;
    // @ts-expect-error no message on other events
    void event.data.message;
    // @ts-expect-error not an event type
    if (event.type === "conversation.deleted") return undefined;
    return event.data.conversation.status;
}
