// The hand-written layer against the real API: pagers over every list operation, retries that
// never apply a command twice (a loopback proxy loses answers the API already sent), 429 with
// Retry-After, the Idempotency-Key per call, timeouts and cancellation.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createConvorClient, ConvorApiError, ConvorTimeoutError, Pager } from "../dist/index.js";
import { ConvorServer } from "./support/convor-server.mjs";
import { FlakyProxy } from "./support/flaky-proxy.mjs";

describe("pagers", () => {
    /** @type {ConvorServer} */
    let server;
    let convor;
    const sent = [];
    /** The 250 conversations of a fresh organization, in the list's order (newest first). */
    let expected;

    before(async () => {
        server = await ConvorServer.start();
        const { apiKey } = await server.createOrganization("Pager org");
        convor = createConvorClient({
            baseUrl: server.baseUrl,
            apiKey,
            fetch: (input, init) => { sent.push(String(input)); return fetch(input, init); },
        });
        const created = [];
        for (let i = 0; i < 250; i++) created.push((await convor.createConversation({ channel: "api", metadata: { n: String(i) } })).result.id);
        // Without messages the list is newest createdAt first, then id: the reverse of creation.
        expected = created.reverse();
    });
    after(() => server?.stop());

    it("iterates 250 conversations in pages of 25, each seen once and in order", async () => {
        sent.length = 0;
        const seen = [];
        for await (const conversation of convor.conversations.list({ limit: 25 })) seen.push(conversation.id);

        assert.deepEqual(seen, expected);
        const listRequests = sent.filter((url) => url.includes("/api/conversations?"));
        assert.ok(listRequests.length >= 10 && listRequests.length <= 11, `${listRequests.length} page requests`);
        assert.ok(listRequests.every((url) => url.includes("limit=25")));
        assert.equal(listRequests.filter((url) => url.includes("cursor=")).length, listRequests.length - 1);
    });

    it("gives a page at a time, resumes from a kept cursor, and stops at an item limit", async () => {
        const pages = [];
        for await (const page of convor.conversations.list({ limit: 25 }).pages()) {
            pages.push(page);
            if (pages.length === 2) break;
        }
        assert.deepEqual(pages.map((p) => p.data.length), [25, 25]);
        assert.equal(typeof pages[1].nextCursor, "string");

        const resumed = await convor.conversations.list({ limit: 25 }, { cursor: pages[1].nextCursor, maxItems: 10 }).toArray();
        assert.deepEqual(resumed.map((c) => c.id), expected.slice(50, 60));

        sent.length = 0;
        const limited = await convor.paginate.listConversations({ limit: 25 }, { maxItems: 30 }).toArray();
        assert.deepEqual(limited.map((c) => c.id), expected.slice(0, 30));
        assert.equal(sent.length, 2, "a page that is not needed is not fetched");
    });

    it("passes filters through and pages the activity log, the messages and the operators", async () => {
        const [first] = await convor.conversations.list({ limit: 1 }, { maxItems: 1 }).toArray();
        await convor.closeConversation(first.id);
        const closed = await convor.conversations.list({ status: ["closed"] }).toArray();
        assert.deepEqual(closed.map((c) => c.id), [first.id]);

        const events = await convor.conversations.listEvents({ id: first.id, limit: 1 }).toArray();
        assert.deepEqual(events.map((e) => e.type), ["created", "closed"]);

        const talking = (await convor.createConversation({ channel: "widget" })).result;
        for (const body of ["one", "two", "three"]) await convor.addMessage(talking.id, { author: "visitor", body });
        const messages = await convor.conversations.listMessages({ id: talking.id, limit: 2 }).toArray();
        assert.deepEqual(messages.map((m) => m.body), ["one", "two", "three"]);

        for (let i = 0; i < 3; i++) await convor.createOperator({ name: `Operator ${i}`, email: `op-${randomUUID()}@example.com` });
        const operators = await convor.operators.list({ limit: 2 }).toArray();
        assert.equal(operators.length, 3);
        assert.equal(new Set(operators.map((o) => o.id)).size, 3);
        assert.ok(convor.paginate.listOperators() instanceof Pager);
    });
});

