using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Convor.Application.Common.Serialization;

namespace Convor.Application.Common.Paging;

/// <summary>
/// Opaque keyset cursors. A cursor is the base64url of a small JSON object holding a format
/// version, the list it belongs to, a hash of the filters it was issued under, and the sort
/// key of the last row of the page. The next page starts strictly after that key, so rows
/// added, removed or moved meanwhile never make a page skip or repeat a row that stayed put.
/// A cursor of another list, of another filter set, or that does not decode is refused with
/// 400 <c>validation_error</c> on <c>cursor</c>; it is never reinterpreted.
/// </summary>
public static class PageCursor
{
    public const string Field = "cursor";
    public const string MalformedMessage = "is not a valid cursor";
    public const string ForeignMessage = "was issued for a different list or filter set";

    /// <summary>Longer input is refused before decoding: a real cursor is about 200 characters.</summary>
    public const int MaxLength = 512;

    private const int FormatVersion = 1;

    private sealed record Payload(
        [property: JsonPropertyName("v")] int Version,
        [property: JsonPropertyName("l")] string List,
        [property: JsonPropertyName("f")] string Filters,
        [property: JsonPropertyName("k")] string?[] Key);

    public static string Encode(string list, string filterHash, params string?[] key) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Payload(FormatVersion, list, filterHash, key)));

    /// <summary>
    /// The sort key of <paramref name="cursor"/>, or null with the reason in <paramref name="error"/>
    /// when it is malformed or belongs to another list or filter set.
    /// </summary>
    public static string?[]? TryDecode(string cursor, string list, string filterHash, int keyLength, out string? error)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        error = MalformedMessage;
        if (cursor.Length == 0 || cursor.Length > MaxLength) return null;
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(cursor));
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
        if (payload is not { Version: FormatVersion, List: not null, Filters: not null, Key: not null }) return null;
        if (payload.List != list || payload.Filters != filterHash)
        {
            error = ForeignMessage;
            return null;
        }
        if (payload.Key.Length != keyLength) return null;
        error = null;
        return payload.Key;
    }

    /// <summary>A short, stable fingerprint of the filters a list was asked with.</summary>
    public static string HashFilters(params string?[] filters)
    {
        var canonical = string.Join('\u001f', filters.Select(f => f ?? "\u2400"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).AsSpan(0, 8));
    }

    /// <summary>Round-trip text of a stored timestamp (UTC, millisecond precision).</summary>
    public static string FormatTimestamp(DateTimeOffset value) => WireJson.FormatTimestamp(value);

    public static bool TryParseTimestamp(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, WireJson.TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static bool TryParseGuid(string? text, out Guid value) => Guid.TryParseExact(text, "D", out value);

    public static bool TryParseLong(string? text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static string FormatLong(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The <c>limit</c> rule every list shares: 1-100, 25 when absent.</summary>
public static class PageLimit
{
    public const int Min = 1;
    public const int Max = 100;
    public const int Default = 25;
    public const string Message = "must be between 1 and 100";
}
