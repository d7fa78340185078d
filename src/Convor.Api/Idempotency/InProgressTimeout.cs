using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Idempotency;
using Convor.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace Convor.Api.Idempotency;

/// <summary>
/// Keeps <see cref="IdempotencyOptions.InProgressTimeoutSeconds"/> above the longest one
/// command can run, so a take-over never runs a command beside its still-running first
/// attempt. Unset, it is derived from the database settings; set below the bound, the host
/// refuses to start.
/// </summary>
internal sealed class InProgressTimeout(IOptions<DatabaseOptions> database)
    : IPostConfigureOptions<IdempotencyOptions>, IValidateOptions<IdempotencyOptions>
{
    /// <summary>Statements of one attempt that may each run up to the command timeout: the read, and the save.</summary>
    internal const int SlowStatementsPerAttempt = 2;

    /// <summary>
    /// The worst case of one command: every concurrency retry
    /// (<see cref="ConcurrencyRetryBehaviour{TMessage, TResponse}.MaxAttempts"/>) × every try
    /// of the execution strategy (<c>Database:MaxRetryCount</c> + 1) × its slow statements ×
    /// <c>Database:CommandTimeoutSeconds</c>. With the shipped settings: 4 × 4 × 2 × 15 s = 480 s.
    /// </summary>
    public static int LongestCommandSeconds(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var tries = database.Provider == DatabaseProvider.Sqlite ? 1 : database.MaxRetryCount + 1; // SQLite has no retrying strategy
        return ConcurrencyRetryBehaviour<Mediator.ICommand, Mediator.Unit>.MaxAttempts * tries * SlowStatementsPerAttempt * database.CommandTimeoutSeconds;
    }

    /// <summary>The default: the worst case plus one command timeout to record the answer.</summary>
    public static int DefaultSeconds(DatabaseOptions database) =>
        LongestCommandSeconds(database) + database.CommandTimeoutSeconds;

    public void PostConfigure(string? name, IdempotencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.InProgressTimeoutSeconds ??= DefaultSeconds(database.Value);
    }

    public ValidateOptionsResult Validate(string? name, IdempotencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var longest = LongestCommandSeconds(database.Value);
        return options.InProgressTimeoutSeconds > longest
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Idempotency:InProgressTimeoutSeconds ({options.InProgressTimeoutSeconds}) must be above the longest one command can run " +
                $"with these Database settings ({longest} s); leave it unset to derive it.");
    }
}
