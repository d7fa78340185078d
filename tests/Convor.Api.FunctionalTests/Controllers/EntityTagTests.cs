using Convor.Api.Controllers;

namespace Convor.Api.FunctionalTests.Controllers;

/// <summary>The version as an ETag, and If-Match read with RFC 9110's strong comparison.</summary>
public sealed class EntityTagTests
{
    [Test]
    public void The_etag_of_a_version_is_the_quoted_number()
    {
        EntityTag.Of(12).ShouldBe("\"12\"");
    }

    [TestCase(null)]
    [TestCase("*")]
    [TestCase("\"3\", *")]
    public void No_if_match_or_a_star_is_no_expectation(string? ifMatch)
    {
        EntityTag.ParseIfMatch(ifMatch).ShouldBeNull();
    }

    [TestCase("\"12\"", new long[] { 12 })]
    [TestCase(" \"12\" ", new long[] { 12 })]
    [TestCase("\"3\", \"12\"", new long[] { 3, 12 })]
    [TestCase("\"3\",W/\"12\"", new long[] { 3 })]
    [TestCase("W/\"12\"", new long[0])]
    [TestCase("W/\"12\", w/\"12\"", new long[0])]
    [TestCase("\"012\"", new long[0])]
    [TestCase("\"+12\"", new long[0])]
    [TestCase("\"12", new long[0])]
    [TestCase("12", new long[0])]
    [TestCase("\"\"", new long[0])]
    [TestCase("\"99999999999999999999\"", new long[0])]
    [TestCase("", new long[0])]
    [TestCase(" , ", new long[0])]
    public void Only_strong_tags_in_the_form_the_api_sends_are_expected_versions(string ifMatch, long[] versions)
    {
        EntityTag.ParseIfMatch(ifMatch).ShouldNotBeNull().AnyOf.ShouldBe(versions);
    }
}
