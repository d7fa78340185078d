using System.Globalization;
using System.Text;

namespace Convor.Domain.Conversations;

/// <summary>
/// The normalized search text of a conversation: lower-cased, accents folded, the distinct
/// tokens of the metadata's string values and then of the message bodies, in first-seen
/// order, joined by single spaces, at most <see cref="MaxLength"/> characters (whole tokens,
/// the start kept). Queries are normalized the same way, so "Zoë" finds "zoe".
/// </summary>
public static class SearchText
{
    public const int MaxLength = 8_192;

    public static string FromMetadata(ConversationMetadata metadata) => Compose(metadata, string.Empty);

    /// <summary>The search text of the metadata followed by the (already normalized) text of the messages.</summary>
    public static string Compose(ConversationMetadata metadata, string messageText)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Join(metadata.StringValues().SelectMany(Tokenize).Concat(Split(messageText)));
    }

    /// <summary>
    /// The normalized text of a conversation's messages with one more body at its end. Built a
    /// message at a time, so that adding one never reads the others.
    /// </summary>
    public static string AppendMessage(string messageText, string body) => Join(Split(messageText).Concat(Tokenize(body)));

    /// <summary>Distinct tokens, first-seen order, single spaces; stops before the first token that would pass <see cref="MaxLength"/>.</summary>
    public static string Join(IEnumerable<string> tokens)
    {
        var text = new StringBuilder();
        foreach (var token in tokens.Distinct(StringComparer.Ordinal))
        {
            var length = text.Length == 0 ? token.Length : text.Length + 1 + token.Length;
            if (length > MaxLength) break;
            if (text.Length > 0) text.Append(' ');
            text.Append(token);
        }
        return text.ToString();
    }

    private static string[] Split(string normalized) => normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);

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
