using System.Globalization;
using System.Text;
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
    /// (when that is one character), lower-cased. Needs ICU, which test hosts have (the API,
    /// which runs without it, is why the table exists).
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
