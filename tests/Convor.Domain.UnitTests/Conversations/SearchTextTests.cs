using System.Globalization;
using System.Text;
using Convor.Domain.Conversations;

namespace Convor.Domain.UnitTests.Conversations;

public sealed class SearchTextTests
{
    private static string Of(string json) => SearchText.FromMetadata(ConversationMetadata.FromJson(json));

    [Test]
    public void Empty_metadata_has_empty_search_text()
    {
        SearchText.FromMetadata(ConversationMetadata.Empty).ShouldBe(string.Empty);
    }

    [Test]
    public void Metadata_without_strings_has_empty_search_text()
    {
        Of("""{"count":3,"vip":true,"list":[1,2],"none":null}""").ShouldBe(string.Empty);
    }

    [Test]
    public void Text_is_lower_cased_and_accents_are_folded()
    {
        Of("""{"name":"Zoë ÅNGSTRÖM","city":"São Paulo"}""").ShouldBe("zoe angstrom sao paulo");
    }

    [Test]
    public void Tokens_are_runs_of_letters_and_digits_split_on_everything_else()
    {
        Of("""{"ref":"Order #123-ABC/x_y","mail":"ada@example.com"}""").ShouldBe("order 123 abc x y ada example com");
    }

    [Test]
    public void Each_token_appears_once_in_first_seen_order()
    {
        Of("""{"a":"foo Bar","b":["bar","BAZ foo"],"c":{"d":"baz qux"}}""").ShouldBe("foo bar baz qux");
    }

    [Test]
    public void Keys_are_not_searchable()
    {
        Of("""{"secretKeyName":"value"}""").ShouldBe("value");
    }

    [Test]
    public void A_query_is_tokenized_the_same_way_so_zoe_finds_zoe_with_diaeresis()
    {
        SearchText.Tokenize("  ZOE!! ").ShouldBe(["zoe"]);
        SearchText.Tokenize("Zoë").ShouldBe(["zoe"]);
        SearchText.Tokenize(" -- ").ShouldBeEmpty();
    }

    [Test]
    public void Join_keeps_the_first_of_duplicate_tokens()
    {
        SearchText.Join(["b", "a", "b", "c", "a"]).ShouldBe("b a c");
    }

    [Test]
    public void Search_text_is_the_distinct_lower_cased_accent_folded_tokens_of_string_values_in_first_seen_order()
    {
        var metadata = ConversationMetadata.FromJson("""
            {"subject":"Crème Brûlée order","tags":["ORDER","vip"],"nested":{"city":"São Paulo"},"count":42,"flag":true,"none":null}
            """);

        SearchText.FromMetadata(metadata).ShouldBe("creme brulee order vip sao paulo");
    }

    [TestCase("İstanbul ÉCOLE Ωμέγα Ёлка", new[] { "istanbul", "ecole", "ωμεγα", "елка" })]
    [TestCase("e\u0301te\u0301", new[] { "ete" })] // already decomposed: the marks go
    [TestCase("Zoë", new[] { "zoe" })]
    [TestCase("  order-1234, REFUND!  ", new[] { "order", "1234", "refund" })]
    [TestCase("!!!", new string[0])]
    [TestCase("Ünïcödé ß", new[] { "unicode", "ß" })]
    public void Tokenize_splits_on_anything_that_is_not_a_letter_or_digit(string text, string[] expected)
    {
        SearchText.Tokenize(text).ShouldBe(expected);
    }

    /// <summary>
    /// The folding table must say what Unicode says: for every letter and digit of the Basic
    /// Multilingual Plane, folding alone gives the canonical decomposition without its marks
    /// (when that is one character), lower-cased. Needs ICU, which test hosts have (a process
    /// without it, whose Normalize decomposes nothing, is why the table exists).
    /// </summary>
    [Test]
    public void Folding_agrees_with_unicode_decomposition_for_every_letter_and_digit()
    {
        if ("é".Normalize(NormalizationForm.FormD).Length != 2) Assert.Ignore("ICU normalization is not available in this process.");
        var disagreements = new List<string>();
        for (var code = 0; code < 0x10000; code++)
        {
            var ch = (char)code;
            if (char.IsSurrogate(ch) || !char.IsLetterOrDigit(ch)) continue;
            string expected;
            try
            {
                var decomposed = ch.ToString().Normalize(NormalizationForm.FormD);
                expected = new string(decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray())
                    .Normalize(NormalizationForm.FormC);
            }
            catch (ArgumentException)
            {
                continue; // not a character normalization accepts
            }
            if (expected.Length != 1 || !char.IsLetterOrDigit(expected[0])) continue;
            var folded = SearchText.Tokenize(ch.ToString()).SingleOrDefault();
            if (folded != expected.ToLowerInvariant()) disagreements.Add($"U+{code:X4} gives {folded} instead of {expected.ToLowerInvariant()}");
        }
        disagreements.ShouldBeEmpty();
    }
}
