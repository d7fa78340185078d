using System.Globalization;
using Convor.Application.Common;

namespace Convor.Api.Controllers;

/// <summary>
/// The conversation version as an HTTP entity tag (<c>"&lt;version&gt;"</c>, always strong) and
/// <c>If-Match</c> read into the <see cref="ExpectedVersion"/> a command carries.
/// </summary>
public static class EntityTag
{
    public static string Of(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// <c>If-Match</c> uses the strong comparison (RFC 9110 section 13.1.1): absent or <c>*</c>
    /// is no expectation (null); otherwise the strong tags this API could have sent are the
    /// accepted versions. A weak tag (<c>W/"3"</c>) never matches, and neither does anything
    /// malformed: when nothing is left, no version is accepted and the command is 412.
    /// </summary>
    public static ExpectedVersion? ParseIfMatch(string? ifMatch)
    {
        if (ifMatch is null) return null;
        var versions = new List<long>();
        foreach (var tag in ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (tag == "*") return null;
            // Strong comparison is character for character, so only the exact form Of writes counts ("012" is not "12").
            if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
                && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && Of(version) == tag)
            {
                versions.Add(version);
            }
        }
        return new ExpectedVersion(versions);
    }
}
