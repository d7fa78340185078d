using System.Net;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

public sealed class ListConversationsTests(string database) : LifecycleApiTestBase(database)
{
    private async Task<string> NewAsync(TestOrganization org, object? body = null) => Id(await CreateConversationAsync(org, body));

    /// <summary>Descending id order as SQLite and PostgreSQL compare uuids (byte order, which is the text order of the lower-case form).</summary>
    private static IEnumerable<string> ByIdDescending(IEnumerable<string> ids) => ids.OrderByDescending(id => id, StringComparer.Ordinal);

    /// <summary>Follows nextCursor to the end, running <paramref name="betweenPages"/> (given the ids seen so far) after each page.</summary>
    private static async Task<List<string>> WalkAsync(TestOrganization org, string query, Func<IReadOnlyList<string>, Task>? betweenPages = null)
    {
        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; ; page++)
        {
            var body = await ListAsync(org, query + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(Ids(body));
            cursor = body["nextCursor"]?.GetValue<string>();
            if (cursor is null) return seen;
            page.ShouldBeLessThan(100, "the walk does not end");
            if (betweenPages is not null) await betweenPages(seen);
        }
    }

    [Test]
    public async Task The_page_is_exactly_data_and_next_cursor()
    {
        await NewAsync(Org);

        var page = await ListAsync(Org);

        page.Select(p => p.Key).ShouldBe(["data", "nextCursor"]);
        page["nextCursor"].ShouldBeNull();
        var conversation = page["data"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        conversation.Select(p => p.Key).ShouldBe(["id", "orgId", "visitorId", "assignedOperatorId", "status", "priority", "resolvedBy",
            "channel", "aiActive", "snoozedUntil", "lastMessageAt", "metadata", "createdAt", "updatedAt", "searchVector"]);
    }

    [Test]
    public async Task Newest_last_message_first_then_no_messages_newest_created_first_then_id()
    {
        var oldMessage = await NewAsync(Org);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var noMessageOlder = await NewAsync(Org);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var newMessage = await NewAsync(Org);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var noMessageNewer = await NewAsync(Org);
        var tiedA = await NewAsync(Org); // same createdAt as noMessageNewer and each other
        var tiedB = await NewAsync(Org);
        await RecordMessageAsync(oldMessage, Now.AddMinutes(-10));
        await RecordMessageAsync(newMessage, Now.AddMinutes(-1));
        await RecordMessageAsync(tiedA, Now.AddMinutes(-5));
        await RecordMessageAsync(tiedB, Now.AddMinutes(-5));

        var ids = Ids(await ListAsync(Org));

        ids.ShouldBe([newMessage, .. ByIdDescending([tiedA, tiedB]), oldMessage, noMessageNewer, noMessageOlder]);
    }

    [Test]
    public async Task Every_filter_narrows_the_list_and_filters_combine()
    {
        var op = Id(await CreateOperatorAsync(Org));
        var urgentEmail = await NewAsync(Org, new { channel = "email", priority = "urgent" });
        var urgentWidget = await NewAsync(Org, new { channel = "widget", priority = "urgent" });
        var lowApi = await NewAsync(Org, new { channel = "api", priority = "low" });
        var closed = await NewAsync(Org, new { channel = "email" });
        await PostAsync(Org, $"/api/conversations/{urgentWidget}/assign", new { operatorId = op });
        await CloseAsync(Org, closed);

        Ids(await ListAsync(Org, "priority=urgent")).ShouldBe([urgentEmail, urgentWidget], ignoreOrder: true);
        Ids(await ListAsync(Org, "channel=email")).ShouldBe([urgentEmail, closed], ignoreOrder: true);
        Ids(await ListAsync(Org, "channel=email&priority=urgent")).ShouldBe([urgentEmail]);
        Ids(await ListAsync(Org, $"assignedOperatorId={op}")).ShouldBe([urgentWidget]);
        Ids(await ListAsync(Org, "unassigned=true")).ShouldBe([urgentEmail, lowApi, closed], ignoreOrder: true);
        Ids(await ListAsync(Org, "unassigned=false")).Count.ShouldBe(4);
        Ids(await ListAsync(Org, "status=closed")).ShouldBe([closed]);
        Ids(await ListAsync(Org, "status=open&priority=low")).ShouldBe([lowApi]);
        Ids(await ListAsync(Org, "STATUS=Open&Channel=API")).ShouldBe([lowApi]);
        Ids(await ListAsync(Org, "status=&priority=")).Count.ShouldBe(4);
        Ids(await ListAsync(Org, $"assignedOperatorId={Guid.NewGuid()}")).ShouldBeEmpty();
    }

    [Test]
    public async Task Several_values_of_a_filter_are_any_of_whether_repeated_or_comma_separated()
    {
        var first = Id(await CreateOperatorAsync(Org));
        var second = Id(await CreateOperatorAsync(Org));
        var open = await NewAsync(Org, new { channel = "widget", priority = "low" });
        var closed = await NewAsync(Org, new { channel = "email", priority = "high" });
        var snoozed = await NewAsync(Org, new { channel = "api", priority = "urgent" });
        var snoozeEnded = await NewAsync(Org, new { channel = "api", priority = "normal" });
        await CloseAsync(Org, closed);
        await SnoozeAsync(Org, snoozed, Now.AddHours(1));
        await SnoozeAsync(Org, snoozeEnded, Now.AddMinutes(1));
        await PostAsync(Org, $"/api/conversations/{open}/assign", new { operatorId = first });
        await PostAsync(Org, $"/api/conversations/{snoozed}/assign", new { operatorId = second });
        Clock.Advance(TimeSpan.FromMinutes(2));

        foreach (var query in new[] { "status=open&status=closed", "status=open,closed", "status=closed,%20open", "status=Closed&status=open,open" })
            Ids(await ListAsync(Org, query)).ShouldBe([open, closed, snoozeEnded], ignoreOrder: true, query);
        Ids(await ListAsync(Org, "status=snoozed,closed")).ShouldBe([closed, snoozed], ignoreOrder: true);
        Ids(await ListAsync(Org, "status=open,snoozed,closed")).Count.ShouldBe(4);
        Ids(await ListAsync(Org, "priority=low&priority=urgent")).ShouldBe([open, snoozed], ignoreOrder: true);
        Ids(await ListAsync(Org, "channel=widget,email")).ShouldBe([open, closed], ignoreOrder: true);
        Ids(await ListAsync(Org, $"assignedOperatorId={first},{second}")).ShouldBe([open, snoozed], ignoreOrder: true);
        Ids(await ListAsync(Org, $"assignedOperatorId={first}&assignedOperatorId={Guid.NewGuid()}")).ShouldBe([open]);
        Ids(await ListAsync(Org, "status=open,snoozed&channel=api,email")).ShouldBe([snoozed, snoozeEnded], ignoreOrder: true);
    }

    [Test]
    public async Task A_walk_with_several_values_pages_through_them_and_its_cursor_is_bound_to_the_set_not_its_spelling()
    {
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var id = await NewAsync(Org, new { channel = i % 3 == 0 ? "api" : i % 3 == 1 ? "email" : "widget" });
            if (i % 3 != 2) expected.Add(id);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        expected.Reverse();

        (await WalkAsync(Org, "channel=api,email&limit=2")).ShouldBe(expected);
        var cursor = Uri.EscapeDataString((await ListAsync(Org, "channel=email,api&limit=2"))["nextCursor"]!.GetValue<string>());

        Ids(await ListAsync(Org, $"channel=api&channel=email&limit=2&cursor={cursor}")).ShouldBe(expected.Skip(2).Take(2));
        using var narrower = await Client.GetAsync($"/api/conversations?channel=api&limit=2&cursor={cursor}");
        await ShouldBeValidationErrorOnAsync(narrower, "cursor", "was issued for a different list or filter set");
    }

    [Test]
    public async Task More_than_50_operators_in_one_filter_is_400()
    {
        var ids = string.Join(',', Enumerable.Range(0, 51).Select(_ => Guid.CreateVersion7()));

        using var response = await Client.GetAsync("/api/conversations?assignedOperatorId=" + ids);

        await ShouldBeValidationErrorOnAsync(response, "assignedOperatorId", "must have at most 50 values");
    }

    [Test]
    public async Task Q_matches_every_word_as_the_start_of_a_word_ignoring_case_and_accents()
    {
        var refund = await NewAsync(Org, new { channel = "email", metadata = new { subject = "Refund for Zoë", order = new { id = "ORD-1234" } } });
        var order = await NewAsync(Org, new { channel = "email", metadata = new { subject = "Where is my order?", tags = new[] { "zoe-priority" } } });
        await NewAsync(Org, new { channel = "email", metadata = new { note = "no words of interest", count = 1234 } });

        Ids(await ListAsync(Org, "q=refund")).ShouldBe([refund]);
        Ids(await ListAsync(Org, "q=REF")).ShouldBe([refund]);
        Ids(await ListAsync(Org, "q=zo%C3%AB")).ShouldBe([refund, order], ignoreOrder: true);
        Ids(await ListAsync(Org, "q=zoe+ord")).ShouldBe([refund, order], ignoreOrder: true);
        Ids(await ListAsync(Org, "q=zoe+1234")).ShouldBe([refund]);
        Ids(await ListAsync(Org, "q=fund")).ShouldBeEmpty();    // inside a word, not at its start
        Ids(await ListAsync(Org, "q=refund+zz")).ShouldBeEmpty(); // every word must match
        Ids(await ListAsync(Org, "q=%21%21%21")).Count.ShouldBe(3); // no words at all: no filter
    }

    [Test]
    public async Task Q_never_finds_another_organizations_conversations()
    {
        await NewAsync(OtherOrg, new { channel = "email", metadata = new { subject = "secret merger" } });

        Ids(await ListAsync(Org, "q=secret")).ShouldBeEmpty();
    }

    [Test]
    public async Task Another_organizations_conversations_never_appear()
    {
        var mine = await NewAsync(Org);
        await NewAsync(OtherOrg);
        await NewAsync(OtherOrg);

        Ids(await ListAsync(Org)).ShouldBe([mine]);
        (await WalkAsync(Org, "limit=1")).ShouldBe([mine]);
    }

    [Test]
    public async Task The_default_limit_is_25_and_the_cursor_leads_to_the_rest()
    {
        var created = new List<string>();
        for (var i = 0; i < 26; i++) created.Add(await NewAsync(Org));

        var first = await ListAsync(Org);
        var second = await ListAsync(Org, "cursor=" + Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>()));

        Ids(first).Count.ShouldBe(25);
        Ids(second).Count.ShouldBe(1);
        second["nextCursor"].ShouldBeNull();
        Ids(first).Concat(Ids(second)).ShouldBe(created, ignoreOrder: true);
    }

