// Starts the real Convor API (the built Convor.Api.dll) on a free loopback port with its
// embedded default database in a fresh temporary directory, and makes organizations and keys
// with the API's own admin command line. Tests then talk to it only through the generated client.
import { spawn, execFile } from "node:child_process";
import { mkdtemp, rm, access } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const configuration = process.env.CONFIGURATION ?? "Debug";
const apiDll = join(repoRoot, "src/Convor.Api/bin", configuration, "net10.0/Convor.Api.dll");
const startTimeoutMs = 60_000;

function freeLoopbackPort() {
    return new Promise((resolvePort, reject) => {
        const probe = createServer();
        probe.unref();
        probe.on("error", reject);
        probe.listen(0, "127.0.0.1", () => {
            const { port } = probe.address();
            probe.close(() => resolvePort(port));
        });
    });
}

export class ConvorServer {
    /** @type {import("node:child_process").ChildProcess | undefined} */
    #process;
    #output = "";
    #directory;
    #env;
    baseUrl;

    /** @param {Record<string, string>} [settings] extra configuration, e.g. `{ RateLimiting__PermitLimit: "2" }`. */
    static async start(settings = {}) {
        try {
            await access(apiDll);
        } catch {
            throw new Error(`${apiDll} is missing: build the API first (dotnet build src/Convor.Api -c ${configuration}).`);
        }
        const server = new ConvorServer();
        await server.#start(settings);
        return server;
    }

    async #start(settings) {
        this.#directory = await mkdtemp(join(tmpdir(), "convor-client-test-"));
        const port = await freeLoopbackPort();
        this.baseUrl = `http://127.0.0.1:${port}`;
        this.#env = {
            ...process.env,
            ASPNETCORE_ENVIRONMENT: "Testing",
            ASPNETCORE_URLS: this.baseUrl,
            Database__Provider: "Sqlite",
            ConnectionStrings__Convor: `Data Source=${join(this.#directory, "convor.db")}`,
            Logging__LogLevel__Default: "Warning",
            // Webhook tests deliver to a receiver on 127.0.0.1 over plain http.
            Webhooks__SecretEncryptionKey: "bm9kZS10ZXN0LWtleS1mb3Itd2ViaG9vay1zZWNyZXQ=",
            Webhooks__AllowHttp: "true",
            Webhooks__AllowPrivateNetworks: "true",
            Webhooks__PollIntervalMilliseconds: "100",
            ...settings,
        };
        // Migrate through the admin command line first, so the server does not race it.
        this.defaultOrganization = await this.createOrganization("Client test org");

        this.#process = spawn("dotnet", [apiDll], { env: this.#env, stdio: ["ignore", "pipe", "pipe"] });
        const keep = (chunk) => { this.#output = (this.#output + chunk).slice(-20_000); };
        this.#process.stdout.on("data", keep);
        this.#process.stderr.on("data", keep);
        const exited = new Promise((_, reject) => this.#process.once("exit", (code) =>
            reject(new Error(`the API exited (code ${code}) before it was ready:\n${this.#output}`))));
        exited.catch(() => {});
        await Promise.race([this.#waitUntilReady(), exited]);
    }

    async #waitUntilReady() {
        const deadline = Date.now() + startTimeoutMs;
        while (Date.now() < deadline) {
            try {
                const response = await fetch(`${this.baseUrl}/health/ready`);
                if (response.ok) return;
            } catch {
                // not listening yet
            }
            await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error(`the API did not answer /health/ready within ${startTimeoutMs} ms:\n${this.#output}`);
    }

    async #admin(...args) {
        const { stdout } = await execFileAsync("dotnet", [apiDll, ...args], { env: this.#env });
        return JSON.parse(stdout.trim());
    }

    /** `orgs create --name <name>`: `{ orgId, apiKey }`. */
    createOrganization(name) {
        return this.#admin("orgs", "create", "--name", name);
    }

    /** `keys create --org <orgId> --scopes <scopes>`: `{ keyId, apiKey }`. */
    createKey(orgId, scopes) {
        return this.#admin("keys", "create", "--org", orgId, "--scopes", scopes.join(","));
    }

    async stop() {
        if (this.#process && this.#process.exitCode === null) {
            const exited = new Promise((r) => this.#process.once("exit", r));
            this.#process.kill("SIGTERM");
            await exited;
        }
        if (this.#directory) await rm(this.#directory, { recursive: true, force: true });
    }
}
