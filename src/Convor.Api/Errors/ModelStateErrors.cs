using Convor.Domain.Common;
using Convor.Api.Http;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Convor.Application.Common.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Convor.Api.Errors;

/// <summary>
/// Turns MVC model-binding failures (bad UUID in the path, malformed JSON, a number where a
/// string belongs, an unknown enum value) into <c>validation_error</c> details keyed by the
/// field as the client wrote it, with a message that says what the field must be. The
/// framework's own messages are never passed on: they name .NET types.
/// </summary>
public static class ModelStateErrors
{
    public const string BodyField = "body";
    private const string NotValid = "is not valid";
    public const string UnknownField = "is not a known field";

    /// <summary>
    /// How System.Text.Json words a member the target type does not have (under
    /// <c>JsonUnmappedMemberHandling.Disallow</c>); pinned by ModelStateErrorsTests.
    /// </summary>
    internal const string UnmappedMemberText = "could not be mapped to any .NET member";

    /// <summary>How System.Text.Json words a repeated member; pinned by ModelStateErrorsTests.</summary>
    internal const string DuplicateMemberText = "Duplicate";

    /// <summary>MVC's message for a required body that is missing; pinned by ModelStateErrorsTests.</summary>
    internal const string EmptyBodyText = "non-empty request body";

    /// <summary>The type name of the reader's syntax error (internal to System.Text.Json); pinned by ModelStateErrorsTests.</summary>
    internal const string ReaderExceptionTypeName = "JsonReaderException";
    private const string Required = "is required";

    public static IActionResult ToEnvelopeResult(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ModelState.Values.SelectMany(v => v.Errors).Any(e => e.Exception is UnsupportedContentTypeException)
            && HasBody(context.HttpContext.Request))
        {
            // A body was sent, and it is not JSON: that is the media type's fault, not a field's.
            return Envelope(context, ErrorResponses.ForStatus(StatusCodes.Status415UnsupportedMediaType));
        }

