using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Convor.Application.Common.Serialization;

/// <summary>
/// The JSON rules of the wire contract, in one place for the API, the activity log and the
/// tests: camelCase names, camelCase enum values, nulls written, timestamps as UTC with
/// exactly three fractional digits and <c>Z</c>.
/// </summary>
public static class WireJson
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the wire rules to an options instance (MVC's, for example).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        options.MaxDepth = 32;
        // Responses are application/json, never HTML: non-ASCII text (names, metadata) is
        // written as UTF-8 rather than \uXXXX escapes, so metadata comes back as sent.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new WireEnums.Converter());
        // Never used to convert: the converter above takes every enum first. It stays so that
        // schema generators (NSwag), which look for it, describe enums as strings.
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new TimestampConverter());
        return options;
    }

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes <c>2026-06-23T08:58:00.000Z</c>. Reads RFC 3339 only: a timestamp without an
    /// offset is ambiguous and is rejected rather than guessed.
    /// </summary>
    public sealed class TimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException("must be an RFC 3339 timestamp string");
            var text = reader.GetString()!;
            var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');
            if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var value))
                throw new JsonException("must be an RFC 3339 timestamp with an offset, e.g. 2026-06-23T08:58:00.000Z");
            return value.ToUniversalTime();
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatTimestamp(value));
    }
}
