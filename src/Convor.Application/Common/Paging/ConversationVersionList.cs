using Convor.Domain.Common;
using FluentValidation;

namespace Convor.Application.Common.Paging;

/// <summary>The query of a list of one conversation's rows: which conversation, and the page asked for.</summary>
public interface IConversationVersionListQuery
{
    ConversationId ConversationId { get; }
    int? Limit { get; }
    string? Cursor { get; }
}

/// <summary>
/// A list of rows one conversation's changes wrote (its activity log, its messages), oldest
/// first. Each row carries the conversation version that wrote it, unique in the conversation
/// and only ever growing, so the cursor is the last version returned, bound to the conversation
/// and to the list it came from.
/// </summary>
public sealed class ConversationVersionList
{
    public static readonly ConversationVersionList Events = new("conversation-events");
    public static readonly ConversationVersionList Messages = new("conversation-messages");

    private readonly string _name;

    private ConversationVersionList(string name) => _name = name;

    public string Encode(long version, ConversationId conversationId) =>
        PageCursor.Encode(_name, PageCursor.HashFilters(conversationId.ToString()), PageCursor.FormatLong(version));

    /// <summary>The version to continue after, or null with the reason.</summary>
    public long? TryDecode(string cursor, ConversationId conversationId, out string? error)
    {
        var key = PageCursor.TryDecode(cursor, _name, PageCursor.HashFilters(conversationId.ToString()), keyLength: 1, out error);
        if (key is null) return null;
        if (!PageCursor.TryParseLong(key[0], out var version))
        {
            error = PageCursor.MalformedMessage;
            return null;
        }
        return version;
    }

    /// <summary>
    /// Reads one page: up to the limit rows after the cursor, plus one to know whether more
    /// follow. An empty answer is told apart from "no such conversation here" by
    /// <paramref name="conversationExists"/>, asked only then.
    /// </summary>
    public async Task<(IReadOnlyList<TRow> Rows, string? NextCursor)> ReadPageAsync<TRow>(
        IConversationVersionListQuery query,
        Func<long, int, Task<IReadOnlyList<TRow>>> read,
        Func<TRow, long> versionOf,
        Func<Task<bool>> conversationExists)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(versionOf);
        ArgumentNullException.ThrowIfNull(conversationExists);
        var afterVersion = query.Cursor is null ? 0
            : TryDecode(query.Cursor, query.ConversationId, out _) ?? throw new InvalidOperationException("The validator lets only valid cursors through.");
        var limit = query.Limit ?? PageLimit.Default;

        var rows = await read(afterVersion, limit + 1);
        if (rows.Count == 0 && !await conversationExists()) throw new Exceptions.ConversationNotFoundException();

        var page = rows.Take(limit).ToList();
        return (page, rows.Count > limit ? Encode(versionOf(page[^1]), query.ConversationId) : null);
    }
}

/// <summary>The limit and cursor rules of every <see cref="ConversationVersionList"/> query.</summary>
public abstract class ConversationVersionListValidator<TQuery> : AbstractValidator<TQuery>
    where TQuery : IConversationVersionListQuery
{
    protected ConversationVersionListValidator(ConversationVersionList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        RuleFor(q => q.Limit).InclusiveBetween(PageLimit.Min, PageLimit.Max).WithMessage(PageLimit.Message);
        RuleFor(q => q.Cursor).Custom((cursor, context) =>
        {
            if (cursor is null) return;
            if (list.TryDecode(cursor, context.InstanceToValidate.ConversationId, out var error) is null)
                context.AddFailure(PageCursor.Field, error!);
        });
    }
}
