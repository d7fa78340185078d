namespace Convor.Domain.Common;

/// <summary>
/// Every <c>error.code</c> the API answers with, in one list: the contract's vocabulary.
/// Kept in the innermost project so that domain rules, use cases and HTTP plumbing all name
/// their codes from here and none is spelled twice.
/// </summary>
public static class ErrorCodes
{
    public const string ValidationError = "validation_error";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string ConversationNotFound = "conversation_not_found";
    public const string OperatorNotFound = "operator_not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string NotAcceptable = "not_acceptable";
    public const string Conflict = "conflict";
    public const string ConversationClosed = "conversation_closed";
    public const string ConcurrencyConflict = "concurrency_conflict";
    public const string OperatorEmailTaken = "operator_email_taken";
    public const string AiNotActive = "ai_not_active";
    public const string OperatorNotAssigned = "operator_not_assigned";
    public const string IdempotencyInProgress = "idempotency_in_progress";
    public const string PreconditionFailed = "precondition_failed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string OperatorInactive = "operator_inactive";
    public const string InvalidOperator = "invalid_operator";
    public const string InvalidVisitor = "invalid_visitor";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string RateLimited = "rate_limited";
    public const string InternalError = "internal_error";
    public const string ServiceUnavailable = "service_unavailable";
    public const string Error = "error";
}
