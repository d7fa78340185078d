// Webhooks end to end: the generated client registers an endpoint, the real API delivers to a
// receiver on 127.0.0.1, and the signature is checked by the reference implementation of the
// spec (npm `standardwebhooks`), code we did not write, and by this package's own helper.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import { createConvorClient, verifyConvorWebhook, ConvorWebhookVerificationError } from "../dist/index.js";
import { ConvorServer } from "./support/convor-server.mjs";

function startReceiver() {
    const received = [];
    const waiters = [];
    const server = createServer((request, response) => {
        const chunks = [];
        request.on("data", (chunk) => chunks.push(chunk));
        request.on("end", () => {
            received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
            response.writeHead(204).end();
            for (const waiter of waiters.splice(0)) waiter();
        });
    });
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
        url: `http://127.0.0.1:${server.address().port}/convor`,
        received,
        async waitFor(count) {
            const deadline = Date.now() + 30_000;
            while (received.length < count) {
                if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} webhooks arrived`);
                await new Promise((wake) => { waiters.push(wake); setTimeout(wake, 200); });
            }
            return received;
        },
        close: () => new Promise((done) => server.close(done)),
    })));
}

describe("webhooks through the generated client", () => {
    let server;
    let client;
    let receiver;

    before(async () => {
        server = await ConvorServer.start();
        client = createConvorClient({ baseUrl: server.baseUrl, apiKey: server.defaultOrganization.apiKey });
        receiver = await startReceiver();
    });
    after(async () => {
        await receiver?.close();
        await server?.stop();
    });

    it("delivers events whose signatures the standardwebhooks reference package verifies", async () => {
        const created = await client.createWebhookEndpoint({ url: receiver.url, events: ["*"], description: "node test" });
        assert.equal(created.status, 201);
        const { secret, id: endpointId } = created.result;
        assert.match(secret, /^whsec_/);
        assert.equal("secret" in (await client.getWebhookEndpoint(endpointId)).result, false);

        const conversation = (await client.createConversation({ channel: "api" })).result;
        await client.updateConversation(conversation.id, { priority: "high" });
        const received = await receiver.waitFor(2);

        const reference = new Webhook(secret);
        const events = received.map(({ headers, body }) => reference.verify(body, headers));
        assert.deepEqual(events.map((e) => e.type).sort(), ["conversation.created", "conversation.updated"]);
        for (const [i, event] of events.entries()) {
            assert.equal(event.id, received[i].headers["webhook-id"]);
            assert.equal(event.data.conversation.id, conversation.id);
            assert.match(event.data.entry.actor, /^apiKey:/);
        }
        assert.throws(() => reference.verify(received[0].body.replace("conversation", "Conversation"), received[0].headers));
    });

    it("verifies with the package's own typed helper, and refuses a tampered body or a wrong secret", async () => {
        const before = receiver.received.length;
        const { secret } = (await client.createWebhookEndpoint({ url: receiver.url, events: ["conversation.closed"] })).result;
        const conversation = (await client.createConversation({ channel: "api" })).result;
        await client.closeConversation(conversation.id, { resolvedBy: "visitor" });
        const received = await receiver.waitFor(before + 3); // created and closed for the first endpoint, closed for this one
        const closed = received.slice(before).filter(({ headers, body }) => {
            try { new Webhook(secret).verify(body, headers); return true; } catch { return false; }
        });
        assert.equal(closed.length, 1);

        const event = await verifyConvorWebhook(secret, closed[0].body, closed[0].headers);
        assert.equal(event.type, "conversation.closed");
        assert.equal(event.data.conversation.resolvedBy, "visitor");
        assert.equal(event.data.version, 2);
        await assert.rejects(verifyConvorWebhook(secret, closed[0].body + " ", closed[0].headers), ConvorWebhookVerificationError);
        const otherSecret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
        await assert.rejects(verifyConvorWebhook(otherSecret, closed[0].body, closed[0].headers), ConvorWebhookVerificationError);

        // The same through the client: convor.webhooks.verify(rawBody, headers, secret).
        const viaClient = await client.webhooks.verify(closed[0].body, closed[0].headers, secret);
        assert.equal(viaClient.id, event.id);
        await assert.rejects(client.webhooks.verify(closed[0].body.replace("visitor", "operator"), closed[0].headers, secret), ConvorWebhookVerificationError);
        await assert.rejects(client.webhooks.verify(closed[0].body, closed[0].headers, otherSecret), ConvorWebhookVerificationError);
        // Ten minutes later the same webhook is a replay: outside the 5-minute tolerance.
        const tenMinutesLater = () => Number(closed[0].headers["webhook-timestamp"]) * 1000 + 10 * 60 * 1000;
        await assert.rejects(client.webhooks.verify(closed[0].body, closed[0].headers, secret, { now: tenMinutesLater }), ConvorWebhookVerificationError);
        assert.equal((await client.webhooks.verify(closed[0].body, closed[0].headers, secret, { now: tenMinutesLater, toleranceSeconds: 3600 })).type, "conversation.closed");

        // The endpoint's deliveries through the pager: this one's single delivery, succeeded.
        const endpoints = [];
        for await (const endpoint of client.webhooks.list()) endpoints.push(endpoint);
        const mine = endpoints.find((e) => e.url === receiver.url && e.events.length === 1 && e.events[0] === "conversation.closed");
        assert.ok(mine);
        // The receiver has the webhook; the dispatcher records the success just after it answered.
        let deliveries = [];
        for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
            deliveries = await client.webhooks.listDeliveries({ id: mine.id }).toArray();
            if (deliveries.every((d) => d.status !== "pending")) break;
        }
        assert.deepEqual(deliveries.map((d) => [d.eventType, d.status]), [["conversation.closed", "succeeded"]]);
    });
});
