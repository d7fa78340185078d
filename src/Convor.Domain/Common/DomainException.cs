namespace Convor.Domain.Common;

/// <summary>
/// A broken business rule. <see cref="Code"/> is the contract's error code; the API's one
/// exception mapper turns the exception type into the HTTP status.
/// </summary>
public abstract class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The state of the aggregate forbids the command (HTTP 409).</summary>
public abstract class DomainStateException(string code, string message) : DomainException(code, message);

/// <summary>A reference in the request does not resolve to something usable (HTTP 422).</summary>
public abstract class DomainReferenceException(string code, string message) : DomainException(code, message);
