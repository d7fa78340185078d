// A tiny HTTP proxy on 127.0.0.1 in front of the real API, for the client's retry tests: it
// records what the client sent and, when told, spoils the next answers the way a load balancer
// or a flaky network would (a 503 after the API already applied the command, a dropped
// connection, a slow answer). Everything else is forwarded unchanged.
import { createServer } from "node:http";

/**
 * @typedef {{ kind: "503-after-forwarding" | "409-in-progress" | "drop-connection" | "hold", retryAfter?: string, holdMs?: number }} Fault
 */
export class FlakyProxy {
    /** @type {{ method: string, path: string, idempotencyKey: string | undefined, status: number }[]} */
    requests = [];
    /** @type {Fault[]} */
    #faults = [];
    #server;
    #target;
    baseUrl;

    static async start(targetBaseUrl) {
        const proxy = new FlakyProxy();
        proxy.#target = targetBaseUrl;
        proxy.#server = createServer((request, response) => proxy.#handle(request, response).catch(() => request.socket.destroy()));
        await new Promise((resolve) => proxy.#server.listen(0, "127.0.0.1", resolve));
        proxy.baseUrl = `http://127.0.0.1:${proxy.#server.address().port}`;
        return proxy;
    }

    /** Spoils the next answers, one fault per request, in order. */
    fail(...faults) {
        this.#faults.push(...faults);
    }

    async #handle(request, response) {
        const chunks = [];
        for await (const chunk of request) chunks.push(chunk);
        const record = { method: request.method, path: request.url, idempotencyKey: request.headers["idempotency-key"], status: 0 };
        this.requests.push(record);
        const fault = this.#faults.shift();

        if (fault?.kind === "drop-connection") {
            record.status = -1;
            request.socket.destroy();
            return;
        }
        if (fault?.kind === "409-in-progress") {
            record.status = 409;
            response.writeHead(409, { "content-type": "application/json" }).end(JSON.stringify({ error: {
                code: "idempotency_in_progress", message: "A request with this Idempotency-Key is still being processed.",
                details: {}, correlationId: "proxy" } }));
            return;
        }
        const headers = { ...request.headers };
        delete headers.host;
        delete headers.connection;
        const upstream = await fetch(this.#target + request.url, {
            method: request.method,
            headers,
            body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        if (fault?.kind === "503-after-forwarding") {
            // The API has applied the command; the client only learns that the answer was lost.
            record.status = 503;
            response.writeHead(503, { "content-type": "application/json", "retry-after": fault.retryAfter ?? "0" }).end(JSON.stringify({ error: {
                code: "service_unavailable", message: "The service is temporarily unavailable.", details: {}, correlationId: "proxy" } }));
            return;
        }
        if (fault?.kind === "hold") await new Promise((resolve) => setTimeout(resolve, fault.holdMs ?? 5_000));
        record.status = upstream.status;
        const answerHeaders = {};
        upstream.headers.forEach((value, name) => {
            if (!["content-length", "transfer-encoding", "connection", "keep-alive"].includes(name)) answerHeaders[name] = value;
        });
        if (!request.socket.destroyed) response.writeHead(upstream.status, answerHeaders).end(body);
    }

    close() {
        this.#server.closeAllConnections();
        return new Promise((resolve) => this.#server.close(resolve));
    }
}
