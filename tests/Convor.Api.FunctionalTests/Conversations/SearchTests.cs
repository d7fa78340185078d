using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Convor.Api.FunctionalTests.Infrastructure;

namespace Convor.Api.FunctionalTests.Conversations;

/// <summary>
/// <c>q</c> on the conversation list through HTTP, on every provider: what it finds is the same
/// whichever word index (SQLite FTS5, PostgreSQL tsvector, none) reads the candidates
/// (docs/adr/0702): every word of q is the start of a word of the normalized metadata or messages.
/// </summary>
public sealed class SearchTests(string database) : LifecycleApiTestBase(database)
{
    private static Task<JsonObject> AddMessageAsync(TestOrganization org, string conversationId, string body) =>
        PostAsync(org, $"/api/conversations/{conversationId}/messages", new { author = "visitor", body }, HttpStatusCode.Created);

    private async Task<string> NewAsync(TestOrganization org, object metadata, params string[] messages)
    {
        var id = Id(await CreateConversationAsync(org, new { channel = "widget", metadata }));
        foreach (var body in messages) await AddMessageAsync(org, id, body);
        return id;
    }

    private static async Task<IReadOnlyList<string>> SearchAsync(TestOrganization org, string q, string more = "") =>
        Ids(await ListAsync(org, "q=" + Uri.EscapeDataString(q) + more));

    [Test]
    public async Task A_word_of_a_message_finds_its_conversation_and_a_start_of_word_is_enough()
    {
        var parcel = await NewAsync(Org, new { subject = "Delivery" }, "My parcel never arrived", "Tracking number 778899");
        var invoice = await NewAsync(Org, new { subject = "Billing" }, "Please resend the invoice");

        (await SearchAsync(Org, "parcel")).ShouldBe([parcel]);
        (await SearchAsync(Org, "arriv")).ShouldBe([parcel]);
        (await SearchAsync(Org, "7788")).ShouldBe([parcel]);
        (await SearchAsync(Org, "invoice")).ShouldBe([invoice]);
        (await SearchAsync(Org, "voice")).ShouldBeEmpty();   // inside a word, never its start
        (await SearchAsync(Org, "8899")).ShouldBeEmpty();
        (await SearchAsync(Org, "parcels")).ShouldBeEmpty(); // longer than the word
        (await SearchAsync(Org, "n")).ShouldBe([parcel]);    // one letter: "never" and "number"; no word of the invoice's starts with n
    }

    [Test]
    public async Task Every_word_must_start_a_word_of_the_metadata_or_of_a_message()
    {
        var both = await NewAsync(Org, new { subject = "Refund request" }, "The blender broke");
        var refundOnly = await NewAsync(Org, new { subject = "Refund request" }, "Wrong colour");
        var blenderOnly = await NewAsync(Org, new { subject = "Question" }, "Is the blender loud?");

        (await SearchAsync(Org, "refund blender")).ShouldBe([both]);
        (await SearchAsync(Org, "blend ref")).ShouldBe([both]);
        (await SearchAsync(Org, "blender")).ShouldBe([blenderOnly, both], ignoreOrder: true);
        (await SearchAsync(Org, "refund")).ShouldBe([refundOnly, both], ignoreOrder: true);
        (await SearchAsync(Org, "refund blender loud")).ShouldBeEmpty();
        (await SearchAsync(Org, "refund refund REFUND")).ShouldBe([refundOnly, both], ignoreOrder: true);
    }

    [Test]
    public async Task Accents_and_case_are_folded_on_both_sides()
    {
        var dessert = await NewAsync(Org, new { subject = "Crème brûlée" }, "Où est ma COMMANDE, Zoë ?");

        foreach (var q in new[] { "creme brulee", "CRÈME", "brul", "ou commande", "zoe", "ZOË", "Où", "commandé" })
            (await SearchAsync(Org, q)).ShouldBe([dessert], $"q={q}");
        (await SearchAsync(Org, "cremes")).ShouldBeEmpty();
    }

