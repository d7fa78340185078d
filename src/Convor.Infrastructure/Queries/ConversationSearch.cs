using System.Linq.Expressions;
using Convor.Domain.Conversations;
using Convor.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Convor.Infrastructure.Queries;

/// <summary>
/// What <c>q</c> means, and how the running provider finds it with an index (docs/adr/0702).
/// The meaning is one predicate for every provider, <see cref="StartsAWord"/>: each word of
/// <c>q</c> is the start of a word of the normalized <c>searchVector</c>. A provider with a word
/// index narrows the rows first with a condition on that index which every row the predicate
/// keeps also passes; the predicate then rechecks each candidate, so the index decides how
/// few rows are read and never which rows match. The list's other filters, order and cursor
/// are composed on top of <see cref="Conversations"/> by the one list query (ConversationQueries).
/// </summary>
internal abstract class ConversationSearch
{
    /// <summary>The conversations in which every one of <paramref name="words"/> starts a word; all of them when there are none.</summary>
    public IQueryable<Conversation> Conversations(ConvorDbContext db, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(words);
        var query = words.Count == 0 ? db.Conversations : Candidates(db, words);
        foreach (var word in words) query = query.Where(StartsAWord(word));
        return query;
    }

    /// <summary>
    /// Runs the reads of one list request. A provider whose plan depends on the words (which
    /// of them are rare) overrides it to have each statement planned for its own words.
    /// </summary>
    public virtual Task<T> ReadAsync<T>(ConvorDbContext db, IReadOnlyList<string> words, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read(cancellationToken);
    }

    /// <summary>
    /// The terms a word index is asked for: each word, split at spaces. An index term never holds
    /// a space (the vector's separator), so a word with one becomes a term per part, a wider
    /// condition the predicate narrows again. The words of <c>q</c> are letters and digits
    /// already, so this is the second lock.
    /// </summary>
    protected static IEnumerable<string> IndexTerms(IEnumerable<string> words) =>
        words.SelectMany(word => word.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>A superset of the conversations in which every word starts a word, read through the provider's index.</summary>
    protected abstract IQueryable<Conversation> Candidates(ConvorDbContext db, IReadOnlyList<string> words);

    /// <summary>
    /// The predicate of one word: <c>" " + searchVector</c> contains <c>" " + word</c> (a word is
    /// letters and digits, the vector's words are separated by single spaces). Written as "the
    /// position is not -1" (<c>instr</c>, <c>strpos</c>, <c>CHARINDEX</c>) rather than
    /// <c>LIKE '% word%'</c>: the same test, but PostgreSQL estimates <c>LIKE '%…%'</c> on an
    /// expression without statistics as matching almost nothing, and then read even the most
    /// common word through the word index; "not equal" on such an expression is estimated at
    /// 99.5%, so the word index's own statistics decide the plan. It is cheap per row, and
    /// evaluated before the word index's condition when a plan reads rows in list order.
    /// </summary>
    private static Expression<Func<Conversation, bool>> StartsAWord(string word)
    {
        var pattern = " " + word;
#pragma warning disable CA2249 // Contains would translate to LIKE on PostgreSQL: the position is the point (see above)
        return c => (" " + c.SearchVector).IndexOf(pattern) != -1;
#pragma warning restore CA2249
    }
}

/// <summary>SQL Server: no word index (Full-Text Search is not available to test against here); the predicate reads the organization's rows in list order.</summary>
internal sealed class ScanSearch : ConversationSearch
{
    protected override IQueryable<Conversation> Candidates(ConvorDbContext db, IReadOnlyList<string> words) => db.Conversations;
}

/// <summary>
/// SQLite: the FTS5 table <c>conversations_fts</c> (migration SearchFullTextIndex), whose terms
/// are the words of <c>searchVector</c> and whose rowid is the conversation's.
/// </summary>
internal sealed class SqliteFullTextSearch : ConversationSearch
{
    protected override IQueryable<Conversation> Candidates(ConvorDbContext db, IReadOnlyList<string> words) =>
        MatchQuery(words) is { Length: > 0 } match
            ? db.Conversations.FromSql($"SELECT * FROM conversations WHERE rowid IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH {match})")
            : db.Conversations;

