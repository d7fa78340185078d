using Convor.Application.Common.Serialization;
using System.Text.Json;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Validation;
using Convor.Application.Common.Models;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Visitors;
using FluentValidation;
using Mediator;

namespace Convor.Application.Conversations.CreateConversation;

/// <summary>Body of <c>POST /api/conversations</c>.</summary>
public sealed record CreateConversationRequest : RequestBody
{
    /// <summary>A visitor of the current organization; when absent a new visitor is created.</summary>
    public Guid? VisitorId { get; init; }

    public ConversationChannel? Channel { get; init; }

    /// <summary>Defaults to <c>normal</c>.</summary>
    public ConversationPriority? Priority { get; init; }

    /// <summary>A JSON object, at most 16 KiB serialized; defaults to <c>{}</c>.</summary>
    public JsonElement? Metadata { get; init; }

    public CreateConversationCommand ToCommand() =>
        new(VisitorId is { } id ? new VisitorId(id) : null, Channel, Priority, Metadata);
}

public sealed record CreateConversationCommand(
    VisitorId? VisitorId,
    ConversationChannel? Channel,
    ConversationPriority? Priority,
    JsonElement? Metadata) : ICommand<ConversationResult>;

public sealed class CreateConversationCommandValidator : AbstractValidator<CreateConversationCommand>
{
    public CreateConversationCommandValidator()
    {
        RuleFor(c => c.Channel).NotNull().WithMessage("is required").IsInEnum().WithMessage(WireEnums.MustBeOneOf<ConversationChannel>());
        RuleFor(c => c.Priority).IsInEnum().WithMessage(WireEnums.MustBeOneOf<ConversationPriority>());
        RuleFor(c => c.Metadata).SetValidator(new MetadataValidator());
        RuleFor(c => c.VisitorId!.Value.Value).NotEqual(Guid.Empty).WithMessage("must be a UUID")
            .OverridePropertyName(nameof(CreateConversationCommand.VisitorId)).When(c => c.VisitorId is not null);
    }
}

/// <summary>Metadata must be a JSON object of at most 16 KiB serialized (null means "leave as is" or "{}").</summary>
public sealed class MetadataValidator : AbstractValidator<JsonElement?>
{
    public MetadataValidator()
    {
        RuleFor(m => m).Cascade(CascadeMode.Stop)
            .Must(m => m is null || m.Value.ValueKind == JsonValueKind.Object).WithMessage("must be a JSON object")
            // Before the size check: serializing text that is not valid Unicode throws.
            .Must(m => m is null || TextRules.IsValidUnicode(m.Value)).WithMessage(TextRules.InvalidUnicodeMessage)
            .Must(m => m is null || m.Value.ValueKind != JsonValueKind.Object || ConversationMetadata.FitsLimit(m.Value))
            .WithMessage($"must be at most {ConversationMetadata.MaxSerializedBytes} bytes serialized");
    }
}

public sealed class CreateConversationCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IVisitorRepository visitors,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<CreateConversationCommand, ConversationResult>
{
    public async ValueTask<ConversationResult> Handle(CreateConversationCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        Visitor visitor;
        if (command.VisitorId is { } visitorId)
        {
            visitor = await visitors.FindAsync(caller.OrganizationId, visitorId, cancellationToken)
                ?? throw new InvalidVisitorException();
        }
        else
        {
            visitor = Visitor.Create(caller.OrganizationId, now);
            visitors.Add(visitor);
        }

        var metadata = command.Metadata is { } json ? ConversationMetadata.From(json) : null;
        var conversation = Conversation.Create(caller.OrganizationId, visitor, command.Channel!.Value,
            command.Priority ?? ConversationPriority.Normal, metadata, now);
        conversations.Add(conversation);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return conversation.ToResult();
    }
}
