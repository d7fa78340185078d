using Convor.Domain.Common;
namespace Convor.Application.Common.Exceptions;

/// <summary>Base of the failures the application layer reports; <see cref="Code"/> is the contract code.</summary>
public abstract class ConvorException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The path id does not exist in the current organization (HTTP 404).</summary>
public class NotFoundException(string code, string message) : ConvorException(code, message);

public sealed class ConversationNotFoundException()
    : NotFoundException(ErrorCodes.ConversationNotFound, "Conversation was not found.");

public sealed class OperatorNotFoundException()
    : NotFoundException(ErrorCodes.OperatorNotFound, "Operator was not found.");

/// <summary>Input of the wrong shape (HTTP 400); <see cref="Errors"/> maps each field to its messages.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : ConvorException(ErrorCodes.ValidationError, GenericMessage)
{
    /// <summary>The message of every <c>validation_error</c>; the details say what is wrong.</summary>
    public const string GenericMessage = "The request is not valid.";

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Another writer changed the same row first and a retry did not help (HTTP 409).</summary>
public sealed class ConcurrencyConflictException()
    : ConvorException(ErrorCodes.ConcurrencyConflict, "The conversation was changed by another request; retry with fresh state.");

/// <summary>The request's If-Match does not name the current version (HTTP 412).</summary>
public sealed class PreconditionFailedException()
    : ConvorException(ErrorCodes.PreconditionFailed, "If-Match does not match the current ETag.");

/// <summary>A value that must be unique in the organization is taken (HTTP 409).</summary>
public sealed class ConflictException(string code, string message) : ConvorException(code, message);

/// <summary>A write hit a unique index; infrastructure raises it so the application can name the conflict.</summary>
public sealed class UniqueConstraintViolationException(Exception inner)
    : Exception("A unique constraint was violated.", inner);

/// <summary>
/// The message id is not one of the conversation's. The contract has no code of its own for
/// messages; <c>not_found</c> is its code for "nothing at this address".
/// </summary>
public sealed class MessageNotFoundException()
    : NotFoundException(ErrorCodes.NotFound, "Message was not found.");
