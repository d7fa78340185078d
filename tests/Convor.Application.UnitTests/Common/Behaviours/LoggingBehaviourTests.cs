using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Models;
using Convor.Application.Operators.CreateOperator;
using Convor.Application.UnitTests.Support;
using Convor.Domain.Operators;
using Microsoft.Extensions.Logging;

namespace Convor.Application.UnitTests.Common.Behaviours;

public sealed class LoggingBehaviourTests
{
    private const string SecretName = "Zelda Secretname";
    private const string SecretEmail = "zelda.private@example.com";

    private static readonly CreateOperatorCommand Command = new(SecretName, SecretEmail, OperatorRole.Admin, true);

    private static readonly OperatorResponse Response = new()
    {
        Id = Guid.NewGuid(), OrgId = Guid.NewGuid(), Name = SecretName, Email = SecretEmail, Role = OperatorRole.Admin,
        Active = true, Availability = OperatorAvailability.Online, MaxConversations = 5, OpenConversations = 0, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private readonly CapturingLogger<LoggingBehaviour<CreateOperatorCommand, OperatorResponse>> _logger = new();

    private LoggingBehaviour<CreateOperatorCommand, OperatorResponse> Behaviour() => new(_logger);

    [Test]
    public async Task A_handled_message_is_logged_by_name_without_its_body_or_answer()
    {
        var response = await Behaviour().Handle(Command, (_, _) => ValueTask.FromResult(Response), CancellationToken.None);

        response.ShouldBeSameAs(Response);
        var entry = _logger.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Debug);
        entry.Message.ShouldContain(nameof(CreateOperatorCommand));
        entry.AllText.ShouldNotContain(SecretName);
        entry.AllText.ShouldNotContain(SecretEmail);
    }

    [Test]
    public async Task A_failed_message_is_logged_by_name_and_outcome_without_its_body_and_the_exception_goes_on()
    {
        var failure = new InvalidOperationException($"could not store {SecretEmail}");

        var thrown = await Should.ThrowAsync<InvalidOperationException>(async () =>
            await Behaviour().Handle(Command, (_, _) => throw failure, CancellationToken.None));

        thrown.ShouldBeSameAs(failure);
        var entry = _logger.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Information);
        entry.Message.ShouldContain(nameof(CreateOperatorCommand));
        entry.Message.ShouldContain(nameof(InvalidOperationException));
        entry.AllText.ShouldNotContain(SecretName);
        entry.AllText.ShouldNotContain(SecretEmail);
    }
}
