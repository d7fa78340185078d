using Convor.Application.Common;
using Convor.Application.Common.Abstractions;
using Convor.Application.Common.Mapping;
using Convor.Application.Common.Models;
using Convor.Application.Common.Validation;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Domain.Operators;
using FluentValidation;
using Mediator;

namespace Convor.Application.Conversations.AddMessage;

/// <summary>Body of <c>POST /api/conversations/{id}/messages</c>.</summary>
public sealed record AddMessageRequest : RequestBody
{
    // No summary: a required enum is a bare $ref in the document, which may carry no description.
    public MessageAuthor? Author { get; init; }

    /// <summary>The writing operator, of the current organization: required exactly when <c>author</c> is <c>operator</c>.</summary>
    public Guid? OperatorId { get; init; }

    /// <summary>1-10,000 characters; no control characters other than newline and tab.</summary>
    public string? Body { get; init; }

    public AddMessageCommand ToCommand(ConversationId conversationId, ExpectedVersion? expectedVersion) =>
        new(conversationId, Author, OperatorId is { } id ? new OperatorId(id) : null, Body, expectedVersion);
}

public sealed record AddMessageCommand(ConversationId ConversationId, MessageAuthor? Author, OperatorId? OperatorId, string? Body, ExpectedVersion? ExpectedVersion = null)
    : ICommand<MessageResponse>
{
    // The body is personal data: keep it out of anything that prints the command.
    public override string ToString() => nameof(AddMessageCommand);
}

public sealed class AddMessageCommandValidator : AbstractValidator<AddMessageCommand>
{
    public const string BodyLengthMessage = "must be between 1 and 10000 characters";

    public AddMessageCommandValidator()
    {
        RuleFor(c => c.Author).NotNull().WithMessage("is required").IsInEnum().WithMessage("must be one of: visitor, ai, operator, system");
        RuleFor(c => c.OperatorId).NotNull().WithMessage("is required when author is operator")
            .When(c => c.Author == MessageAuthor.Operator);
        RuleFor(c => c.OperatorId).Null().WithMessage("is allowed only when author is operator")
            .When(c => c.Author is { } author && author != MessageAuthor.Operator);
        RuleFor(c => c.OperatorId!.Value.Value).NotEqual(Guid.Empty).WithMessage("must be a UUID")
            .OverridePropertyName(nameof(AddMessageCommand.OperatorId)).When(c => c.OperatorId is not null);
        RuleFor(c => c.Body).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("is required")
            // Before counting: the length is in characters (code points), which needs well-formed text.
            .Must(body => TextRules.IsWellFormedUtf16(body!)).WithMessage(TextRules.InvalidUnicodeMessage)
            .Must(body => body!.Length > 0 && body.EnumerateRunes().Count() <= Message.BodyMaxLength).WithMessage(BodyLengthMessage)
            .NoControlCharactersButNewlineAndTab();
    }
}

public sealed class AddMessageCommandHandler(
    ICurrentCaller caller,
    IConversationRepository conversations,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<AddMessageCommand, MessageResponse>
{
    public async ValueTask<MessageResponse> Handle(AddMessageCommand command, CancellationToken cancellationToken)
    {
        var (conversation, writer) = command.OperatorId is { } operatorId
            ? await conversations.LoadForCommandAsync(caller, command.ConversationId, operatorId, command.ExpectedVersion, cancellationToken)
            : (await conversations.LoadForCommandAsync(caller, command.ConversationId, command.ExpectedVersion, cancellationToken), null);

        var message = conversation.AddMessage(command.Author!.Value, writer, command.Body!, clock.GetUtcNow());
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return message.ToResponse();
    }
}
