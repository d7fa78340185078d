using System.Data.Common;
using Convor.Api.FunctionalTests.Infrastructure;
using Convor.Application.Common.Abstractions;
using Convor.Domain.Common;
using Convor.Domain.Conversations;
using Convor.Infrastructure.Persistence;
using Convor.Infrastructure.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Convor.Api.FunctionalTests.Conversations;

/// <summary>
/// The list reads must stay index range reads per organization, in list order: the database's
/// own plan (SQLite's EXPLAIN QUERY PLAN, on the real schema of the migrations) for every
/// filter, on both segments of the list, with and without a cursor, must search the filter's
/// index from the organization (never scan the table) and need no sort step. `status=open`
/// (open, or snoozed with an ended snooze) and `unassigned` read the organization's rows in list
/// order and skip the others, and so do filters given several values (an IN list would need a
/// sort); the other filters read only matching rows.
/// </summary>
public sealed class ListQueryPlanTests(string database) : LifecycleApiTestBase(database)
{
    private static readonly ConversationListPosition WithMessage = new(DateTimeOffset.UnixEpoch.AddYears(56), DateTimeOffset.UnixEpoch.AddYears(56), ConversationId.New());
    private static readonly ConversationListPosition WithoutMessage = new(null, DateTimeOffset.UnixEpoch.AddYears(56), ConversationId.New());

    public static IEnumerable<TestCaseData> Filters()
    {
        static ConversationListFilter F(ConversationStatus[]? status = null, ConversationPriority[]? priority = null, ConversationChannel[]? channel = null,
            OperatorId[]? op = null, bool unassigned = false, string[]? q = null) => new(status ?? [], priority ?? [], channel ?? [], op ?? [], unassigned, q ?? []);
        // The filter, and the index every segment must read (null: any ix_conversations_org* index).
        yield return new TestCaseData(F(), "ix_conversations_org_order").SetArgDisplayNames("no filter");
        yield return new TestCaseData(F(status: [ConversationStatus.Snoozed]), "ix_conversations_org_status_order").SetArgDisplayNames("status=snoozed");
        yield return new TestCaseData(F(status: [ConversationStatus.Closed]), "ix_conversations_org_status_order").SetArgDisplayNames("status=closed");
        yield return new TestCaseData(F(priority: [ConversationPriority.Urgent]), "ix_conversations_org_priority_order").SetArgDisplayNames("priority");
        yield return new TestCaseData(F(channel: [ConversationChannel.Email]), "ix_conversations_org_channel_order").SetArgDisplayNames("channel");
        yield return new TestCaseData(F(op: [OperatorId.New()]), "ix_conversations_org_operator_order").SetArgDisplayNames("assignedOperatorId");
        yield return new TestCaseData(F(unassigned: true), null).SetArgDisplayNames("unassigned");
        yield return new TestCaseData(F(status: [ConversationStatus.Open]), null).SetArgDisplayNames("status=open");
        // Several values: any of them, still one ordered range of the organization with no sort step.
        yield return new TestCaseData(F(status: [ConversationStatus.Open, ConversationStatus.Snoozed]), null).SetArgDisplayNames("status=open,snoozed");
        yield return new TestCaseData(F(status: [ConversationStatus.Snoozed, ConversationStatus.Closed]), null).SetArgDisplayNames("status=snoozed,closed");
        yield return new TestCaseData(F(priority: [ConversationPriority.High, ConversationPriority.Urgent]), null).SetArgDisplayNames("priority=high,urgent");
        yield return new TestCaseData(F(channel: [ConversationChannel.Email, ConversationChannel.Api]), null).SetArgDisplayNames("channel=email,api");
        yield return new TestCaseData(F(op: [OperatorId.New(), OperatorId.New()]), null).SetArgDisplayNames("assignedOperatorId, two");
        yield return new TestCaseData(F(status: [ConversationStatus.Open, ConversationStatus.Closed], priority: [ConversationPriority.Low, ConversationPriority.High]), null)
            .SetArgDisplayNames("status and priority, two each");
    }

