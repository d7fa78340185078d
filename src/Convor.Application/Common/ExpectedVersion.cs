using Convor.Application.Common.Exceptions;

namespace Convor.Application.Common;

/// <summary>
/// The versions a command's caller accepts the conversation to be at (HTTP's <c>If-Match</c>,
/// read by the API). A command without one (null) runs on whatever version is current; with
/// one, a conversation at any other version is <c>precondition_failed</c> and nothing changes.
/// No versions at all (an <c>If-Match</c> that names nothing this API could have sent) never matches.
/// </summary>
public sealed record ExpectedVersion(IReadOnlyList<long> AnyOf)
{
    public static ExpectedVersion Of(long version) => new([version]);

    /// <summary>Throws <see cref="PreconditionFailedException"/> unless <paramref name="expected"/> is null or names <paramref name="currentVersion"/>.</summary>
    public static void EnsureMatches(ExpectedVersion? expected, long currentVersion)
    {
        if (expected is not null && !expected.AnyOf.Contains(currentVersion)) throw new PreconditionFailedException();
    }
}
