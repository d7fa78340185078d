using System.Globalization;
using System.Text.Json;

namespace Convor.Bench.Reference;

/// <summary>The API's wire format, written straight to the response pipe.</summary>
internal static class WireWriter
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const string JsonContentType = "application/json; charset=utf-8";
    private const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>The caller's well-formed X-Correlation-Id, else a new one (as the API does).</summary>
    public static void SetCorrelationId(HttpContext http)
    {
        var presented = http.Request.Headers[CorrelationHeader];
        var id = presented.Count == 1 && IsWellFormed(presented[0]) ? presented[0]! : Guid.CreateVersion7().ToString("D");
        http.TraceIdentifier = id;
        http.Response.Headers[CorrelationHeader] = id;
    }

    public static async Task ConversationAsync(HttpContext http, ConversationRow? row)
    {
        switch (row?.Outcome)
        {
            case null:
                await ErrorAsync(http, 404, "conversation_not_found", "Conversation was not found.");
                return;
            case Outcome.Closed:
                await ErrorAsync(http, 409, "conversation_closed", "Conversation is closed.");
                return;
            case Outcome.InvalidOperator:
                await ErrorAsync(http, 422, "invalid_operator", "Operator was not found in this organization.");
                return;
            case Outcome.OperatorInactive:
                await ErrorAsync(http, 422, "operator_inactive", "Operator is not active and cannot be assigned.");
                return;
        }

        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = JsonContentType;
        response.Headers.ETag = "\"" + row.Version.ToString(CultureInfo.InvariantCulture) + "\"";
        await using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            WriteConversation(json, row);
        }
        await response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    /// <summary>
    /// A list page: <c>{"data":[…],"nextCursor":…}</c>. <paramref name="rows"/> holds up to
    /// limit + 1 rows; the extra one only says there is a next page, whose cursor is the sort
    /// key of the last row shown (as the API's ConversationListCursor.Encode).
    /// </summary>
    public static async Task PageAsync(HttpContext http, List<ConversationRow> rows, int limit, string filterHash)
    {
        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = JsonContentType;
        await using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteStartArray("data"u8);
            var shown = Math.Min(limit, rows.Count);
            for (var i = 0; i < shown; i++) WriteConversation(json, rows[i]);
            json.WriteEndArray();
            if (rows.Count > limit) json.WriteString("nextCursor"u8, Cursor(rows[limit - 1], filterHash));
            else json.WriteNull("nextCursor"u8);
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    /// <summary>PageCursor.Encode: base64url of <c>{"v":1,"l":"conversations","f":hash,"k":[lastMessageAt|null,createdAt,id]}</c>.</summary>
    private static string Cursor(ConversationRow last, string filterHash)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v"u8, 1);
            json.WriteString("l"u8, "conversations"u8);
            json.WriteString("f"u8, filterHash);
            json.WriteStartArray("k"u8);
            if (last.LastMessageAt is { } lastMessageAt) json.WriteStringValue(Format(lastMessageAt));
            else json.WriteNullValue();
            json.WriteStringValue(Format(last.CreatedAt));
            json.WriteStringValue(last.Id.ToString("D"));
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Buffers.Text.Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    private static string Format(DateTime instant) => instant.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private static void WriteConversation(Utf8JsonWriter json, ConversationRow row)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, row.Id);
        json.WriteString("orgId"u8, row.OrganizationId);
        json.WriteString("visitorId"u8, row.VisitorId);
        if (row.AssignedOperatorId is { } operatorId) json.WriteString("assignedOperatorId"u8, operatorId);
        else json.WriteNull("assignedOperatorId"u8);
        json.WriteString("status"u8, WireName(row.Status));
        json.WriteString("priority"u8, WireName(row.Priority));
        if (row.ResolvedBy is { } resolvedBy) json.WriteString("resolvedBy"u8, WireName(resolvedBy));
        else json.WriteNull("resolvedBy"u8);
        json.WriteString("channel"u8, WireName(row.Channel));
        json.WriteBoolean("aiActive"u8, row.AiActive);
        WriteTimestamp(json, "snoozedUntil"u8, row.SnoozedUntil);
        WriteTimestamp(json, "lastMessageAt"u8, row.LastMessageAt);
        json.WritePropertyName("metadata"u8);
        // Stored as the compact JSON text it was sent as; written back as is.
        json.WriteRawValue(row.Metadata, skipInputValidation: true);
        WriteTimestamp(json, "createdAt"u8, row.CreatedAt);
        WriteTimestamp(json, "updatedAt"u8, row.UpdatedAt);
        json.WriteString("searchVector"u8, row.SearchVector);
        json.WriteEndObject();
    }

    public static async Task ErrorAsync(HttpContext http, int status, string code, string message)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        await using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteStartObject("error"u8);
            json.WriteString("code"u8, code);
            json.WriteString("message"u8, message);
            json.WriteStartObject("details"u8);
            json.WriteEndObject();
            json.WriteString("correlationId"u8, http.TraceIdentifier);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    private static void WriteTimestamp(Utf8JsonWriter json, ReadOnlySpan<byte> name, DateTime? value)
    {
        if (value is not { } instant)
        {
            json.WriteNull(name);
            return;
        }
        Span<byte> text = stackalloc byte[32];
        instant.ToUniversalTime().TryFormat(text, out var written, TimestampFormat, CultureInfo.InvariantCulture);
        json.WriteString(name, text[..written]);
    }

    /// <summary>Stored enum names are PascalCase single words; the wire has them in camelCase.</summary>
    private static string WireName(string stored) => stored switch
    {
        "Open" => "open",
        "Snoozed" => "snoozed",
        "Closed" => "closed",
        "Low" => "low",
        "Normal" => "normal",
        "High" => "high",
        "Urgent" => "urgent",
        "Operator" => "operator",
        "Ai" => "ai",
        "Visitor" => "visitor",
        "System" => "system",
        "Widget" => "widget",
        "Email" => "email",
        "Api" => "api",
        _ => stored.ToLowerInvariant(),
    };

    private static bool IsWellFormed(string? value) =>
        value is { Length: >= 1 and <= 64 } && value.AsSpan().IndexOfAnyExcept(CorrelationAlphabet) < 0;

    private static readonly System.Buffers.SearchValues<char> CorrelationAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
}
