using Convor.Application.Common.Exceptions;

namespace Convor.Application.Common;

/// <summary>HTTP If-Match semantics over the conversation version (the ETag is <c>"&lt;version&gt;"</c>).</summary>
public static class Precondition
{
    public static string ETagOf(long version) => $"\"{version}\"";

    /// <summary>
    /// Passes when If-Match is absent, <c>*</c>, or lists the current ETag (weak or strong);
    /// anything else, malformed values included, is 412.
    /// </summary>
    public static void EnsureMatches(string? ifMatch, long currentVersion)
    {
        if (ifMatch is null) return;
        var current = ETagOf(currentVersion);
        foreach (var raw in ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = raw.StartsWith("W/", StringComparison.Ordinal) ? raw[2..] : raw;
            if (tag == "*" || tag == current) return;
        }
        throw new PreconditionFailedException();
    }
}
