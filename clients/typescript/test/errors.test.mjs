// Every error status the generated client can provoke arrives as a typed ConvorApiError that
// carries the contract's envelope: status, code, message, details and correlationId.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createConvorClient, ConvorApiError } from "../dist/index.js";
import { ConvorServer } from "./support/convor-server.mjs";
import { callByName } from "./support/generated.mjs";

/** Runs `call`, which must fail, and returns the ConvorApiError after checking its shape. */
async function failure(call, status, code) {
    let thrown;
    try {
        await call();
    } catch (error) {
        thrown = error;
    }
    assert.ok(thrown instanceof ConvorApiError, `expected a ConvorApiError, got ${thrown}`);
    assert.ok(thrown instanceof Error);
    assert.equal(thrown.name, "ConvorApiError");
    assert.equal(thrown.status, status, thrown.message);
    assert.equal(thrown.code, code, thrown.message);
    assert.equal(typeof thrown.message, "string");
    assert.notEqual(thrown.message, "");
    assert.equal(typeof thrown.details, "object");
    assert.notEqual(thrown.details, null);
    // The same correlation id as the response header, which is what the server logged.
    assert.equal(thrown.correlationId, thrown.headers["x-correlation-id"]);
    assert.notEqual(thrown.correlationId, "");
    return thrown;
}

describe("typed errors of the generated client", () => {
    /** @type {ConvorServer} */
    let server;
    let client;
    const clientWithKey = (apiKey, fetch) => createConvorClient({ baseUrl: server.baseUrl, apiKey, fetch });

    before(async () => {
        server = await ConvorServer.start();
        client = clientWithKey(server.defaultOrganization.apiKey);
    });
    after(() => server?.stop());

    const newConversation = async () => (await client.createConversation({ channel: "widget" })).result;
    const newOperator = async (active = true) =>
        (await client.createOperator({ name: "Sam Okafor", email: `sam-${randomUUID()}@example.com`, active })).result;

    it("400 validation_error names each offending field in details", async () => {
        const error = await failure(() => client.createConversation({}), 400, "validation_error");
        assert.deepEqual(error.details, { channel: ["is required"] });

        const badEnum = await failure(() => client.createConversation({ channel: "fax" }), 400, "validation_error");
        assert.deepEqual(badEnum.details.channel, ["must be one of: widget, email, api"]);
    });

    it("401 unauthorized for an unknown key, with WWW-Authenticate: Bearer", async () => {
        const error = await failure(() => clientWithKey("cvr_not-a-real-key").getConversation(randomUUID()), 401, "unauthorized");
        assert.equal(error.headers["www-authenticate"], "Bearer");
        assert.deepEqual(error.details, {});
    });

    it("403 forbidden for a key without the scope", async () => {
        const { apiKey } = await server.createKey(server.defaultOrganization.orgId, ["conversations:read"]);
        const readOnly = clientWithKey(apiKey);
        const conversation = await newConversation();

        assert.equal((await readOnly.getConversation(conversation.id)).status, 200);
        await failure(() => readOnly.createConversation({ channel: "widget" }), 403, "forbidden");
        await failure(() => readOnly.closeConversation(conversation.id), 403, "forbidden");
    });

    it("404 for ids that are not in the organization", async () => {
        await failure(() => client.getConversation(randomUUID()), 404, "conversation_not_found");
        await failure(() => client.unassignConversation(randomUUID()), 404, "conversation_not_found");
        await failure(() => client.getOperator(randomUUID()), 404, "operator_not_found");

        const other = await server.createOrganization("Other org");
        const theirs = (await clientWithKey(other.apiKey).createConversation({ channel: "api" })).result;
        await failure(() => client.getConversation(theirs.id), 404, "conversation_not_found");
    });

    it("409 conversation_closed for a command on a closed conversation, and operator_email_taken for a duplicate email", async () => {
        const operator = await newOperator();
        const conversation = await newConversation();
        await client.closeConversation(conversation.id);

        await failure(() => client.assignOperator(conversation.id, { operatorId: operator.id }), 409, "conversation_closed");
        await failure(() => client.unassignConversation(conversation.id), 409, "conversation_closed");
        await failure(() => client.createOperator({ name: "Copy", email: operator.email.toUpperCase() }), 409, "operator_email_taken");
    });

    it("412 precondition_failed when If-Match is not the current ETag", async () => {
        const conversation = await newConversation();
        const { headers } = await client.getConversation(conversation.id);
        await client.closeConversation(conversation.id); // moves the version on

        await failure(() => callByName(client, "closeConversation", { id: conversation.id, ifMatch: headers.etag }), 412, "precondition_failed");
    });

    it("413 payload_too_large for a body over 64 KiB", async () => {
        await failure(() => client.createConversation({ channel: "widget", metadata: { notes: "x".repeat(70 * 1024) } }), 413, "payload_too_large");
    });

    it("415 unsupported_media_type for a body that is not JSON", async () => {
        // The client always sends JSON; a fetch that relabels the body as text shows the error path.
        const relabelled = clientWithKey(server.defaultOrganization.apiKey, (input, init) => {
            const headers = new Headers(init.headers);
            headers.set("Content-Type", "text/plain");
            return fetch(input, { ...init, headers });
        });

        await failure(() => relabelled.createConversation({ channel: "widget" }), 415, "unsupported_media_type");
    });

    it("422 for body references that do not resolve or cannot be used", async () => {
        const conversation = await newConversation();
        const inactive = await newOperator(false);

        await failure(() => client.assignOperator(conversation.id, { operatorId: randomUUID() }), 422, "invalid_operator");
        await failure(() => client.assignOperator(conversation.id, { operatorId: inactive.id }), 422, "operator_inactive");
        await failure(() => client.createConversation({ channel: "widget", visitorId: randomUUID() }), 422, "invalid_visitor");
    });
});
