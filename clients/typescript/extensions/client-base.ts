// Hand-written; NSwag copies this file into src/convor-client.ts (nswag.json "extensionCode").
// It is the generated client's base class: it adds the API key to every request and turns
// every failure the generated code throws into one typed ConvorApiError.
import { ConvorApiError } from "./errors.js";

/** What every request needs. */
export interface ConvorClientConfig {
    /** An API key (`cvr_…`) of the organization to act in; sent as `Authorization: Bearer <apiKey>`. */
    apiKey: string;
}

export class ClientBase {
    private readonly config: ConvorClientConfig;

    protected constructor(config: ConvorClientConfig) {
        this.config = config;
    }

    protected transformOptions(options: RequestInit): Promise<RequestInit> {
        const headers = new Headers(options.headers);
        // The generated code writes an optional header it was not given as "" (If-Match,
        // Idempotency-Key); an empty value means "not sent", and the API refuses an empty
        // Idempotency-Key, so such headers are dropped here.
        for (const [name, value] of [...headers]) {
            if (value === "") headers.delete(name);
        }
        headers.set("Authorization", `Bearer ${this.config.apiKey}`);
        return Promise.resolve({ ...options, headers });
    }

    protected transformResult<T>(_url: string, response: Response, processor: (response: Response) => Promise<T>): Promise<T> {
        return processor(response).catch((failure: unknown) => {
            throw ConvorApiError.fromFailure(response, failure);
        });
    }
}
