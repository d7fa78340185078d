namespace Convor.Application.Common.Models;

// One page of a list. `nextCursor` is null on the last page; otherwise pass it back as
// `cursor` (with the same filters) for the next one.

public sealed record ConversationPage
{
    public required IReadOnlyList<ConversationResponse> Data { get; init; }
    public required string? NextCursor { get; init; }
}

public sealed record OperatorPage
{
    public required IReadOnlyList<OperatorResponse> Data { get; init; }
    public required string? NextCursor { get; init; }
}

public sealed record ConversationEventPage
{
    public required IReadOnlyList<ConversationEventResponse> Data { get; init; }
    public required string? NextCursor { get; init; }
}

public sealed record MessagePage
{
    public required IReadOnlyList<MessageResponse> Data { get; init; }
    public required string? NextCursor { get; init; }
}
