// Hand-written: walking a list operation page by page, following `nextCursor`.

/** What every list operation answers. */
export interface Page<T> {
    data: T[];
    nextCursor: string | null;
}

export interface PaginationOptions {
    /** Stop after this many items (the last page is cut), across pages. */
    maxItems?: number;
    /** Start from this cursor (a `nextCursor` kept from an earlier page) instead of the first page. */
    cursor?: string;
    /** Cancels the walk; each page request carries it. */
    signal?: AbortSignal;
}

/**
 * The items of a list operation, fetched a page at a time as they are consumed:
 * `for await (const item of pager)`. `pages()` gives whole pages instead, each with its
 * `nextCursor` (keep it to resume later with `{ cursor }`); `toArray()` collects the items.
 */
export class Pager<T> implements AsyncIterable<T> {
    readonly #fetchPage: (cursor: string | undefined, signal: AbortSignal | undefined) => Promise<Page<T>>;
    readonly #options: PaginationOptions;

    constructor(fetchPage: (cursor: string | undefined, signal: AbortSignal | undefined) => Promise<Page<T>>, options: PaginationOptions = {}) {
        this.#fetchPage = fetchPage;
        this.#options = options;
    }

    /** The pages, in the API's order; with `maxItems` the last one is cut to the limit. */
    async *pages(): AsyncGenerator<Page<T>, void, undefined> {
        let remaining = this.#options.maxItems ?? Number.POSITIVE_INFINITY;
        let cursor = this.#options.cursor;
        while (remaining > 0) {
            const page = await this.#fetchPage(cursor, this.#options.signal);
            const data = page.data.length > remaining ? page.data.slice(0, remaining) : page.data;
            remaining -= data.length;
            yield { data, nextCursor: page.nextCursor };
            if (page.nextCursor === null || page.nextCursor === undefined || page.nextCursor === "") return;
            cursor = page.nextCursor;
        }
    }

    async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
        for await (const page of this.pages()) yield* page.data;
    }

    async toArray(): Promise<T[]> {
        const items: T[] = [];
        for await (const item of this) items.push(item);
        return items;
    }
}