        var details = Describe(context.ModelState, context.ActionDescriptor);
        return Envelope(context, ErrorResponses.Validation(
            details.ToDictionary(d => d.Key, d => (object)d.Value.ToArray(), StringComparer.Ordinal)));
    }

    private static ObjectResult Envelope(ActionContext context, MappedError error) =>
        new(ErrorResponses.Envelope(context.HttpContext, error))
        {
            StatusCode = error.Status,
            ContentTypes = { ErrorResponses.JsonContentType },
        };

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    internal static Dictionary<string, List<string>> Describe(ModelStateDictionary modelState, ActionDescriptor action)
    {
        var details = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var bodyParameter = action.Parameters.FirstOrDefault(p => p.BindingInfo?.BindingSource == BindingSource.Body);

        foreach (var (key, entry) in modelState)
        {
            foreach (var error in entry.Errors)
            {
                var (field, message) = DescribeOne(key, error, action, bodyParameter);
                if (!details.TryGetValue(field, out var messages)) details[field] = messages = [];
                if (!messages.Contains(message)) messages.Add(message);
            }
        }

        // A field the reader rejected also leaves a generic error on the body parameter as a
        // whole; next to the field's own message it says nothing more, so it is dropped.
        if (details.Count > 1 && details.TryGetValue(BodyField, out var bodyMessages)
            && bodyMessages.All(m => m is NotValid or Required))
        {
            details.Remove(BodyField);
        }
        return details;
    }


    private static (string Field, string Message) DescribeOne(string key, ModelError error, ActionDescriptor action, ParameterDescriptor? bodyParameter)
    {
        var json = FindJsonException(error.Exception);
        if (json is not null)
        {
            // Syntax errors are raised by the reader and wrapped with the path by the serializer.
            if (json.InnerException?.GetType().Name == ReaderExceptionTypeName) return (BodyField, "is not valid JSON");
            var path = json.Path ?? key;
            var field = FieldFromPath(path);
            if (json.Message.StartsWith(DuplicateMemberText, StringComparison.Ordinal))
                return (field.Length == 0 ? BodyField : field, "must appear only once");
            if (json.Message.Contains(UnmappedMemberText, StringComparison.Ordinal))
                return (field.Length == 0 ? BodyField : field, UnknownField);
            if (field.Length == 0) return (BodyField, "must be a JSON object");
            return (field, bodyParameter is null ? NotValid : MessageFor(TypeAtPath(bodyParameter.ParameterType, path)));
        }

        if (error.Exception is UnsupportedContentTypeException) return (BodyField, Required);

        var parameter = action.Parameters.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
        if (parameter is not null && parameter != bodyParameter)
            return (JsonNamingPolicy.CamelCase.ConvertName(parameter.BindingInfo?.BinderModelName ?? parameter.Name), MessageFor(parameter.ParameterType));

        if (key.Length == 0 || (bodyParameter is not null && string.Equals(key, bodyParameter.Name, StringComparison.OrdinalIgnoreCase)))
            return (BodyField, error.ErrorMessage.Contains(EmptyBodyText, StringComparison.Ordinal) ? Required : NotValid);

        var fieldName = FieldFromPath(key);
        return (fieldName.Length == 0 ? BodyField : fieldName, NotValid);
    }

    private static JsonException? FindJsonException(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
            if (current is JsonException json) return json;
        return null;
    }

    /// <summary><c>$.metadata.tags[0]</c> → <c>metadata.tags[0]</c>; <c>$['a b']</c> → <c>a b</c>.</summary>
    internal static string FieldFromPath(string path)
    {
        var segments = Segments(path);
        return string.Join('.', segments);
    }

    private static List<string> Segments(string path)
    {
        var segments = new List<string>();
        var p = path.StartsWith('$') ? path[1..] : path;
        var i = 0;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var end = p.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = p.Length;
                segments.Add(p[(i + 1)..end]);
                i = end;
            }
            else if (p[i] == '[')
            {
                var end = p.IndexOf(']', i);
                if (end < 0) break;
                var inner = p[(i + 1)..end];
                if (inner.StartsWith('\'')) segments.Add(inner.Trim('\''));
                else if (segments.Count > 0) segments[^1] += "[" + inner + "]";
                i = end + 1;
            }
            else
            {
                var end = p.IndexOfAny(['.', '['], i);
                if (end < 0) end = p.Length;
                segments.Add(p[i..end]);
                i = end;
            }
        }
        return segments;
    }

    /// <summary>Walks the body type along the JSON path to the property the client got wrong.</summary>
    internal static Type TypeAtPath(Type root, string path)
    {
        var type = root;
        foreach (var segment in Segments(path))
        {
            var name = segment.Contains('[', StringComparison.Ordinal) ? segment[..segment.IndexOf('[', StringComparison.Ordinal)] : segment;
            var property = Unwrap(type).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => string.Equals(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null) return type;
            type = property.PropertyType;
            if (Unwrap(type) == typeof(JsonElement)) return type;
        }
        return type;
    }

    // A list filter's message is its values' message: `status` "must be one of: …".
    private static Type Unwrap(Type type) => type.IsArray ? Unwrap(type.GetElementType()!) : Nullable.GetUnderlyingType(type) ?? type;

    internal static string MessageFor(Type type)
    {
        var t = Unwrap(type);
        if (t == typeof(Guid)) return "must be a UUID";
        if (t.IsEnum) return WireEnums.MustBeOneOf(t);
        if (t == typeof(bool)) return "must be true or false";
        if (t == typeof(string)) return "must be a string";
        if (t == typeof(DateTimeOffset) || t == typeof(DateTime)) return "must be an RFC 3339 timestamp with an offset, e.g. 2026-06-23T08:58:00.000Z";
        if (t == typeof(int) || t == typeof(long)) return "must be an integer";
        if (t == typeof(JsonElement)) return "must be a JSON object";
        if (t.IsClass) return "must be a JSON object";
        return NotValid;
    }
}