    /// <summary>
    /// Every word as an FTS5 string followed by <c>*</c> (a prefix query), the strings ANDed.
    /// Inside double quotes FTS5 reads no operator (OR, NOT, NEAR), column filter (<c>:</c>),
    /// initial-token mark (<c>^</c>) or parenthesis; a double quote is written twice. A space
    /// would make a string a phrase (which the index, keeping no positions, cannot answer), hence
    /// <see cref="ConversationSearch.IndexTerms"/>.
    /// </summary>
    internal static string MatchQuery(IEnumerable<string> words) => string.Join(' ', IndexTerms(words)
        .Select(part => "\"" + part.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"*"));
}

/// <summary>
/// PostgreSQL: the GIN index on <c>convor_search_words("SearchVector")</c> (migration
/// SearchWordIndex), a tsvector whose lexemes are the words of the vector cut to
/// <see cref="MaxWordLength"/> characters, asked <c>'word':* &amp; …</c>.
/// </summary>
internal sealed class PostgresWordSearch : ConversationSearch
{
    /// <summary>Lexemes are cut to this many characters by <c>convor_search_words</c>; a word of <c>q</c> is never longer.</summary>
    internal const int MaxWordLength = 200;

    protected override IQueryable<Conversation> Candidates(ConvorDbContext db, IReadOnlyList<string> words) =>
        PrefixQuery(words) is { } query
            ? db.Conversations.FromSql($"""SELECT * FROM conversations WHERE convor_search_words("SearchVector") @@ {new NpgsqlParameter("search_words", NpgsqlDbType.TsQuery) { Value = query }}""")
            : db.Conversations;

    /// <summary>
    /// Each word a prefix lexeme, ANDed; null for no word. Sent as a tsquery parameter (binary,
    /// typed: EF has no mapping for a lone lexeme's class), never parsed as text, so no character
    /// of a word is an operator; one lexeme per <see cref="ConversationSearch.IndexTerms"/> term.
    /// </summary>
    internal static NpgsqlTsQuery? PrefixQuery(IEnumerable<string> words) => IndexTerms(words)
        .Select(part => (NpgsqlTsQuery)new NpgsqlTsQueryLexeme(part.Length > MaxWordLength ? part[..MaxWordLength] : part, NpgsqlTsQueryLexeme.Weight.None, isPrefixSearch: true))
        .Aggregate((NpgsqlTsQuery?)null, (left, right) => left is null ? right : new NpgsqlTsQueryAnd(left, right));

    /// <summary>
    /// The statements of a search are planned for their own words: a rare word is read through
    /// the word index, a common one by the list index in order, stopping after a page. The
    /// connection prepares statements it repeats (docs/adr/0401), and after five executions
    /// PostgreSQL may switch a prepared statement to a generic plan made without the words,
    /// which reads every common word through the index (0.25 s instead of 1 ms at 100,000
    /// conversations). <c>SET LOCAL plan_cache_mode</c> in a transaction around the reads keeps
    /// the plans custom for them only; it ends with the transaction.
    /// </summary>
    public override async Task<T> ReadAsync<T>(ConvorDbContext db, IReadOnlyList<string> words, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(read);
        if (words.Count == 0) return await read(cancellationToken);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            (db, read),
            static async (_, state, token) =>
            {
                await using var transaction = await state.db.Database.BeginTransactionAsync(token);
                await state.db.Database.ExecuteSqlRawAsync("SET LOCAL plan_cache_mode = force_custom_plan", token);
                var result = await state.read(token);
                await transaction.CommitAsync(token);
                return result;
            },
            verifySucceeded: null,
            cancellationToken);
    }
}
