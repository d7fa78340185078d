using System.Data.Common;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Infrastructure.Persistence;
using Convor.Infrastructure.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Persistence;

/// <summary>
/// The word indexes behind <c>q</c> (docs/adr/0702), on the real schema of the migrations: the
/// SQLite FTS5 table and its triggers, the PostgreSQL plans. What q finds is tested through
/// HTTP in SearchTests.
/// </summary>
public sealed class SearchIndexTests(string database) : LifecycleApiTestBase(database)
{
    private static readonly string[] Triggers = ["conversations_fts_insert", "conversations_fts_update", "conversations_fts_delete"];

    private void RequireProvider(string provider)
    {
        if (Factory.Database.Provider != provider) Assert.Ignore($"{provider} only.");
    }

    private async Task<string> NewAsync(string subject) =>
        Id(await CreateConversationAsync(Org, new { channel = "widget", metadata = new { subject } }));

    private async Task<IReadOnlyList<string>> SearchAsync(string q) => Ids(await ListAsync(Org, "q=" + Uri.EscapeDataString(q)));

    private static async Task<List<string>> ReadAsync(ConvorDbContext db, string sql, params (string Name, object Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync()) rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [Test]
    public async Task The_bundled_sqlite_has_fts5_with_contentless_delete_and_the_migrations_made_the_index_and_its_triggers()
    {
        RequireProvider(TestDatabases.Sqlite);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();

        var version = Version.Parse((await ReadAsync(db, "SELECT sqlite_version()")).Single());
        version.ShouldBeGreaterThanOrEqualTo(new Version(3, 43)); // contentless_delete
        (await ReadAsync(db, "SELECT compile_options FROM pragma_compile_options")).ShouldContain("ENABLE_FTS5");

        (await ReadAsync(db, "SELECT sql FROM sqlite_master WHERE name = 'conversations_fts'")).Single()
            .ShouldContain("contentless_delete=1");
        (await ReadAsync(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'conversations' ORDER BY name"))
            .ShouldBe(Triggers.Order(StringComparer.Ordinal));
    }

    /// <summary>Words never reach the index with these characters through the API (q is split into letters and digits); the quoting holds on its own.</summary>
    [Test]
    public async Task Fts5_syntax_inside_a_word_is_quoted_text()
    {
        RequireProvider(TestDatabases.Sqlite);
        await NewAsync("plain words");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();

        foreach (var word in new[] { "\"", "a\"b", "*", "OR", "NOT", "AND", "NEAR(", "NEAR(a b)", "-", "^x", "SearchVector:x", "col:", "(", ")", "{SearchVector}:x", "+", "'", " ", "plain words" })
        {
            var match = SqliteFullTextSearch.MatchQuery([word, "plain"]);
            match.ShouldEndWith("\"plain\"*");
            (await ReadAsync(db, "SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH $q", ("$q", match)))
                .ShouldBe([word is " " or "plain words" ? "1" : "0"], $"{word} as {match}");
        }
        (await ReadAsync(db, "SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH $q", ("$q", SqliteFullTextSearch.MatchQuery(["pla", "wo"]))))
            .ShouldBe(["1"]);
    }

    /// <summary>The PostgreSQL counterpart: a word is one prefix lexeme, sent in binary, whatever its characters.</summary>
    [Test]
    public async Task Tsquery_syntax_inside_a_word_is_one_lexeme()
    {
        RequireProvider(TestDatabases.Postgres);
        var mine = await NewAsync("plain words");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var id = new ConversationId(Guid.Parse(mine));

        async Task<int> CountAsync(params string[] words)
        {
            var query = PostgresWordSearch.PrefixQuery(words);
            var match = new Npgsql.NpgsqlParameter("q", NpgsqlTypes.NpgsqlDbType.TsQuery) { Value = query };
            return await db.Conversations
                .FromSql($"""SELECT * FROM conversations WHERE convor_search_words("SearchVector") @@ {match}""")
                .IgnoreQueryFilters()
                .CountAsync(c => c.Id == id);
        }

        foreach (var word in new[] { "'", "''", "\\", ":*", "a:*", "&", "|", "!", "!plain", "<->", "<2>", "(", ")", "plain:A", "pl'ain" })
            (await CountAsync(word, "plain")).ShouldBe(0, word);
        (await CountAsync("pla", "wo")).ShouldBe(1);
        (await CountAsync("plain words")).ShouldBe(1);   // a space splits a word into two lexemes
        (await CountAsync(" ", "plain")).ShouldBe(1);
        (await CountAsync("", "plain")).ShouldBe(1);
        PostgresWordSearch.PrefixQuery([" ", ""]).ShouldBeNull();
    }

    /// <summary>
    /// The index is keyed by the conversation's rowid, which SQLite keeps across VACUUM for a
    /// table with an index. Rows deleted before the VACUUM leave a gap that a renumbering
    /// would close, moving the later conversations' rowids under the index.
    /// </summary>
    [Test]
    public async Task After_deletes_and_a_vacuum_every_word_still_points_at_its_own_conversation()
    {
        RequireProvider(TestDatabases.Sqlite);
        var first = await NewAsync("firstword");
        var gone = await NewAsync("goneword");
        var last = await NewAsync("lastword");
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
            var id = new ConversationId(Guid.Parse(gone));
            await db.ActivityLog.IgnoreQueryFilters().Where(e => e.ConversationId == id).ExecuteDeleteAsync();
            await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == id).ExecuteDeleteAsync();
            await db.Database.ExecuteSqlRawAsync("VACUUM");
        }

        (await SearchAsync("firstword")).ShouldBe([first]);
        (await SearchAsync("goneword")).ShouldBeEmpty();
        (await SearchAsync("lastword")).ShouldBe([last]);
        var next = await NewAsync("nextword");
        (await SearchAsync("nextword")).ShouldBe([next]);
        (await SearchAsync("lastword")).ShouldBe([last]);
    }

    [Test]
    public async Task The_index_holds_exactly_the_current_words_of_every_conversation()
    {
        RequireProvider(TestDatabases.Sqlite);
        var conversation = await NewAsync("oldword");
        using (var patched = await PatchAsync(Org, $"/api/conversations/{conversation}", new { metadata = new { subject = "newword" } }))
            patched.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();

        // Every conversation has one entry (one row per rowid), and its words are the vector's.
        (await ReadAsync(db, "SELECT (SELECT count(*) FROM conversations) - (SELECT count(*) FROM conversations_fts_docsize)")).ShouldBe(["0"]);
        (await ReadAsync(db, "SELECT count(*) FROM conversations c WHERE c.rowid NOT IN (SELECT rowid FROM conversations_fts_docsize)")).ShouldBe(["0"]);
        (await ReadAsync(db, "SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH '\"oldword\"*'")).ShouldBe(["0"]);
        (await ReadAsync(db, "SELECT count(*) FROM conversations_fts WHERE conversations_fts MATCH '\"newword\"*'")).ShouldBe(["1"]);
    }

    /// <summary>
    /// The API's connections prepare statements they repeat (docs/adr/0401), and PostgreSQL
    /// may give a prepared statement a generic plan after five executions: made without the
    /// words, it reads common words through the word index. Search statements stay custom.
    /// </summary>
    [Test]
    public async Task On_postgres_every_search_statement_is_planned_for_its_own_words()
    {
        RequireProvider(TestDatabases.Postgres);
        for (var i = 0; i < 3; i++) await NewAsync($"common rare{i}");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var queries = new ConversationQueries(db, scope.ServiceProvider.GetRequiredService<ConversationSearch>());
        var org = new OrganizationId(Org.OrgId);

        await db.Database.OpenConnectionAsync(); // one connection for every statement, so its prepared statements can be read
        try
        {
            foreach (var q in new[] { "rare0", "rare1", "rare2", "nowhere", "nowhere", "nowhere", "rare1", "common", "common", "common", "common" })
            {
                var filter = new ConversationListFilter([], [], [], [], false, [q]);
                await queries.ListAsync(org, filter, null, 26, Now, CancellationToken.None);
            }

            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT coalesce(sum(generic_plans), -1), coalesce(sum(custom_plans), -1) FROM pg_prepared_statements WHERE statement LIKE '%convor_search_words%'";
            await using var reader = await command.ExecuteReaderAsync();
            (await reader.ReadAsync()).ShouldBeTrue();
            var (generic, custom) = (reader.GetInt64(0), reader.GetInt64(1));
            custom.ShouldBeGreaterThanOrEqualTo(9, "the search statement is prepared on its second use and planned at every use after");
            generic.ShouldBe(0);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
