using Convor.Application.Common;
using Convor.Application.Common.Serialization;
using System.Text.Json;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Application.Conversations.CreateConversation;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using FluentValidation;
using Mediator;

namespace Convor.Application.Conversations.UpdateConversation;

/// <summary>Body of <c>PATCH /api/conversations/{id}</c>: each field given (and not null) is set; the others stay.</summary>
public sealed record UpdateConversationRequest : RequestBody
{
    public ConversationPriority? Priority { get; init; }

    /// <summary>Replaces the whole metadata object (no deep merge), at most 16 KiB serialized.</summary>
    public JsonElement? Metadata { get; init; }

    public UpdateConversationCommand ToCommand(ConversationId conversationId, ExpectedVersion? expectedVersion) => new(conversationId, Priority, Metadata, expectedVersion);
}

public sealed record UpdateConversationCommand(
    ConversationId ConversationId,
    ConversationPriority? Priority,
    JsonElement? Metadata,
    ExpectedVersion? ExpectedVersion = null) : ICommand<ConversationResult>;

public sealed class UpdateConversationCommandValidator : AbstractValidator<UpdateConversationCommand>
{
    public UpdateConversationCommandValidator()
    {
        RuleFor(c => c.Priority).IsInEnum().WithMessage(WireEnums.MustBeOneOf<ConversationPriority>());
        RuleFor(c => c.Metadata).SetValidator(new MetadataValidator());
    }
}

/// <summary>
/// Priority and metadata may change in every status, closed included. Each field that really
/// changes is one activity-log entry (<c>priority_changed</c>, <c>metadata_changed</c>), all in
/// the one transaction of the request.
/// </summary>
public sealed class UpdateConversationCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<UpdateConversationCommand, ConversationResult>
{
    public async ValueTask<ConversationResult> Handle(UpdateConversationCommand command, CancellationToken cancellationToken)
    {
        var conversation = await conversations.LoadForCommandAsync(caller, command.ConversationId, command.ExpectedVersion, cancellationToken);

        var now = clock.GetUtcNow();
        if (command.Priority is { } priority) conversation.ChangePriority(priority, now);
        if (command.Metadata is { } metadata) conversation.ReplaceMetadata(ConversationMetadata.From(metadata), now);
        // An expired snooze is woken even by an empty patch: reads already show it open.
        conversation.WakeIfSnoozeExpired(now);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return conversation.ToResult();
    }
}