    /// <summary>
    /// FTS5 query syntax, LIKE wildcards and SQL quoting in q are ordinary text: q is split into
    /// words of letters and digits, and each word is one quoted prefix string for the word index.
    /// </summary>
    [TestCase("\"refund\"", "ab")]
    [TestCase("refund*", "ab")]
    [TestCase("^refund", "ab")]
    [TestCase("(refund)", "ab")]
    [TestCase("-refund", "ab")]
    [TestCase("refund:", "ab")]
    [TestCase("subject:refund", "")]          // a column filter would match; "subject" is a key, not a word
    [TestCase("SearchVector:refund", "")]
    [TestCase("refund OR nothing", "")]       // OR is a word that must start a word: none has refund, or… and nothing
    [TestCase("refund NOT order", "")]
    [TestCase("refund AND store", "")]
    [TestCase("NEAR(refund store)", "b")]     // near, refund and store all start words of b
    [TestCase("NEAR(refund store, 2)", "")]   // …and "2" starts none
    [TestCase("refund OR", "a")]              // "or" starts "order"
    [TestCase("\"refund\" \"order\"", "a")]
    [TestCase("re%", "ab")]
    [TestCase("ref_nd", "")]                  // "ref" and "nd": nd starts nothing
    [TestCase("%", "abc")]                    // no words at all: no filter
    [TestCase("\"*^:()-", "abc")]
    [TestCase("'; DROP TABLE conversations; --", "")]
    [TestCase("\\\"", "abc")]
    public async Task Query_syntax_in_q_is_plain_text(string q, string expected)
    {
        var a = await NewAsync(Org, new { subject = "Refund for order 1234" });
        var b = await NewAsync(Org, new { subject = "refund near the store" });
        var c = await NewAsync(Org, new { subject = "nothing here" });
        var names = new Dictionary<string, char> { [a] = 'a', [b] = 'b', [c] = 'c' };

        var found = await SearchAsync(Org, q);

        new string([.. found.Select(id => names[id]).Order()]).ShouldBe(expected);
        (await SearchAsync(Org, "nothing")).ShouldBe([c]); // and the table is still there
    }

