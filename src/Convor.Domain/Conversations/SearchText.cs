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

    private static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) builder.Append(ch);
        }
        return builder.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant();
    }
}
