using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Convor.Application.Common.Serialization;

/// <summary>
/// Enum values on the wire, in one place for JSON bodies, query strings and messages: exactly
/// one member's camelCase name (case ignored when reading). Nothing else is a value: not a
/// number, and not a comma-joined list, which System.Text.Json's own converter would split
/// and OR together even for enums that are not flags (<c>"normal, high"</c> read as
/// <c>urgent</c>).
/// </summary>
public static class WireEnums
{
    private static readonly ConcurrentDictionary<Type, (string[] Names, Array Values)> Members = new();

    /// <summary>The wire names of <paramref name="enumType"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type enumType) => MembersOf(enumType).Names;

    /// <summary>The one validation message for an enum field: <c>must be one of: low, normal, high, urgent</c>.</summary>
    public static string MustBeOneOf(Type enumType) => "must be one of: " + string.Join(", ", Names(enumType));

    public static string MustBeOneOf<TEnum>() where TEnum : struct, Enum => MustBeOneOf(typeof(TEnum));

    /// <summary>Reads exactly one member's wire name; anything else is false.</summary>
    public static bool TryParse(Type enumType, string? text, out object? value)
    {
        var (names, values) = MembersOf(enumType);
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], text, StringComparison.OrdinalIgnoreCase))
            {
                value = values.GetValue(i);
                return true;
            }
        }
        value = null;
        return false;
    }

    public static string NameOf(Type enumType, object value) =>
        MembersOf(enumType).Names[Array.IndexOf(MembersOf(enumType).Values, value)];

    private static (string[] Names, Array Values) MembersOf(Type enumType) => Members.GetOrAdd(enumType, type =>
    {
        if (!type.IsEnum) throw new ArgumentException($"{type.Name} is not an enum.", nameof(enumType));
        return (Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName).ToArray(), Enum.GetValues(type));
    });

    /// <summary>The JSON converter for every enum of the wire (see <see cref="WireJson"/>).</summary>
    public sealed class Converter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Strict<>).MakeGenericType(typeToConvert))!;

        private sealed class Strict<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
        {
            public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                // The message is never shown: ModelStateErrors writes MustBeOneOf for the field.
                if (reader.TokenType != JsonTokenType.String || !TryParse(typeof(TEnum), reader.GetString(), out var value))
                    throw new JsonException(MustBeOneOf<TEnum>());
                return (TEnum)value!;
            }

            public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
                writer.WriteStringValue(NameOf(typeof(TEnum), value));
        }
    }
}
