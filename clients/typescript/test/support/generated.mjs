// Helpers that keep the tests independent of what other work adds to the API later: operations
// (list, activity log) are found on the generated client by operation id and their tests skip
// while they are absent; optional parameters (If-Match, and headers still to come) are passed
// by name, since a new header parameter can change their positions.

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