    [Test]
    public async Task Paging_through_the_matches_with_a_cursor_sees_each_once_in_list_order()
    {
        var matches = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var id = await NewAsync(Org, new { subject = $"Ticket {i}" }, i % 2 == 0 ? "the printer jams" : "the printer is fine");
            if (i % 2 == 0) matches.Insert(0, id); // newest message first
            await NewAsync(Org, new { subject = $"Other {i}" }, "the scanner jams");
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        await NewAsync(OtherOrg, new { subject = "Theirs" }, "the printer jams");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(Org, "q=printer%20jam&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var ids = Ids(page);
            ids.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(ids);
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && seen.Count < 20);

        seen.ShouldBe(matches);
        // The cursor is bound to the words: the same cursor with other words is refused.
        var first = await ListAsync(Org, "q=printer%20jam&limit=2");
        using var other = await Client.GetAsync("/api/conversations?q=printer&limit=2&cursor=" + Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>()));
        await ShouldBeValidationErrorOnAsync(other, "cursor");
    }

    [Test]
    public async Task Q_combines_with_the_other_filters()
    {
        var open = await NewAsync(Org, new { subject = "Broken screen" });
        var closed = await NewAsync(Org, new { subject = "Broken screen" });
        await CloseAsync(Org, closed);

        (await SearchAsync(Org, "broken", "&status=closed")).ShouldBe([closed]);
        (await SearchAsync(Org, "broken", "&status=open")).ShouldBe([open]);
        (await SearchAsync(Org, "broken", "&channel=email")).ShouldBeEmpty();
    }

    [Test]
    public async Task New_words_are_found_at_once_and_replaced_metadata_words_no_longer()
    {
        var conversation = await NewAsync(Org, new { subject = "Alpha topic", tags = new[] { "keepme" } });
        (await SearchAsync(Org, "alpha")).ShouldBe([conversation]);

        using (var patched = await PatchAsync(Org, $"/api/conversations/{conversation}", new { metadata = new { subject = "Beta topic" } }))
            patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SearchAsync(Org, "alpha")).ShouldBeEmpty();
        (await SearchAsync(Org, "keepme")).ShouldBeEmpty();
        (await SearchAsync(Org, "beta")).ShouldBe([conversation]);

        await AddMessageAsync(Org, conversation, "gamma rays");
        (await SearchAsync(Org, "gamma beta")).ShouldBe([conversation]);

        using (var again = await PatchAsync(Org, $"/api/conversations/{conversation}", new { metadata = new { subject = "Delta" } }))
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SearchAsync(Org, "beta")).ShouldBeEmpty();
        (await SearchAsync(Org, "gamma delta")).ShouldBe([conversation]); // the message words stay
    }

    [Test]
    public async Task Another_organizations_conversations_are_never_found_whatever_the_words()
    {
        var mine = await NewAsync(Org, new { subject = "Shared words here" }, "merger plans");
        await NewAsync(OtherOrg, new { subject = "Shared words here" }, "merger plans");
        await NewAsync(OtherOrg, new { subject = "Secret acquisition" }, "merger plans");

        (await SearchAsync(Org, "merger")).ShouldBe([mine]);
        (await SearchAsync(Org, "shared words merger")).ShouldBe([mine]);
        (await SearchAsync(Org, "secret")).ShouldBeEmpty();
        (await SearchAsync(Org, "acquisition merger")).ShouldBeEmpty();
        (await SearchAsync(OtherOrg, "secret")).Count.ShouldBe(1);
    }

    [Test]
    public async Task The_waiting_list_takes_q_too()
    {
        var wanted = await NewAsync(Org, new { subject = "Password reset" });
        var other = await NewAsync(Org, new { subject = "Invoice copy" });
        foreach (var id in new[] { wanted, other })
        {
            using var handoff = await Client.PostAsync($"/api/conversations/{id}/handoff", null);
            handoff.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await SearchAsync(Org, "password", "&waiting=true")).ShouldBe([wanted]);
        (await SearchAsync(Org, "pass invoice", "&waiting=true")).ShouldBeEmpty();
    }

    /// <summary>
    /// Words longer than PostgreSQL's lexemes may be (2,047 bytes) or than the word index keeps
    /// (200 characters) are still found by their start: q itself is at most 200 characters.
    /// </summary>
    [Test]
    public async Task Very_long_words_are_found_by_their_start()
    {
        var latin = new string('x', 150) + new string('y', 300);
        var han = new string('字', 800); // 2,400 bytes of UTF-8
        var conversation = await NewAsync(Org, new { subject = "long words" }, latin, han + " end");

        (await SearchAsync(Org, latin[..200])).ShouldBe([conversation]);
        (await SearchAsync(Org, new string('x', 150) + "y")).ShouldBe([conversation]);
        (await SearchAsync(Org, han[..200])).ShouldBe([conversation]);
        (await SearchAsync(Org, han[..199] + "x")).ShouldBeEmpty();
        (await SearchAsync(Org, new string('x', 151))).ShouldBeEmpty();
        (await SearchAsync(Org, "end long")).ShouldBe([conversation]);
    }

    [Test]
    public async Task Writes_that_do_not_touch_the_words_keep_the_conversation_found()
    {
        var conversation = await NewAsync(Org, new { subject = "Keyboard" }, "keys stick");
        var op = Id(await CreateOperatorAsync(Org));

        await PostAsync(Org, $"/api/conversations/{conversation}/assign", new { operatorId = op });
        using (var patched = await Client.PatchAsJsonAsync($"/api/conversations/{conversation}", new { priority = "urgent" }))
            patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        await CloseAsync(Org, conversation);
        await ReopenAsync(Org, conversation);

        (await SearchAsync(Org, "keyboard stick")).ShouldBe([conversation]);
    }
}
