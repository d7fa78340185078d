using System.Text.Json;
using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class ConversationMetadataTests
{
    [Test]
    public void An_object_is_kept_as_compact_text_with_its_member_order()
    {
        var metadata = ConversationMetadata.FromJson("""
            { "zeta": 1,
              "alpha": [true, null, 2.50],
              "nested": { "b": "x", "a": "y" } }
            """);

        metadata.Json.ShouldBe("""{"zeta":1,"alpha":[true,null,2.50],"nested":{"b":"x","a":"y"}}""");
    }

    [Test]
    public void The_empty_metadata_is_an_empty_object()
    {
        ConversationMetadata.Empty.Json.ShouldBe("{}");
        ConversationMetadata.FromJson(" { } ").ShouldBe(ConversationMetadata.Empty);
    }

    [TestCase("[]")]
    [TestCase("[{\"a\":1}]")]
    [TestCase("\"text\"")]
    [TestCase("42")]
    [TestCase("true")]
    [TestCase("null")]
    public void Anything_but_an_object_is_rejected(string json)
    {
        Should.Throw<ArgumentException>(() => ConversationMetadata.FromJson(json));
    }

    [Test]
    public void Text_that_is_not_json_is_rejected()
    {
        // The reader throws an internal subclass of JsonException.
        Should.Throw<Exception>(() => ConversationMetadata.FromJson("{not json")).ShouldBeAssignableTo<JsonException>();
    }

    [Test]
    public void An_object_of_exactly_16_KiB_serialized_is_accepted()
    {
        var json = ObjectOfSerializedSize(ConversationMetadata.MaxSerializedBytes);

        ConversationMetadata.FromJson(json).Json.Length.ShouldBe(16 * 1024);
    }

    [Test]
    public void An_object_one_byte_over_16_KiB_serialized_is_rejected()
    {
        var json = ObjectOfSerializedSize(ConversationMetadata.MaxSerializedBytes + 1);

        Should.Throw<ArgumentException>(() => ConversationMetadata.FromJson(json));
    }

    [Test]
    public void The_size_limit_counts_the_compact_form_not_the_whitespace_sent()
    {
        var compact = ObjectOfSerializedSize(ConversationMetadata.MaxSerializedBytes);
        var padded = compact.Replace("{", "{" + new string(' ', 1000), StringComparison.Ordinal);

        ConversationMetadata.FromJson(padded).Json.ShouldBe(compact);
    }

    [Test]
    public void String_values_are_collected_from_nested_objects_and_arrays_but_not_keys_or_other_values()
    {
        var metadata = ConversationMetadata.FromJson("""
            {"name":"Ada","tags":["vip",{"note":"call back"}],"age":36,"active":true,"none":null,"deep":{"deeper":{"x":"y"}}}
            """);

        metadata.StringValues().ShouldBe(["Ada", "vip", "call back", "y"]);
    }

    [Test]
    public void Equal_text_is_equal_metadata_and_member_order_matters()
    {
        var first = ConversationMetadata.FromJson("""{"a":1,"b":2}""");

        first.ShouldBe(ConversationMetadata.FromJson("""{ "a": 1, "b": 2 }"""));
        first.GetHashCode().ShouldBe(ConversationMetadata.FromJson("""{ "a": 1, "b": 2 }""").GetHashCode());
        first.ShouldNotBe(ConversationMetadata.FromJson("""{"b":2,"a":1}"""));
        first.Equals(null).ShouldBeFalse();
    }

    [Test]
    public void Non_ascii_and_html_characters_keep_their_meaning()
    {
        var metadata = ConversationMetadata.FromJson("""{"note":"Zoë <b>&'+ 😀"}""");

        metadata.StringValues().ShouldBe(["Zoë <b>&'+ 😀"]);
        JsonDocument.Parse(metadata.Json).RootElement.GetProperty("note").GetString().ShouldBe("Zoë <b>&'+ 😀");
    }

    [Test]
    public void Non_ascii_text_is_kept_as_sent_and_counted_in_utf8_bytes_not_escapes()
    {
        // 8,000 × "ë" is 16,000 UTF-8 bytes; written as \u00EB escapes it would be 48,000.
        var json = $$"""{"k":"{{new string('ë', 8000)}}"}""";

        var metadata = ConversationMetadata.FromJson(json);

        metadata.Json.ShouldBe(json);
    }

    /// <summary>{"k":"xxx…"} whose compact UTF-8 form is exactly <paramref name="bytes"/> long.</summary>
    private static string ObjectOfSerializedSize(int bytes)
    {
        const string shell = """{"k":""}""";
        return shell.Insert(6, new string('x', bytes - shell.Length));
    }
}
