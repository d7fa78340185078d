using System.Globalization;
using System.Text;

namespace Convor.Domain.Conversations;

/// <summary>
/// The normalized search text of a conversation: lower-cased, accents folded, the distinct
/// tokens of the metadata's string values in first-seen order, joined by single spaces.
/// Queries are normalized the same way, so "Zoë" finds "zoe".
/// </summary>
public static class SearchText
{
    public static string FromMetadata(ConversationMetadata metadata) => Join(metadata.StringValues().SelectMany(Tokenize));

    public static string Join(IEnumerable<string> tokens) => string.Join(' ', tokens.Distinct(StringComparer.Ordinal));

    /// <summary>Splits text into lower-case, accent-free runs of letters and digits.</summary>
    public static IEnumerable<string> Tokenize(string text)
    {
        var folded = Fold(text);
        var token = new StringBuilder();
        foreach (var ch in folded)
        {
            if (char.IsLetterOrDigit(ch)) { token.Append(ch); continue; }
            if (token.Length > 0) { yield return token.ToString(); token.Clear(); }
        }
        if (token.Length > 0) yield return token.ToString();
    }

    /// <summary>
    /// Drops non-spacing marks, maps each accented letter to its base letter, lower-cases. Uses
    /// <see cref="AccentFolding"/> rather than string normalization, which does nothing in a
    /// process without ICU (invariant globalization): the result must not depend on the process.
    /// </summary>
    private static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) builder.Append(AccentFolding.Fold(ch));
        }
        return builder.ToString().ToLowerInvariant();
    }
}
