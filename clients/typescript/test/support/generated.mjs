// Helpers for operations that other work adds to the API later (list, activity log): tests
// find them on the generated client by operation id and skip while they are absent, so they
// start running as soon as the client is regenerated with them.

/** The first of `names` that the generated client has as a method, or undefined. */
export function findOperation(client, ...names) {
    return names.find((name) => typeof client[name] === "function");
}

/** Why a test of `description` is skipped when none of `names` exist, or false to run it. */
export function skipUnlessOperation(client, description, ...names) {
    return findOperation(client, ...names)
        ? false
        : `${description}: the generated client has no ${names.join(" / ")} yet (regenerate after the API adds it)`;
}

/**
 * Calls a generated method by parameter name rather than position, so a test does not depend
 * on the order in which the API declares its query parameters.
 */
export function callByName(client, method, argumentsByName) {
    const source = client[method].toString();
    const parameterNames = source
        .slice(source.indexOf("(") + 1, source.indexOf(")"))
        .split(",")
        .map((parameter) => parameter.trim().split(/[\s=]/)[0])
        .filter(Boolean);
    const unknown = Object.keys(argumentsByName).filter((name) => !parameterNames.includes(name));
    if (unknown.length > 0) throw new Error(`${method}(${parameterNames.join(", ")}) has no parameter ${unknown.join(", ")}`);
    return client[method](...parameterNames.map((name) => argumentsByName[name]));
}
