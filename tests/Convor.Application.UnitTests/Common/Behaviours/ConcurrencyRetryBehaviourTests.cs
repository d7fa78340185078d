using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Application.Conversations.CloseConversation;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Microsoft.Extensions.Logging;
using Moq;

namespace Convor.Application.UnitTests.Common.Behaviours;

public sealed class ConcurrencyRetryBehaviourTests
{
    private const int MaxAttempts = ConcurrencyRetryBehaviour<CloseConversationCommand, ConversationResult>.MaxAttempts;

    private static readonly CloseConversationCommand Command = new(ConversationId.New(), null);

    private readonly Mock<IUnitOfWork> _unitOfWork = new(MockBehavior.Strict);
    private readonly CapturingLogger<ConcurrencyRetryBehaviour<CloseConversationCommand, ConversationResult>> _logger = new();
    private readonly List<string> _steps = [];
    private readonly ConversationResult _result = new HandlerScenario().StoredConversation().ToResult();

    public ConcurrencyRetryBehaviourTests()
    {
        _unitOfWork.Setup(u => u.DiscardChanges()).Callback(() => _steps.Add("discard"));
    }

    private ConcurrencyRetryBehaviour<CloseConversationCommand, ConversationResult> Behaviour() => new(_unitOfWork.Object, _logger);

    /// <summary>A handler that loses the race <paramref name="conflicts"/> times, then succeeds.</summary>
    private Mediator.MessageHandlerDelegate<CloseConversationCommand, ConversationResult> HandlerLosing(int conflicts) => (_, _) =>
    {
        _steps.Add("attempt");
        if (_steps.Count(s => s == "attempt") <= conflicts) throw new ConcurrencyConflictException();
        return ValueTask.FromResult(_result);
    };

    [Test]
    public void The_bound_allows_at_least_one_retry()
    {
        MaxAttempts.ShouldBeGreaterThan(1);
    }

    [Test]
    public async Task A_command_that_wins_runs_once_and_discards_nothing()
    {
        var result = await Behaviour().Handle(Command, HandlerLosing(0), CancellationToken.None);

        result.ShouldBeSameAs(_result);
        _steps.ShouldBe(["attempt"]);
        _logger.Entries.ShouldBeEmpty();
    }

    [Test]
    public async Task A_lost_race_is_retried_on_fresh_state_until_it_wins()
    {
        var result = await Behaviour().Handle(Command, HandlerLosing(MaxAttempts - 1), CancellationToken.None);

        result.ShouldBeSameAs(_result);
        var expected = Enumerable.Repeat(new[] { "attempt", "discard" }, MaxAttempts - 1).SelectMany(s => s).Append("attempt");
        _steps.ShouldBe(expected);
        _logger.Entries.Count.ShouldBe(MaxAttempts - 1);
        _logger.Entries.ShouldAllBe(e => e.Level == LogLevel.Information && e.Message.Contains(nameof(CloseConversationCommand)));
    }

    [Test]
    public async Task After_the_last_attempt_the_conflict_reaches_the_caller()
    {
        var exception = await Should.ThrowAsync<ConcurrencyConflictException>(async () =>
            await Behaviour().Handle(Command, HandlerLosing(int.MaxValue), CancellationToken.None));

        exception.Code.ShouldBe("concurrency_conflict");
        _steps.Count(s => s == "attempt").ShouldBe(MaxAttempts);
        _steps.Count(s => s == "discard").ShouldBe(MaxAttempts - 1);
        _steps[^1].ShouldBe("attempt");
    }

    [Test]
    public async Task A_broken_rule_is_not_retried()
    {
        await Should.ThrowAsync<ConversationClosedException>(async () => await Behaviour().Handle(Command, (_, _) =>
        {
            _steps.Add("attempt");
            throw new ConversationClosedException();
        }, CancellationToken.None));

        _steps.ShouldBe(["attempt"]);
    }

    [Test]
    public async Task An_unexpected_failure_is_not_retried()
    {
        await Should.ThrowAsync<TimeoutException>(async () => await Behaviour().Handle(Command, (_, _) =>
        {
            _steps.Add("attempt");
            throw new TimeoutException();
        }, CancellationToken.None));

        _steps.ShouldBe(["attempt"]);
    }
}
