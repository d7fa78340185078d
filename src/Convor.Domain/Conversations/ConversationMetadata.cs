using System.Text.Json;

namespace Convor.Domain.Conversations;

/// <summary>
/// The free-form JSON object a client attaches to a conversation, kept as sent (compact
/// text, member order preserved). At most 16 KiB serialized.
/// </summary>
public sealed class ConversationMetadata : IEquatable<ConversationMetadata>
{
    public const int MaxSerializedBytes = 16 * 1024;

    public static readonly ConversationMetadata Empty = new("{}");

    private ConversationMetadata(string json) => Json = json;

    /// <summary>Compact JSON text of the object.</summary>
    public string Json { get; }

    /// <summary>Accepts only a JSON object within the size limit.</summary>
    public static ConversationMetadata FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement);
    }

    public static ConversationMetadata From(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new ArgumentException("Metadata must be a JSON object.", nameof(element));
        var compact = Compact(element);
        if (!FitsLimit(compact))
            throw new ArgumentException($"Metadata is larger than {MaxSerializedBytes} bytes.", nameof(element));
        return new ConversationMetadata(compact);
    }

    /// <summary>Whether a JSON value, written compactly, fits the 16 KiB limit (validators ask this too).</summary>
    public static bool FitsLimit(JsonElement element) => FitsLimit(Compact(element));

    private static bool FitsLimit(string compact) => System.Text.Encoding.UTF8.GetByteCount(compact) <= MaxSerializedBytes;

    // Non-ASCII text stays as the client wrote it (UTF-8), not as \uXXXX escapes: "kept as
    // sent", and "ë" counts as its 2 UTF-8 bytes against the limit, not as a 6-byte escape.
    private static readonly JsonSerializerOptions CompactOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element, CompactOptions);

    /// <summary>Every string value anywhere in the object (nested objects and arrays included).</summary>
    public IEnumerable<string> StringValues()
    {
        using var document = JsonDocument.Parse(Json);
        var values = new List<string>();
        Collect(document.RootElement, values);
        return values;
    }

    private static void Collect(JsonElement element, List<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                into.Add(element.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Collect(property.Value, into);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, into);
                break;
        }
    }

    public bool Equals(ConversationMetadata? other) => other is not null && string.Equals(Json, other.Json, StringComparison.Ordinal);
    public override bool Equals(object? obj) => Equals(obj as ConversationMetadata);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);
    public override string ToString() => Json;
}
