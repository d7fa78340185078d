using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Exceptions;
using Convor.Application.Common.Models;
using Convor.Application.Operators.CreateOperator;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Microsoft.Extensions.Logging;

namespace Convor.Application.UnitTests.Common.Behaviours;

public sealed class UnhandledExceptionBehaviourTests
{
    private const string SecretEmail = "zelda.private@example.com";

    private static readonly CreateOperatorCommand Command = new("Zelda", SecretEmail, OperatorRole.Agent, true);

    private readonly CapturingLogger<UnhandledExceptionBehaviour<CreateOperatorCommand, OperatorResponse>> _logger = new();

    private UnhandledExceptionBehaviour<CreateOperatorCommand, OperatorResponse> Behaviour() => new(_logger);

    [Test]
    public async Task An_unexpected_exception_is_logged_as_an_error_with_its_stack_and_rethrown_unchanged()
    {
        var bug = new InvalidOperationException("a bug");

        var thrown = await Should.ThrowAsync<InvalidOperationException>(async () =>
            await Behaviour().Handle(Command, (_, _) => throw bug, CancellationToken.None));

        thrown.ShouldBeSameAs(bug);
        var entry = _logger.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Error);
        entry.Exception.ShouldBeSameAs(bug);
        entry.Message.ShouldContain(nameof(CreateOperatorCommand));
        entry.Message.ShouldNotContain(SecretEmail);
        entry.Values.ShouldAllBe(v => !(v.Value ?? string.Empty).ToString()!.Contains(SecretEmail));
    }

    [Test]
    public async Task An_application_failure_is_an_answer_not_an_error_and_is_not_logged()
    {
        await Should.ThrowAsync<ConversationNotFoundException>(async () =>
            await Behaviour().Handle(Command, (_, _) => throw new ConversationNotFoundException(), CancellationToken.None));

        _logger.Entries.ShouldBeEmpty();
    }

    [Test]
    public async Task A_broken_business_rule_is_an_answer_not_an_error_and_is_not_logged()
    {
        await Should.ThrowAsync<ConversationClosedException>(async () =>
            await Behaviour().Handle(Command, (_, _) => throw new ConversationClosedException(), CancellationToken.None));

        _logger.Entries.ShouldBeEmpty();
    }

    [Test]
    public async Task A_cancelled_request_is_not_logged_as_an_error()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () =>
            await Behaviour().Handle(Command, (_, token) => throw new OperationCanceledException(token), cancellation.Token));

        _logger.Entries.ShouldBeEmpty();
    }

    [Test]
    public async Task A_handled_message_logs_nothing()
    {
        var response = new OperatorResponse
        {
            Id = Guid.NewGuid(), OrgId = Guid.NewGuid(), Name = "Zelda", Email = SecretEmail, Role = OperatorRole.Agent,
            Active = true, Availability = OperatorAvailability.Online, MaxConversations = 5, OpenConversations = 0, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        (await Behaviour().Handle(Command, (_, _) => ValueTask.FromResult(response), CancellationToken.None)).ShouldBeSameAs(response);

        _logger.Entries.ShouldBeEmpty();
    }
}
