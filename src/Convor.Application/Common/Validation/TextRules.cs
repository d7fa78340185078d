using System.Text.Json;
using FluentValidation;

namespace Convor.Application.Common.Validation;

/// <summary>
/// What text the API accepts. Names and emails are shown to people and written to logs and
/// exports: no control characters (C0, DEL, C1), no lone surrogates. Metadata is kept as sent,
/// control characters included (JSON escapes them), but it must be valid Unicode: text that
/// is not cannot be stored or sent back as JSON.
/// </summary>
public static class TextRules
{
    public const string ControlCharactersMessage = "must not contain control characters";
    public const string InvalidUnicodeMessage = "must contain only valid Unicode text";

    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsPlainText).WithMessage(ControlCharactersMessage);

    public const string MessageControlCharactersMessage = "must not contain control characters other than newline and tab";

    /// <summary>Message bodies are written over several lines: newline and tab are the only control characters they keep.</summary>
    public static IRuleBuilderOptions<T, string?> NoControlCharactersButNewlineAndTab<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => IsPlainText(value?.Replace('\n', ' ').Replace('\t', ' '))).WithMessage(MessageControlCharactersMessage);

    /// <summary>True for null and for text without control characters or lone surrogates.</summary>
    public static bool IsPlainText(string? value) =>
        value is null
        || (value.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') < 0
            && value.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') < 0
            && IsWellFormedUtf16(value));

    public static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(value[i])) return false;
        }
        return true;
    }

    /// <summary>Every string and property name in <paramref name="element"/> decodes to well-formed Unicode.</summary>
    public static bool IsValidUnicode(JsonElement element)
    {
        try
        {
            return IsValid(element);
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 bytes or an escaped lone surrogate: the reader refuses to decode it.
            return false;
        }
    }

    private static bool IsValid(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsWellFormedUtf16(element.GetString()!);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    if (!IsWellFormedUtf16(property.Name) || !IsValid(property.Value)) return false;
                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (!IsValid(item)) return false;
                return true;
            default:
                return true;
        }
    }
}
