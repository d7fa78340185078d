// The generated client against the real API: the conversation commands, reads and paging.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createConvorClient, ConvorClient } from "../dist/index.js";
import { ConvorServer } from "./support/convor-server.mjs";
import { callByName, findOperation, skipUnlessOperation } from "./support/generated.mjs";

const conversationFields = ["id", "orgId", "visitorId", "assignedOperatorId", "status", "priority", "resolvedBy", "channel",
    "aiActive", "snoozedUntil", "lastMessageAt", "metadata", "createdAt", "updatedAt", "searchVector"];
const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const listOperation = ["listConversations"];
const eventsOperation = ["listConversationEvents", "getConversationEvents", "listEvents", "getEvents"];

describe("conversations through the generated client", () => {
    /** @type {ConvorServer} */
    let server;
    /** @type {ConvorClient} */
    let client;
    let orgId;

    before(async () => {
        server = await ConvorServer.start();
        orgId = server.defaultOrganization.orgId;
        client = createConvorClient({ baseUrl: server.baseUrl, apiKey: server.defaultOrganization.apiKey });
    });
    after(() => server?.stop());

    const newOperator = async (overrides = {}) =>
        (await client.createOperator({ name: "Dana Reyes", email: `dana-${randomUUID()}@example.com`, ...overrides })).result;
    const newConversation = async () =>
        (await client.createConversation({ channel: "widget", metadata: { subject: "Where is my order?" } })).result;

    it("creates an operator and a conversation with the contract's fields", async () => {
        const operatorResponse = await client.createOperator({ name: "Dana Reyes", email: `dana-${randomUUID()}@example.com` });
        assert.equal(operatorResponse.status, 201);
        const operator = operatorResponse.result;
        assert.deepEqual(Object.keys(operator), ["id", "orgId", "name", "email", "role", "active", "availability", "maxConversations", "openConversations", "createdAt", "updatedAt"]);
        assert.equal(operator.orgId, orgId);
        assert.equal(operator.role, "agent");
        assert.equal(operator.active, true);
        assert.equal((await client.getOperator(operator.id)).result.email, operator.email);

        const created = await client.createConversation({ channel: "email", priority: "high", metadata: { subject: "Refund", orderId: "A-1" } });
        assert.equal(created.status, 201);
        assert.match(created.headers.etag, /^"\d+"$/);
        const conversation = created.result;
        assert.deepEqual(Object.keys(conversation), conversationFields);
        assert.equal(conversation.orgId, orgId);
        assert.equal(conversation.status, "open");
        assert.equal(conversation.priority, "high");
        assert.equal(conversation.channel, "email");
        assert.equal(conversation.assignedOperatorId, null);
        assert.equal(conversation.resolvedBy, null);
        assert.equal(conversation.aiActive, true);
        assert.deepEqual(conversation.metadata, { subject: "Refund", orderId: "A-1" });
        assert.match(conversation.createdAt, timestamp);
    });

    it("gets a conversation with its ETag", async () => {
        const conversation = await newConversation();

        const fetched = await client.getConversation(conversation.id);

        assert.equal(fetched.status, 200);
        assert.deepEqual(fetched.result, conversation);
        assert.match(fetched.headers.etag, /^"\d+"$/);
    });

    it("assigns an operator, unassigns and closes, each answer being the conversation after the command", async () => {
        const operator = await newOperator();
        const conversation = await newConversation();

        const assigned = (await client.assignOperator(conversation.id, { operatorId: operator.id })).result;
        assert.equal(assigned.assignedOperatorId, operator.id);
        assert.equal(assigned.aiActive, false);

        const unassigned = (await client.unassignConversation(conversation.id)).result;
        assert.equal(unassigned.assignedOperatorId, null);
        assert.equal(unassigned.aiActive, true);

        const closed = (await client.closeConversation(conversation.id, { resolvedBy: "visitor" })).result;
        assert.equal(closed.status, "closed");
        assert.equal(closed.resolvedBy, "visitor");
        assert.equal(closed.aiActive, false);
        assert.deepEqual((await client.getConversation(conversation.id)).result, closed);
    });

    it("closes with a bare POST (no body) and defaults resolvedBy from who was answering", async () => {
        const sent = [];
        const recording = createConvorClient({
            baseUrl: server.baseUrl,
            apiKey: server.defaultOrganization.apiKey,
            fetch: (input, init) => { sent.push(init); return fetch(input, init); },
        });
        const operator = await newOperator();
        const aiAnswering = await newConversation();
        const assigned = await newConversation();
        await client.assignOperator(assigned.id, { operatorId: operator.id });

        const closedByAi = (await recording.closeConversation(aiAnswering.id)).result;
        const closedByOperator = (await recording.closeConversation(assigned.id)).result;

        assert.equal(sent.length, 2);
        assert.ok(sent.every((init) => init.body === undefined), "the client sent a body");
        assert.equal(closedByAi.status, "closed");
        assert.equal(closedByAi.resolvedBy, "ai");
        assert.equal(closedByOperator.resolvedBy, "operator");
        assert.equal(closedByOperator.assignedOperatorId, operator.id);
        // Close is idempotent: closing again changes nothing.
        assert.deepEqual((await client.closeConversation(aiAnswering.id)).result, closedByAi);
    });

    it("runs a command when If-Match names the current ETag", async () => {
        const conversation = await newConversation();
        const { headers } = await client.getConversation(conversation.id);

        const unassigned = await callByName(client, "unassignConversation", { id: conversation.id, ifMatch: headers.etag });

        assert.equal(unassigned.status, 200);
    });

    it("replays a command retried with the same Idempotency-Key instead of running it twice", async () => {
        const operator = await newOperator();
        const conversation = await newConversation();
        const key = `retry-${randomUUID()}`;
        const send = () => callByName(client, "assignOperator", { id: conversation.id, request: { operatorId: operator.id }, idempotency_Key: key });

        const first = await send();
        const retry = await send();

        assert.equal(retry.status, first.status);
        assert.deepEqual(retry.result, first.result);
        assert.equal(retry.headers["idempotency-replayed"], "true");
    });

    it("reads the activity log oldest first", { skip: skipUnlessOperation(ConvorClient.prototype, "activity log", ...eventsOperation) }, async () => {
        const method = findOperation(client, ...eventsOperation);
        const operator = await newOperator();
        const conversation = await newConversation();
        await client.assignOperator(conversation.id, { operatorId: operator.id });
        await client.unassignConversation(conversation.id);
        await client.closeConversation(conversation.id);

        const answer = (await callByName(client, method, { id: conversation.id })).result;
        const entries = Array.isArray(answer) ? answer : answer.data;

        assert.deepEqual(entries.map((entry) => entry.type), ["created", "assigned", "unassigned", "closed"]);
        for (const entry of entries) {
            assert.deepEqual(Object.keys(entry), ["id", "conversationId", "type", "actor", "data", "occurredAt"]);
            assert.equal(entry.conversationId, conversation.id);
            assert.match(entry.occurredAt, timestamp);
        }
        const times = entries.map((entry) => entry.occurredAt);
        assert.deepEqual(times, [...times].sort());
    });

    it("pages the list with an opaque cursor until it ends, every conversation once", { skip: skipUnlessOperation(ConvorClient.prototype, "list paging", ...listOperation) }, async () => {
        const method = findOperation(client, ...listOperation);
        // A fresh organization, so the list holds exactly what this test made.
        const organization = await server.createOrganization("Paging org");
        const own = createConvorClient({ baseUrl: server.baseUrl, apiKey: organization.apiKey });
        const made = [];
        for (let i = 0; i < 5; i++)
            made.push((await own.createConversation({ channel: "api" })).result.id);

        const seen = [];
        const pageSizes = [];
        let cursor;
        for (let pages = 0; pages < 10; pages++) {
            const page = (await callByName(own, method, { limit: 2, cursor })).result;
            assert.ok(Array.isArray(page.data));
            pageSizes.push(page.data.length);
            seen.push(...page.data.map((conversation) => conversation.id));
            cursor = page.nextCursor;
            if (cursor === null) break;
            assert.equal(typeof cursor, "string");
        }

        assert.equal(cursor, null);
        assert.deepEqual(pageSizes, [2, 2, 1]);
        assert.deepEqual([...seen].sort(), [...made].sort());
    });

    it("sends several values of a list filter as any-of", { skip: skipUnlessOperation(ConvorClient.prototype, "list filters", ...listOperation) }, async () => {
        const method = findOperation(client, ...listOperation);
        const organization = await server.createOrganization("Filter org");
        const own = createConvorClient({ baseUrl: server.baseUrl, apiKey: organization.apiKey });
        const email = (await own.createConversation({ channel: "email" })).result.id;
        const api = (await own.createConversation({ channel: "api" })).result.id;
        await own.createConversation({ channel: "widget" });
        const closed = (await own.createConversation({ channel: "widget" })).result.id;
        await callByName(own, "closeConversation", { id: closed });

        const byChannel = (await callByName(own, method, { channel: ["email", "api"] })).result;
        assert.deepEqual(byChannel.data.map((c) => c.id).sort(), [email, api].sort());
        const byStatus = (await callByName(own, method, { status: ["closed"], channel: ["widget", "api"] })).result;
        assert.deepEqual(byStatus.data.map((c) => c.id), [closed]);
    });
});
