// Routing through the generated client: handoff, the waiting filter, availability and the queue draining.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createConvorClient, ConvorApiError } from "../dist/index.js";
import { ConvorServer } from "./support/convor-server.mjs";
import { callByName } from "./support/generated.mjs";

describe("routing through the generated client", () => {
    /** @type {ConvorServer} */
    let server;

    before(async () => { server = await ConvorServer.start(); });
    after(() => server?.stop());

    // Each test in an organization of its own: routing looks at every operator of the organization.
    const newClient = async () => {
        const org = await server.createOrganization(`Routing ${randomUUID()}`);
        return createConvorClient({ baseUrl: server.baseUrl, apiKey: org.apiKey });
    };
    const newOperator = async (client, request) => {
        const created = (await client.createOperator({ name: "Dana Reyes", email: `dana-${randomUUID()}@example.com` })).result;
        return (await client.updateOperator(created.id, request)).result;
    };
    const newConversation = async (client) => (await client.createConversation({ channel: "widget" })).result;
    const waitingIds = async (client) =>
        (await callByName(client, "listConversations", { waiting: true, limit: 100 })).result.data.map((c) => c.id);
    const eventually = async (condition, what) => {
        const deadline = Date.now() + 30_000; // a bound on waiting, not a measure of speed
        while (!(await condition())) {
            if (Date.now() > deadline) assert.fail(`not within 30 s: ${what}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    };

    it("hands a conversation to an online operator at once, recorded by routing", async () => {
        const client = await newClient();
        const operator = await newOperator(client, { availability: "online", maxConversations: 3 });
        assert.equal(operator.availability, "online");
        assert.equal(operator.maxConversations, 3);
        const conversation = await newConversation(client);

        const handoff = await client.handoffConversation(conversation.id);

        assert.equal(handoff.status, 200);
        assert.match(handoff.headers.etag, /^"\d+"$/);
        assert.equal(handoff.result.assignedOperatorId, operator.id);
        assert.equal(handoff.result.aiActive, false);
        const events = (await client.listConversationEvents(conversation.id)).result.data;
        const assigned = events.at(-1);
        assert.equal(assigned.type, "assigned");
        assert.equal(assigned.actor, "routing");
        assert.equal(assigned.data.after.via, "routing");
        assert.equal((await client.getOperator(operator.id)).result.openConversations, 1);
    });

    it("lists waiting conversations oldest request first and drains them when an operator comes online", async () => {
        const client = await newClient();
        const operator = await newOperator(client, { availability: "offline", maxConversations: 5 });
        const first = await newConversation(client);
        const second = await newConversation(client);
        for (const conversation of [second, first]) {
            const waiting = (await client.handoffConversation(conversation.id)).result;
            assert.equal(waiting.assignedOperatorId, null);
            assert.equal(waiting.aiActive, false);
        }
        assert.deepEqual(await waitingIds(client), [second.id, first.id]);
        const events = (await client.listConversationEvents(first.id)).result.data;
        assert.equal(events.at(-1).type, "handoff_requested");

        await client.updateOperator(operator.id, { availability: "online" });

        await eventually(async () => (await waitingIds(client)).length === 0, "both waiting conversations routed");
        assert.equal((await client.getConversation(second.id)).result.assignedOperatorId, operator.id);
        assert.equal((await client.getOperator(operator.id)).result.openConversations, 2);
    });

    it("filters operators on any of the given availabilities", async () => {
        const client = await newClient();
        const online = await newOperator(client, { availability: "online" });
        const away = await newOperator(client, { availability: "away" });
        await newOperator(client, { availability: "offline" });

        const onlineOnly = (await callByName(client, "listOperators", { availability: ["online"] })).result.data;
        const either = (await callByName(client, "listOperators", { availability: ["online", "away"] })).result.data;

        assert.deepEqual(onlineOnly.map((o) => o.id), [online.id]);
        assert.deepEqual(either.map((o) => o.id), [online.id, away.id]);
    });

    it("answers a handoff of a closed conversation with a typed 409 conversation_closed", async () => {
        const client = await newClient();
        const conversation = await newConversation(client);
        await callByName(client, "closeConversation", { id: conversation.id });

        await assert.rejects(client.handoffConversation(conversation.id), (error) => {
            assert.ok(error instanceof ConvorApiError);
            assert.equal(error.status, 409);
            assert.equal(error.code, "conversation_closed");
            return true;
        });
    });
});
