using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Infrastructure.Persistence;
using Convor.Infrastructure.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Convor.Api.FunctionalTests.Persistence;

/// <summary>
/// The one model, built with each provider and no server: its migrations are complete, and
/// the schema they create has the tables, unique indexes and version column the API relies
/// on. SQL Server cannot run on the build machines; this is how its schema is checked on
/// every build (SqlServerLiveTests runs the API on a real one when configured).
/// </summary>
public sealed class ProviderModelTests
{
    private static readonly string[] Tables = ["organizations", "api_keys", "operators", "visitors", "conversations", "conversation_events", "messages"];

    [TestCase(TestDatabases.Sqlite)]
    [TestCase(TestDatabases.SqlServer)]
    [TestCase(TestDatabases.Postgres)]
    public void Migrations_describe_the_current_model(string provider)
    {
        using var db = ContextFor(provider);
        db.Database.HasPendingModelChanges().ShouldBeFalse($"the model changed without a {provider} migration");
    }

    [TestCase(TestDatabases.Sqlite)]
    [TestCase(TestDatabases.SqlServer)]
    [TestCase(TestDatabases.Postgres)]
    public void The_conversation_version_is_an_application_set_concurrency_token(string provider)
    {
        using var db = ContextFor(provider);
        var version = db.Model.FindEntityType(typeof(Conversation))!.FindProperty(nameof(Conversation.Version))!;

        version.IsConcurrencyToken.ShouldBeTrue();
        // Set by the aggregate, never by the server: the same ETag on every provider (ADR 0200).
        version.ValueGenerated.ShouldBe(ValueGenerated.Never);
        version.ClrType.ShouldBe(typeof(long));
    }

    [TestCase(TestDatabases.Sqlite, "\"{0}\"", "INTEGER")]
    [TestCase(TestDatabases.SqlServer, "[{0}]", "bigint")]
    [TestCase(TestDatabases.Postgres, "\"{0}\"", "bigint")]
    public void The_migration_script_creates_the_tables_unique_indexes_and_version_column(string provider, string quote, string bigint)
    {
        using var db = ContextFor(provider);
        var script = db.GetService<IMigrator>().GenerateScript();
        // PostgreSQL leaves lower-case names unquoted; columns in PascalCase are quoted everywhere.
        string Name(string name) => provider == TestDatabases.Postgres && name == name.ToLowerInvariant() ? name : string.Format(quote, name);
        string Columns(params string[] columns) => "(" + string.Join(", ", columns.Select(Name)) + ")";

        foreach (var table in Tables) script.ShouldContain($"CREATE TABLE {Name(table)} (");
        script.ShouldContain($"CREATE UNIQUE INDEX {Name("ux_conversation_events_version")} ON {Name("conversation_events")} {Columns("ConversationId", "Version")};");
        script.ShouldContain($"CREATE UNIQUE INDEX {Name("ux_messages_conversation_version")} ON {Name("messages")} {Columns("ConversationId", "ConversationVersion")};");
        script.ShouldContain($"CREATE UNIQUE INDEX {Name("ux_api_keys_hash")} ON {Name("api_keys")} {Columns("Hash")};");
        script.ShouldContain($"CREATE UNIQUE INDEX {Name("ux_operators_org_email")} ON {Name("operators")} {Columns("OrganizationId", "Email")};");

        var conversations = script[script.IndexOf($"CREATE TABLE {Name("conversations")} (", StringComparison.Ordinal)..];
        conversations = conversations[..conversations.IndexOf(");", StringComparison.Ordinal)];
        conversations.ShouldContain($"{Name("Version")} {bigint} NOT NULL");
    }

    /// <summary>
    /// The list with <c>q</c> translates on every provider, SQL Server included (which cannot
    /// run here): the one predicate as a position, behind the provider's word index (docs/adr/0702).
    /// </summary>
    [TestCase(TestDatabases.Sqlite, "instr(' ' || \"c\".\"SearchVector\", @", "conversations_fts MATCH @")]
    [TestCase(TestDatabases.SqlServer, "CHARINDEX(@", null)]
    [TestCase(TestDatabases.Postgres, "strpos(' ' || c.\"SearchVector\", @", "convor_search_words(\"SearchVector\") @@ @search_words")]
    public void The_list_with_q_translates_to_the_predicate_behind_the_providers_word_index(string provider, string predicate, string? index)
    {
        using var db = ContextFor(provider);
        ConversationSearch search = provider switch
        {
            TestDatabases.Sqlite => new SqliteFullTextSearch(),
            TestDatabases.Postgres => new PostgresWordSearch(),
            _ => new ScanSearch(),
        };
        var filter = new ConversationListFilter([], [], [], [], false, ["refund", "zoe"]);

        var sql = new ConversationQueries(db, search).WithMessages(new OrganizationId(Guid.CreateVersion7()), filter, null, DateTimeOffset.UtcNow).Take(26).ToQueryString();

        sql.Split(predicate).Length.ShouldBe(3, sql); // once per word
        if (index is null) sql.ShouldNotContain("MATCH", Case.Insensitive, sql);
        else sql.ShouldContain(index, Case.Sensitive, sql);
        sql.ShouldNotContain("LIKE", Case.Insensitive, sql);
    }

    internal static ConvorDbContext ContextFor(string provider) => provider switch
    {
        TestDatabases.Sqlite => new SqliteConvorDbContext(new DbContextOptionsBuilder<SqliteConvorDbContext>().UseSqlite("Data Source=:memory:").Options),
        TestDatabases.SqlServer => new SqlServerConvorDbContext(new DbContextOptionsBuilder<SqlServerConvorDbContext>().UseSqlServer("Server=model-only;Database=convor").Options),
        TestDatabases.Postgres => new PostgresConvorDbContext(new DbContextOptionsBuilder<PostgresConvorDbContext>().UseNpgsql("Host=model-only;Database=convor").Options),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
    };
}
