using System.Collections.Concurrent;
using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Idempotency;
using Convor.Domain.Common;
using Convor.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Convor.Api.FunctionalTests.Faults;

/// <summary>
/// What reaches the logs: expected races are not errors (and a provider's duplicate-key
/// message, which can carry an email, is not logged at all); a real fault is logged once.
/// </summary>
public sealed class ErrorLoggingTests(string database) : ApiTestBase(database)
{
    private readonly CapturedLogs logs = new();
    private readonly FaultSwitch faults = new();

    protected override void ReplaceServices(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(logs);
        services.AddSingleton(faults);
        services.AddScoped<IUnitOfWork>(sp => new FaultingUnitOfWork(ActivatorUtilities.CreateInstance<UnitOfWork>(sp), faults));
    }

    [Test]
    public async Task A_duplicate_idempotency_key_claim_is_not_logged_as_an_error()
    {
        var store = Factory.Services.GetRequiredService<IIdempotencyStore>();
        var now = DateTimeOffset.UtcNow;
        var claim = new IdempotencyClaim(new OrganizationId(Org.OrgId), "dup-" + Guid.NewGuid().ToString("N"), "f", Guid.NewGuid(), now, now.AddHours(1));
        (await store.TryClaimAsync(claim, CancellationToken.None)).ShouldBeTrue();
        logs.Clear();

        (await store.TryClaimAsync(claim with { AttemptId = Guid.NewGuid() }, CancellationToken.None)).ShouldBeFalse();

        logs.AtLeast(LogLevel.Error).ShouldBeEmpty();
    }

    [Test]
    public async Task Racing_creates_of_one_operator_email_log_no_error_and_never_the_email()
    {
        var email = $"race-{Guid.NewGuid():N}@example.test";
        logs.Clear();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await Client.PostAsync("/api/operators", Json($$"""{"name":"Racer","email":"{{email}}"}"""));
            return response.StatusCode;
        }));

        answers.Count(s => s == HttpStatusCode.Created).ShouldBe(1);
        answers.Count(s => s == HttpStatusCode.Conflict).ShouldBe(answers.Length - 1);
        logs.AtLeast(LogLevel.Error).ShouldBeEmpty();
        logs.All.ShouldNotContain(line => line.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    [Test]
    public async Task A_server_fault_is_logged_once_at_error()
    {
        logs.Clear();
        faults.FailNext = true;

        using var response = await Client.PostAsync("/api/conversations", Json("""{"channel":"api"}"""));

        await ShouldBeErrorAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        logs.AtLeast(LogLevel.Error).Count.ShouldBe(1);
    }

    private sealed class FaultSwitch
    {
        public volatile bool FailNext;
    }

    private sealed class FaultingUnitOfWork(IUnitOfWork inner, FaultSwitch faults) : IUnitOfWork
    {
        public Task SaveChangesAsync(CancellationToken cancellationToken)
        {
            if (faults.FailNext)
            {
                faults.FailNext = false;
                throw new InvalidOperationException("injected fault");
            }
            return inner.SaveChangesAsync(cancellationToken);
        }

        public void DiscardChanges() => inner.DiscardChanges();
    }

    /// <summary>Every log line of the API under test, with its level and its exception's text.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Text)> lines = new();

        public List<string> All => lines.Select(l => l.Text).ToList();

        public List<string> AtLeast(LogLevel level) => lines.Where(l => l.Level >= level).Select(l => l.Text).ToList();

        public void Clear() => lines.Clear();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturedLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.lines.Enqueue((logLevel, $"{category}: {formatter(state, exception)} {exception}"));
        }
    }
}
