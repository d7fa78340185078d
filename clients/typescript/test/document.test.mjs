// The committed openapi.json (what the client is generated from) is exactly what the running
// API serves, so the client describes the real server rather than a stale copy.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { ConvorServer } from "./support/convor-server.mjs";

describe("the OpenAPI document", () => {
    /** @type {ConvorServer} */
    let server;
    before(async () => { server = await ConvorServer.start(); });
    after(() => server?.stop());

    it("served at /swagger/v1/swagger.json is byte for byte the committed openapi.json", async () => {
        const committed = await readFile(new URL("../openapi.json", import.meta.url), "utf8");

        const response = await fetch(`${server.baseUrl}/swagger/v1/swagger.json`);

        assert.equal(response.status, 200);
        // Byte for byte: same content, same key order (key order is the wire order the client documents).
        assert.equal(await response.text(), committed);
    });
});
