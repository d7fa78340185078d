using Convor.Application.Common;
using Convor.Application.Common.Exceptions;

namespace Convor.Application.UnitTests.Common;

public sealed class PreconditionTests
{
    private const long CurrentVersion = 12;

    [Test]
    public void The_etag_of_a_version_is_the_quoted_number()
    {
        Precondition.ETagOf(12).ShouldBe("\"12\"");
    }

    [Test]
    public void No_if_match_always_passes()
    {
        Should.NotThrow(() => Precondition.EnsureMatches(null, CurrentVersion));
    }

    [TestCase("*")]
    [TestCase("\"12\"")]
    [TestCase("W/\"12\"")]
    [TestCase("\"3\", \"12\"")]
    [TestCase("\"3\",W/\"12\"")]
    [TestCase(" \"12\" ")]
    public void An_if_match_naming_the_current_etag_or_any_passes(string ifMatch)
    {
        Should.NotThrow(() => Precondition.EnsureMatches(ifMatch, CurrentVersion));
    }

    [TestCase("\"11\"")]
    [TestCase("W/\"13\"")]
    [TestCase("\"3\", \"4\"")]
    [TestCase("\"121\"")]
    public void An_if_match_naming_only_other_etags_is_precondition_failed(string ifMatch)
    {
        var exception = Should.Throw<PreconditionFailedException>(() => Precondition.EnsureMatches(ifMatch, CurrentVersion));

        exception.Code.ShouldBe("precondition_failed");
    }

    [TestCase("12")]
    [TestCase("")]
    [TestCase(" , ")]
    [TestCase("\"12")]
    public void A_malformed_if_match_is_precondition_failed(string ifMatch)
    {
        Should.Throw<PreconditionFailedException>(() => Precondition.EnsureMatches(ifMatch, CurrentVersion));
    }
}
