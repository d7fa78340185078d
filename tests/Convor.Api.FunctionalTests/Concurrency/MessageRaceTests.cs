using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Concurrency;

/// <summary>
/// Messages written at the same time on one conversation, and a visitor's reply racing a
/// close. A request that loses every server-side retry is answered 409
/// <c>concurrency_conflict</c>; the client sends it again, as the contract tells clients to,
/// so every message must end up stored exactly once.
/// </summary>
public sealed class MessageRaceTests(string database) : ApiTestBase(database)
{
    private const int Messages = 100;

    // A hundred requests at once with one key; the limiter is not under test here.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitLimit"] = "1000000",
    };

    [Test]
    public async Task A_hundred_concurrent_messages_are_all_stored_with_contiguous_versions_and_one_entry_each()
    {
        var conversation = Id(await CreateConversationAsync(Org));

        var answers = await Task.WhenAll(Enumerable.Range(0, Messages).Select(i =>
            SendUntilNotConflictAsync(() => Client.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { author = i % 2 == 0 ? "visitor" : "ai", body = $"message {i:D3}" }))));

        var created = answers.Select(a => ShouldBeCreated(a)).ToList();
        var stored = await AllMessagesAsync(conversation);
        stored.Select(m => m["body"]!.GetValue<string>()).Order(StringComparer.Ordinal)
            .ShouldBe(Enumerable.Range(0, Messages).Select(i => $"message {i:D3}"));
        stored.Select(Id).ShouldBe(created.Select(Id), ignoreOrder: true);
        var times = stored.Select(m => DateTimeOffset.Parse(m["createdAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        times.ShouldBe(times.Order().ToList(), "messages are listed in the order written, and their times never go backwards along it");

        using var get = await Client.GetAsync($"/api/conversations/{conversation}");
        var after = await ShouldBeOkAsync(get);
        after["lastMessageAt"]!.GetValue<string>().ShouldBe(stored[^1]["createdAt"]!.GetValue<string>());
        get.Headers.ETag!.Tag.ShouldBe($"\"{Messages + 1}\"");

        var log = await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation));
        log.Select(e => e.Version).ShouldBe(Enumerable.Range(1, Messages + 1).Select(v => (long)v));
        log.Skip(1).ShouldAllBe(e => e.Type == "message_added");
        var events = await AllEventsAsync(conversation);
        events.Where(e => e["type"]!.GetValue<string>() == "message_added").Select(e => e["data"]!["messageId"]!.GetValue<string>())
            .ShouldBe(stored.Select(Id), "one message_added per message, in the messages' order");
    }

    [Test]
    public async Task A_visitor_reply_racing_a_close_ends_in_one_of_the_two_orders_with_the_message_stored_once()
    {
        var orders = new HashSet<string>();
        for (var round = 0; round < 12; round++)
        {
            var conversation = Id(await CreateConversationAsync(Org));
            var message = SendUntilNotConflictAsync(() => Client.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { author = "visitor", body = "Wait, one more thing" }));
            var close = SendUntilNotConflictAsync(() => Client.PostAsync($"/api/conversations/{conversation}/close", null));
            await Task.WhenAll(message, close);

            ShouldBeCreated(await message);
            (await close).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await AllMessagesAsync(conversation)).Count.ShouldBe(1);
            var log = await StoredActivityLog.ReadAsync(Factory, Guid.Parse(conversation));
            var order = string.Join(",", log.Select(e => e.Type));
            order.ShouldBeOneOf("created,message_added,closed", "created,closed,reopened,message_added");
            var conversationNow = await GetConversationJsonAsync(Org, conversation);
            conversationNow["status"]!.GetValue<string>().ShouldBe(order.EndsWith("closed", StringComparison.Ordinal) ? "closed" : "open");
            StoredActivityLog.ShouldAgreeWith(StoredActivityLog.Replay(log), conversationNow);
            orders.Add(order);
        }
        TestContext.Out.WriteLine($"orders seen: {string.Join(" | ", orders)}");
    }

    private static async Task<HttpResponseMessage> SendUntilNotConflictAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.Conflict || attempt == 50) return response;
            var text = await response.Content.ReadAsStringAsync();
            if (!text.Contains("\"concurrency_conflict\"", StringComparison.Ordinal)) return response;
            response.Dispose();
        }
    }

    private static JsonObject ShouldBeCreated(HttpResponseMessage response)
    {
        using (response)
            return ShouldBeOkAsync(response, HttpStatusCode.Created).GetAwaiter().GetResult();
    }

    private async Task<List<JsonObject>> AllMessagesAsync(string conversation) => await ReadAllAsync($"/api/conversations/{conversation}/messages");

    private async Task<List<JsonObject>> AllEventsAsync(string conversation) => await ReadAllAsync($"/api/conversations/{conversation}/events");

    private async Task<List<JsonObject>> ReadAllAsync(string path)
    {
        var all = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = await ShouldBeOkAsync(await Client.GetAsync(path + "?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))));
            all.AddRange(page["data"]!.AsArray().Select(n => n!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return all;
    }
}
