using System.Text.Json;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Behaviours;
using Convor.Application.Common.Exceptions;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using Convor.Domain.Visitors;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Convor.Application.UnitTests.Common;

/// <summary>
/// The ports a lifecycle or query handler talks to, as Moq doubles, for one organization and a
/// fake clock; plus helpers that run a validator the way the pipeline does.
/// </summary>
internal sealed class LifecycleHandlerScenario
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 23, 8, 40, 0, TimeSpan.Zero));
    public OrganizationId OrgId { get; } = OrganizationId.New();
    public Mock<ICurrentCaller> Caller { get; } = new();
    public Mock<IConversationRepository> Conversations { get; } = new();
    public Mock<IOperatorRepository> Operators { get; } = new();
    public Mock<IVisitorRepository> Visitors { get; } = new();
    public Mock<IUnitOfWork> UnitOfWork { get; } = new();
    public Mock<IConversationQueries> ConversationQueries { get; } = new();
    public Mock<IOperatorQueries> OperatorQueries { get; } = new();

    public LifecycleHandlerScenario()
    {
        Caller.SetupGet(c => c.OrganizationId).Returns(OrgId);
        Caller.SetupGet(c => c.Actor).Returns("apiKey:" + Guid.NewGuid());
    }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>A conversation of the organization that the repository finds by its id.</summary>
    public Conversation StoredConversation(Action<Conversation>? arrange = null)
    {
        var conversation = Conversation.Create(OrgId, Visitor.Create(OrgId, Now), ConversationChannel.Widget,
            ConversationPriority.Normal, null, Now);
        arrange?.Invoke(conversation);
        conversation.ClearDomainEvents();
        Conversations.Setup(r => r.FindAsync(OrgId, conversation.Id, It.IsAny<CancellationToken>())).ReturnsAsync(conversation);
        return conversation;
    }

    public Operator StoredOperator(bool active = true)
    {
        var @operator = Operator.Create(OrgId, "Ada", $"ada-{Guid.NewGuid():N}@example.test", OperatorRole.Agent, active, Now);
        Operators.Setup(r => r.FindAsync(OrgId, @operator.Id, It.IsAny<CancellationToken>())).ReturnsAsync(@operator);
        return @operator;
    }

    public void VerifySavedOnce() => UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);

    public void VerifyNeverSaved() => UnitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>
    /// Runs <paramref name="validator"/> through the validation behaviour: the errors by wire
    /// field name, or null when the message is valid.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string[]>?> ValidateAsync<TMessage>(IValidator<TMessage> validator, TMessage message)
        where TMessage : notnull, IMessage
    {
        var behaviour = new ValidationBehaviour<TMessage, bool>([validator]);
        try
        {
            await behaviour.Handle(message, (_, _) => ValueTask.FromResult(true), CancellationToken.None);
            return null;
        }
        catch (RequestValidationException exception)
        {
            return exception.Errors;
        }
    }
}
