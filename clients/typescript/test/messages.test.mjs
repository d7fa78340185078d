// Messages through the generated client: posting, paging oldest first, and the AI's 409 once a human took over.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createConvorClient, ConvorApiError } from "../dist/index.js";
import { ConvorServer } from "./support/convor-server.mjs";
import { callByName } from "./support/generated.mjs";

const messageFields = ["id", "conversationId", "author", "operatorId", "body", "createdAt"];
const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("messages through the generated client", () => {
    /** @type {ConvorServer} */
    let server;
    let client;

    before(async () => {
        server = await ConvorServer.start();
        client = createConvorClient({ baseUrl: server.baseUrl, apiKey: server.defaultOrganization.apiKey });
    });
    after(() => server?.stop());

    const newConversation = async () => (await client.createConversation({ channel: "widget", metadata: { subject: "Parcel" } })).result;

    it("posts a message: 201, the six fields, a Location that reads it back, and lastMessageAt moves", async () => {
        const conversation = await newConversation();

        const posted = await client.addMessage(conversation.id, { author: "visitor", body: "Where is my parcel?\nOrder A-17" });

        assert.equal(posted.status, 201);
        const message = posted.result;
        assert.deepEqual(Object.keys(message), messageFields);
        assert.equal(message.conversationId, conversation.id);
        assert.equal(message.author, "visitor");
        assert.equal(message.operatorId, null);
        assert.equal(message.body, "Where is my parcel?\nOrder A-17");
        assert.match(message.createdAt, timestamp);
        assert.match(posted.headers.location, new RegExp(`/api/conversations/${conversation.id}/messages/${message.id}$`));
        assert.deepEqual((await client.getMessage(conversation.id, message.id)).result, message);

        const after = (await client.getConversation(conversation.id)).result;
        assert.equal(after.lastMessageAt, message.createdAt);
        assert.match(after.searchVector, /parcel/);
    });

    it("an operator's message takes an unassigned conversation over", async () => {
        const conversation = await newConversation();
        const operator = (await client.createOperator({ name: "Dana Reyes", email: `dana-${randomUUID()}@example.com` })).result;

        const message = (await client.addMessage(conversation.id, { author: "operator", operatorId: operator.id, body: "Dana here." })).result;

        assert.equal(message.operatorId, operator.id);
        const after = (await client.getConversation(conversation.id)).result;
        assert.equal(after.assignedOperatorId, operator.id);
        assert.equal(after.aiActive, false);
    });

    it("pages messages oldest first with nextCursor", async () => {
        const conversation = await newConversation();
        const bodies = ["one", "two", "three", "four", "five"];
        for (const [i, body] of bodies.entries()) {
            await client.addMessage(conversation.id, { author: i % 2 === 0 ? "visitor" : "ai", body });
        }

        const seen = [];
        let cursor = null;
        let pages = 0;
        do {
            const page = (await callByName(client, "listMessages", { id: conversation.id, limit: 2, cursor })).result;
            seen.push(...page.data.map((m) => m.body));
            cursor = page.nextCursor;
            pages++;
        } while (cursor);

        assert.deepEqual(seen, bodies);
        assert.equal(pages, 3);
    });

    it("the AI writing after a human took over is 409 ai_not_active", async () => {
        const conversation = await newConversation();
        const operator = (await client.createOperator({ name: "Sam Okafor", email: `sam-${randomUUID()}@example.com` })).result;
        await client.assignOperator(conversation.id, { operatorId: operator.id });

        let thrown;
        try {
            await client.addMessage(conversation.id, { author: "ai", body: "Can I still help?" });
        } catch (error) {
            thrown = error;
        }

        assert.ok(thrown instanceof ConvorApiError, `expected a ConvorApiError, got ${thrown}`);
        assert.equal(thrown.status, 409);
        assert.equal(thrown.code, "ai_not_active");
        assert.deepEqual(thrown.details, {});
        assert.equal(thrown.correlationId, thrown.headers["x-correlation-id"]);
        assert.deepEqual((await client.listMessages(conversation.id)).result.data, []);
    });
});
