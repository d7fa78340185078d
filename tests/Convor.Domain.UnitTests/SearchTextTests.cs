using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests;

public sealed class SearchTextTests
{
    [Test]
    public void Search_text_is_the_distinct_lower_cased_accent_folded_tokens_of_string_values_in_first_seen_order()
    {
        var metadata = ConversationMetadata.FromJson("""
            {"subject":"Crème Brûlée order","tags":["ORDER","vip"],"nested":{"city":"São Paulo"},"count":42,"flag":true,"none":null}
            """);

        SearchText.FromMetadata(metadata).ShouldBe("creme brulee order vip sao paulo");
    }

    [Test]
    public void Keys_numbers_and_booleans_are_not_searchable()
    {
        var metadata = ConversationMetadata.FromJson("""{"subject":"x","amount":12.5,"paid":false}""");

        SearchText.FromMetadata(metadata).ShouldBe("x");
    }

    [Test]
    public void Empty_metadata_has_empty_search_text()
    {
        SearchText.FromMetadata(ConversationMetadata.Empty).ShouldBe("");
    }

    [TestCase("Zoë", new[] { "zoe" })]
    [TestCase("  order-1234, REFUND!  ", new[] { "order", "1234", "refund" })]
    [TestCase("!!!", new string[0])]
    [TestCase("Ünïcödé ß", new[] { "unicode", "ß" })]
    public void Tokenize_splits_on_anything_that_is_not_a_letter_or_digit(string text, string[] expected)
    {
        SearchText.Tokenize(text).ShouldBe(expected);
    }
}