    [Test]
    public async Task A_walk_over_a_list_that_changes_between_pages_sees_every_steady_row_once_and_no_row_twice()
    {
        // Ten with messages (in pairs sharing an instant, so pages cut through ties) and five without.
        var steady = new List<string>();
        for (var i = 0; i < 15; i++) steady.Add(await NewAsync(Org));
        for (var i = 0; i < 10; i++) await RecordMessageAsync(steady[i], Now.AddMinutes(-(i / 2) - 1));
        var expectedOrder = Ids(await ListAsync(Org, "limit=100"));
        var touched = new List<string>();

        var seen = await WalkAsync(Org, "limit=4", async seenSoFar =>
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            // New rows at the top of both segments: before the cursor, or after it when it is still among rows with messages.
            var fresh = await NewAsync(Org);
            await RecordMessageAsync(fresh, Now);
            await NewAsync(Org);
            // A row already seen gets a new message and jumps to the top: it must not come back.
            var seenRow = seenSoFar.First(id => steady.Contains(id) && !touched.Contains(id));
            await RecordMessageAsync(seenRow, Now);
            touched.Add(seenRow);
            // A row of another organization changes too.
            await NewAsync(OtherOrg);
        });

        seen.Distinct().Count().ShouldBe(seen.Count, "a row came back");
        var steadySeen = seen.Where(id => steady.Contains(id)).ToList();
        steadySeen.ShouldBe(steady, ignoreOrder: true);
        steadySeen.Where(id => !touched.Contains(id)).ShouldBe(expectedOrder.Where(id => !touched.Contains(id)));
    }

    [Test]
    public async Task A_walk_with_a_status_filter_keeps_its_cursor_valid_while_rows_leave_the_filter()
    {
        var ids = new List<string>();
        for (var i = 0; i < 9; i++) ids.Add(await NewAsync(Org));
        var order = Ids(await ListAsync(Org, "status=open&limit=100")).ToList();
        var closedMeanwhile = new List<string>();

        var seen = await WalkAsync(Org, "status=open&limit=3", async seenSoFar =>
        {
            // Close the row right after the cursor: it leaves the filtered list before it is read.
            var next = order[order.IndexOf(seenSoFar[^1]) + 1];
            await CloseAsync(Org, next);
            closedMeanwhile.Add(next);
        });

        seen.ShouldBe(order.Where(id => !closedMeanwhile.Contains(id)));
    }

    [TestCase("limit=0", "limit", "must be between 1 and 100")]
    [TestCase("limit=101", "limit", "must be between 1 and 100")]
    [TestCase("limit=ten", "limit", "must be an integer")]
    [TestCase("status=pending", "status", "must be one of: open, snoozed, closed")]
    [TestCase("status=1", "status", "must be one of: open, snoozed, closed")]
    [TestCase("status=open,pending", "status", "must be one of: open, snoozed, closed")]
    [TestCase("status=open&status=pending", "status", "must be one of: open, snoozed, closed")]
    [TestCase("priority=high,critical", "priority", "must be one of: low, normal, high, urgent")]
    [TestCase("assignedOperatorId=0190a8e2-6b8f-7d8e-9c43-52f1a2b3c4d5,42", "assignedOperatorId", "must be a UUID")]
    [TestCase("priority=critical", "priority", "must be one of: low, normal, high, urgent")]
    [TestCase("channel=sms", "channel", "must be one of: widget, email, api")]
    [TestCase("assignedOperatorId=42", "assignedOperatorId", "must be a UUID")]
    [TestCase("unassigned=yes", "unassigned", "must be true or false")]
    [TestCase("unassigned=true&assignedOperatorId=0190a8e2-6b8f-7d8e-9c43-52f1a2b3c4d5", "unassigned", "cannot be combined with assignedOperatorId")]
    [TestCase("cursor=garbage", "cursor", "is not a valid cursor")]
    [TestCase("cursor=eyJ2IjoxfQ", "cursor", "is not a valid cursor")]
    public async Task A_malformed_query_is_400_naming_the_parameter(string query, string field, string message)
    {
        using var response = await Client.GetAsync("/api/conversations?" + query);

        await ShouldBeValidationErrorOnAsync(response, field, message);
    }

    [Test]
    public async Task A_cursor_issued_for_other_filters_is_400()
    {
        await NewAsync(Org);
        await NewAsync(Org);
        var cursor = (await ListAsync(Org, "status=open&limit=1"))["nextCursor"]!.GetValue<string>();

        using var otherFilter = await Client.GetAsync("/api/conversations?status=closed&cursor=" + Uri.EscapeDataString(cursor));
        using var sameFilter = await Client.GetAsync("/api/conversations?status=open&limit=5&cursor=" + Uri.EscapeDataString(cursor));

        await ShouldBeValidationErrorOnAsync(otherFilter, "cursor", "was issued for a different list or filter set");
        Ids(await ShouldBeOkAsync(sameFilter)).Count.ShouldBe(1);
    }

    [Test]
    public async Task A_read_only_key_can_list()
    {
        await NewAsync(Org);
        var reader = await Factory.CreateKeyAsync(Org.OrgId, "conversations:read");

        Ids(await ListAsync(reader)).Count.ShouldBe(1);
    }

    [Test]
    public async Task A_key_without_conversations_read_is_403()
    {
        var operatorsOnly = await Factory.CreateKeyAsync(Org.OrgId, "operators:read");

        using var response = await operatorsOnly.Client.GetAsync("/api/conversations");

        await ShouldBeErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Test]
    public async Task Without_a_key_it_is_401()
    {
        using var anonymous = Factory.CreateClient();

        using var response = await anonymous.GetAsync("/api/conversations");

        await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }
}
