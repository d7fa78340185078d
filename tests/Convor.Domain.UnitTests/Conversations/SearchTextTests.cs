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
}