describe("retries, idempotency keys and timeouts", () => {
    /** @type {ConvorServer} */
    let server;
    /** @type {FlakyProxy} */
    let proxy;
    let apiKey;
    const retries = [];
    const client = (options = {}) => createConvorClient({
        baseUrl: proxy.baseUrl, apiKey, baseDelayMs: 10, onRetry: (event) => retries.push(event), ...options,
    });
    const conversationsWith = async (marker) =>
        (await createConvorClient({ baseUrl: server.baseUrl, apiKey }).conversations.list({ q: marker }).toArray());

    before(async () => {
        server = await ConvorServer.start();
        apiKey = server.defaultOrganization.apiKey;
        proxy = await FlakyProxy.start(server.baseUrl);
    });
    after(async () => {
        await proxy?.close();
        await server?.stop();
    });

    it("retries a command whose answer was a 503 after the API applied it, and it is applied exactly once", async () => {
        const marker = `once-${randomUUID()}`;
        proxy.requests.length = 0;
        proxy.fail({ kind: "503-after-forwarding", retryAfter: "0" });

        const created = await client().createConversation({ channel: "api", metadata: { marker } });

        assert.equal(created.status, 201);
        assert.equal(created.headers["idempotency-replayed"], "true", "the retry was answered from the first attempt's record");
        assert.deepEqual(proxy.requests.map((r) => r.status), [503, 201]);
        assert.equal((await conversationsWith(marker)).length, 1);
    });

    it("sends the same generated Idempotency-Key on every retry of one call and a new one for each call", async () => {
        proxy.requests.length = 0;
        proxy.fail({ kind: "503-after-forwarding" }, { kind: "drop-connection" });
        const convor = client();

        const first = (await convor.createConversation({ channel: "api" })).result;
        proxy.fail({ kind: "409-in-progress" });
        await convor.updateConversation(first.id, { priority: "high" });

        const keys = proxy.requests.map((r) => r.idempotencyKey);
        assert.equal(keys.length, 5);
        assert.match(keys[0], /^[0-9a-f-]{36}$/);
        assert.deepEqual([keys[1], keys[2]], [keys[0], keys[0]], "one call, one key");
        assert.equal(keys[3], keys[4]);
        assert.notEqual(keys[3], keys[0], "another call, another key");
        assert.equal((await convor.listConversationEvents(first.id)).result.data.filter((e) => e.type === "priority_changed").length, 1);
    });

    it("uses the caller's Idempotency-Key, from the call's options or the generated parameter", async () => {
        proxy.requests.length = 0;
        const mine = `mine-${randomUUID()}`;
        const convor = client();

        await convor.withOptions({ idempotencyKey: mine }).createConversation({ channel: "api" });
        const again = await convor.createConversation({ channel: "api" }, mine);

        assert.deepEqual(proxy.requests.map((r) => r.idempotencyKey), [mine, mine]);
        assert.equal(again.headers["idempotency-replayed"], "true");
    });

    it("retries a read after a dropped connection, without an Idempotency-Key", async () => {
        const conversation = (await client().createConversation({ channel: "api" })).result;
        proxy.requests.length = 0;
        proxy.fail({ kind: "drop-connection" });

        const read = await client().getConversation(conversation.id);

        assert.equal(read.result.id, conversation.id);
        assert.deepEqual(proxy.requests.map((r) => [r.method, r.idempotencyKey, r.status]), [["GET", undefined, -1], ["GET", undefined, 200]]);
    });

    it("never retries another 4xx, and stops after maxRetries with the last answer as a ConvorApiError", async () => {
        proxy.requests.length = 0;
        await assert.rejects(client().getConversation(randomUUID()), (e) => e instanceof ConvorApiError && e.status === 404);
        assert.equal(proxy.requests.length, 1);

        proxy.requests.length = 0;
        proxy.fail(...Array.from({ length: 3 }, () => ({ kind: "503-after-forwarding", retryAfter: "0" })));
        const error = await client({ maxRetries: 2 }).listOperators().catch((e) => e);
        assert.ok(error instanceof ConvorApiError);
        assert.equal(error.status, 503);
        assert.equal(error.code, "service_unavailable");
        assert.equal(error.retryAfter, 0);
        assert.equal(proxy.requests.length, 3);
    });

    it("times out with a ConvorTimeoutError, per client and per call, and cancels with an AbortSignal", async () => {
        proxy.fail({ kind: "hold", holdMs: 3_000 });
        const timedOut = await client({ timeoutMs: 100 }).listOperators().catch((e) => e);
        assert.ok(timedOut instanceof ConvorTimeoutError, `got ${timedOut}`);
        assert.equal(timedOut instanceof ConvorApiError, false);
        assert.equal(timedOut.timeoutMs, 100);

        proxy.fail({ kind: "hold", holdMs: 3_000 });
        const perCall = await client().withOptions({ timeoutMs: 100 }).listOperators().catch((e) => e);
        assert.ok(perCall instanceof ConvorTimeoutError);

        proxy.fail({ kind: "hold", holdMs: 3_000 });
        const controller = new AbortController();
        const pending = client().listOperators(undefined, undefined, undefined, controller.signal).catch((e) => e);
        setTimeout(() => controller.abort(), 50);
        const aborted = await pending;
        assert.equal(aborted.name, "AbortError");
        assert.equal(aborted instanceof ConvorTimeoutError, false);
    });
});

describe("rate limits", () => {
    /** @type {ConvorServer} */
    let server;
    before(async () => {
        server = await ConvorServer.start({ RateLimiting__PermitLimit: "2", RateLimiting__WindowSeconds: "2" });
    });
    after(() => server?.stop());

    it("retries a 429 after the Retry-After the API named", async () => {
        const retries = [];
        const answers = [];
        const convor = createConvorClient({
            baseUrl: server.baseUrl,
            apiKey: server.defaultOrganization.apiKey,
            onRetry: (event) => retries.push(event),
            fetch: async (input, init) => {
                const response = await fetch(input, init);
                answers.push({ status: response.status, retryAfter: response.headers.get("retry-after") });
                return response;
            },
        });

        for (let i = 0; i < 6; i++) assert.equal((await convor.listOperators()).status, 200);

        const limited = answers.find((a) => a.status === 429);
        assert.ok(limited, "the API answered 429 at least once");
        assert.match(limited.retryAfter, /^\d+$/);
        const retried = retries.find((r) => r.status === 429);
        assert.equal(retried.delayMs, Number(limited.retryAfter) * 1000);
    });

    it("gives up without retries as a ConvorApiError that carries retryAfter", async () => {
        const convor = createConvorClient({ baseUrl: server.baseUrl, apiKey: server.defaultOrganization.apiKey, maxRetries: 0 });
        let error;
        for (let i = 0; i < 4 && !error; i++) error = await convor.listOperators().then(() => undefined, (e) => e);

        assert.ok(error instanceof ConvorApiError, `got ${error}`);
        assert.equal(error.code, "rate_limited");
        assert.equal(typeof error.retryAfter, "number");
        assert.ok(error.retryAfter >= 1);
    });
});
