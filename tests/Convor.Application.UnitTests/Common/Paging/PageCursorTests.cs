using System.Buffers.Text;
using System.Text;
using Convor.Application.Common.Paging;

namespace Convor.Application.UnitTests.Common.Paging;

public sealed class PageCursorTests
{
    [Test]
    public void A_cursor_round_trips_its_key()
    {
        var cursor = PageCursor.Encode("list", "hash", "a", null, "c");

        PageCursor.TryDecode(cursor, "list", "hash", 3, out var error).ShouldBe(["a", null, "c"]);
        error.ShouldBeNull();
    }

    [Test]
    public void A_cursor_is_url_safe()
    {
        var cursor = PageCursor.Encode("list", "hash", new string('?', 40), "ÿÿÿ>>>");

        cursor.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
    }

    [Test]
    public void A_cursor_of_another_list_or_filter_set_is_foreign()
    {
        var cursor = PageCursor.Encode("list", "hash", "a");

        PageCursor.TryDecode(cursor, "other", "hash", 1, out var error).ShouldBeNull();
        error.ShouldBe(PageCursor.ForeignMessage);
        PageCursor.TryDecode(cursor, "list", "other", 1, out error).ShouldBeNull();
        error.ShouldBe(PageCursor.ForeignMessage);
    }

    [TestCase("")]
    [TestCase("!!!")]
    [TestCase("bm90IGpzb24")] // "not json"
    [TestCase("eyJ2IjoyLCJsIjoibGlzdCIsImYiOiJoYXNoIiwiayI6WyJhIl19")] // version 2
    [TestCase("eyJ2IjoxLCJsIjoibGlzdCIsImYiOiJoYXNoIiwiayI6WyJhIiwiYiJdfQ")] // two key parts where one is expected
    [TestCase("eyJ2IjoxLCJsIjoibGlzdCIsImYiOiJoYXNoIn0")] // no key
    public void Garbage_is_malformed(string cursor)
    {
        PageCursor.TryDecode(cursor, "list", "hash", 1, out var error).ShouldBeNull();
        error.ShouldBe(PageCursor.MalformedMessage);
    }

    [Test]
    public void The_test_vectors_above_are_what_they_claim()
    {
        Encoding.UTF8.GetString(Base64Url.DecodeFromChars("eyJ2IjoyLCJsIjoibGlzdCIsImYiOiJoYXNoIiwiayI6WyJhIl19"))
            .ShouldBe("""{"v":2,"l":"list","f":"hash","k":["a"]}""");
        PageCursor.Encode("list", "hash", "a", "b").ShouldBe("eyJ2IjoxLCJsIjoibGlzdCIsImYiOiJoYXNoIiwiayI6WyJhIiwiYiJdfQ");
    }

    [Test]
    public void An_over_long_cursor_is_malformed_without_decoding()
    {
        PageCursor.TryDecode(new string('A', PageCursor.MaxLength + 1), "list", "hash", 1, out var error).ShouldBeNull();
        error.ShouldBe(PageCursor.MalformedMessage);
    }

    [Test]
    public void Filter_hashes_are_stable_and_tell_null_from_empty_and_position()
    {
        PageCursor.HashFilters("a", "b").ShouldBe(PageCursor.HashFilters("a", "b"));
        PageCursor.HashFilters("a", "b").ShouldNotBe(PageCursor.HashFilters("b", "a"));
        PageCursor.HashFilters(null, "b").ShouldNotBe(PageCursor.HashFilters("", "b"));
        PageCursor.HashFilters("ab", "c").ShouldNotBe(PageCursor.HashFilters("a", "bc"));
        PageCursor.HashFilters("x").Length.ShouldBe(16);
    }

    [Test]
    public void Timestamps_round_trip_at_millisecond_precision()
    {
        var at = new DateTimeOffset(2026, 6, 23, 8, 58, 0, 123, TimeSpan.Zero);

        PageCursor.FormatTimestamp(at).ShouldBe("2026-06-23T08:58:00.123Z");
        PageCursor.TryParseTimestamp(PageCursor.FormatTimestamp(at), out var parsed).ShouldBeTrue();
        parsed.ShouldBe(at);
        PageCursor.TryParseTimestamp("2026-06-23 08:58", out _).ShouldBeFalse();
    }
}