    [TestCaseSource(nameof(Filters))]
    public async Task Each_filter_reads_an_ordered_index_range_of_the_organization(ConversationListFilter filter, string? index)
    {
        if (Factory.Database.Provider != TestDatabases.Sqlite) Assert.Ignore("The plan is read with SQLite's EXPLAIN QUERY PLAN.");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var queries = new ConversationQueries(db, scope.ServiceProvider.GetRequiredService<ConversationSearch>());
        var org = new OrganizationId(Org.OrgId);

        var plans = new Dictionary<string, string>
        {
            ["with messages"] = await PlanAsync(db, queries.WithMessages(org, filter, null, Now).Take(26)),
            ["with messages, after a cursor"] = await PlanAsync(db, queries.WithMessages(org, filter, WithMessage, Now).Take(26)),
            ["without messages"] = await PlanAsync(db, queries.WithoutMessages(org, filter, null, Now).Take(26)),
            ["without messages, after a cursor"] = await PlanAsync(db, queries.WithoutMessages(org, filter, WithoutMessage, Now).Take(26)),
        };

        foreach (var (segment, plan) in plans)
        {
            TestContext.Out.WriteLine($"{segment}:\n{plan}");
            plan.ShouldStartWith($"SEARCH c USING INDEX {index ?? "ix_conversations_org"}", Case.Sensitive, segment);
            plan.ShouldContain("(OrganizationId=?", Case.Sensitive, segment);
            plan.ShouldNotContain("SCAN", Case.Sensitive, segment);
            plan.ShouldNotContain("TEMP B-TREE", Case.Sensitive, segment);
        }
    }

    /// <summary>
    /// With <c>q</c> the words are looked up once in the FTS5 index (docs/adr/0702) and the
    /// organization is still read in list order through the filter's index, each entry checked
    /// against the matching rowids before its row is read: no scan of conversations, no sort,
    /// and a page of common words stops after the page.
    /// </summary>
    [TestCase(null, "ix_conversations_org_order")]
    [TestCase(ConversationStatus.Closed, "ix_conversations_org_status_order")]
    public async Task Q_looks_the_words_up_in_the_word_index_and_reads_the_organization_in_list_order(ConversationStatus? status, string index)
    {
        if (Factory.Database.Provider != TestDatabases.Sqlite) Assert.Ignore("The plan is read with SQLite's EXPLAIN QUERY PLAN.");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var queries = new ConversationQueries(db, scope.ServiceProvider.GetRequiredService<ConversationSearch>());
        var org = new OrganizationId(Org.OrgId);
        var filter = new ConversationListFilter(status is { } s ? [s] : [], [], [], [], false, ["refund", "zoe"]);

        foreach (var (segment, query) in new[]
        {
            ("with messages", queries.WithMessages(org, filter, null, Now)),
            ("with messages, after a cursor", queries.WithMessages(org, filter, WithMessage, Now)),
            ("without messages", queries.WithoutMessages(org, filter, null, Now)),
            ("without messages, after a cursor", queries.WithoutMessages(org, filter, WithoutMessage, Now)),
        })
        {
            var plan = await PlanAsync(db, query.Take(26));
            TestContext.Out.WriteLine($"{segment}:\n{plan}");
            var lines = plan.Split('\n');
            lines[0].ShouldStartWith($"SEARCH conversations USING INDEX {index} (OrganizationId=?", Case.Sensitive, segment);
            lines.ShouldContain("SCAN conversations_fts VIRTUAL TABLE INDEX 0:M1", segment);
            lines.Count(l => l.StartsWith("SCAN ", StringComparison.Ordinal)).ShouldBe(1, segment);
            plan.ShouldNotContain("TEMP B-TREE", Case.Sensitive, segment);
        }
    }

    [Test]
    public async Task The_sweep_reads_only_due_rows_by_snooze_end()
    {
        if (Factory.Database.Provider != TestDatabases.Sqlite) Assert.Ignore("The plan is read with SQLite's EXPLAIN QUERY PLAN.");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConvorDbContext>();
        var now = Now;

        var plan = await PlanAsync(db, db.Conversations.IgnoreQueryFilters()
            .Where(EndedSnooze.HasEndedAt(now)).OrderBy(c => c.SnoozedUntil).Take(100));

        plan.ShouldBe("SEARCH c USING INDEX ix_conversations_snooze_sweep (SnoozedUntil<?)");
    }

    private static async Task<string> PlanAsync(ConvorDbContext db, IQueryable<Conversation> query)
    {
        await using DbCommand command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
            return string.Join('\n', lines);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
