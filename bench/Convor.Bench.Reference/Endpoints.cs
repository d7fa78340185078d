using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;

namespace Convor.Bench.Reference;

internal sealed record AssignBody(Guid? OperatorId);

internal sealed record CloseBody(string? ResolvedBy);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AssignBody))]
[JsonSerializable(typeof(CloseBody))]
internal sealed partial class BodyJson : JsonSerializerContext;

/// <summary>
/// The routes of the API's conversation commands, as plain request delegates: check the key,
/// parse the path and body, run the one statement, write the same 15-field JSON (and ETag,
/// X-Correlation-Id) the API writes. Nothing else runs per request.
/// </summary>
internal sealed class Endpoints(ConversationStore store, ApiKeyCache keys, TimeProvider clock)
{
    public async Task AssignAsync(HttpContext http)
    {
        var caller = await AuthorizeAsync(http, write: true);
        if (caller is null) return;
        if (!TryConversationId(http, out var id)) { await WireWriter.ErrorAsync(http, 400, "validation_error", "The request is not valid."); return; }
        if (!http.Request.HasJsonContentType()) { await WireWriter.ErrorAsync(http, 415, "unsupported_media_type", "The body must be JSON."); return; }
        AssignBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, BodyJson.Default.AssignBody, http.RequestAborted);
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body?.OperatorId is not { } operatorId || operatorId == Guid.Empty)
        {
            await WireWriter.ErrorAsync(http, 400, "validation_error", "The request is not valid.");
            return;
        }
        await WireWriter.ConversationAsync(http, await store.AssignAsync(caller, id, operatorId, Now(), http.RequestAborted));
    }

    public async Task UnassignAsync(HttpContext http)
    {
        var caller = await AuthorizeAsync(http, write: true);
        if (caller is null) return;
        if (!TryConversationId(http, out var id)) { await WireWriter.ErrorAsync(http, 400, "validation_error", "The request is not valid."); return; }
        await WireWriter.ConversationAsync(http, await store.UnassignAsync(caller, id, Now(), http.RequestAborted));
    }

    public async Task CloseAsync(HttpContext http)
    {
        var caller = await AuthorizeAsync(http, write: true);
        if (caller is null) return;
        if (!TryConversationId(http, out var id)) { await WireWriter.ErrorAsync(http, 400, "validation_error", "The request is not valid."); return; }
        string? resolvedBy = null;
        // The body is optional: a bare POST closes with the default resolver.
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true && http.Request.ContentLength != 0)
        {
            CloseBody? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync(http.Request.Body, BodyJson.Default.CloseBody, http.RequestAborted);
            }
            catch (JsonException)
            {
                body = null;
            }
            resolvedBy = body?.ResolvedBy switch
            {
                null => null,
                "operator" => "Operator",
                "ai" => "Ai",
                "visitor" => "Visitor",
                "system" => "System",
                _ => "",
            };
            if (body is null || resolvedBy == "")
            {
                await WireWriter.ErrorAsync(http, 400, "validation_error", "The request is not valid.");
                return;
            }
        }
        await WireWriter.ConversationAsync(http, await store.CloseAsync(caller, id, resolvedBy, Now(), http.RequestAborted));
    }

    public async Task ReopenAsync(HttpContext http)
    {
        var caller = await AuthorizeAsync(http, write: true);
        if (caller is null) return;
        if (!TryConversationId(http, out var id)) { await WireWriter.ErrorAsync(http, 400, "validation_error", "The request is not valid."); return; }
        await WireWriter.ConversationAsync(http, await store.ReopenAsync(caller, id, Now(), http.RequestAborted));
    }

    public async Task GetAsync(HttpContext http)
    {
        var caller = await AuthorizeAsync(http, write: false);
        if (caller is null) return;
        if (!TryConversationId(http, out var id)) { await WireWriter.ErrorAsync(http, 400, "validation_error", "The request is not valid."); return; }
        await WireWriter.ConversationAsync(http, await store.GetAsync(caller, id, Now(), http.RequestAborted));
    }

    /// <summary>
    /// <c>GET /api/conversations</c>, first pages only: <c>status</c> and <c>priority</c> (one
    /// value each) and <c>limit</c>; anything else (a cursor, other filters, several values) is
    /// 400 here, as the mix never sends it. Same JSON, order and <c>nextCursor</c> as the API.
    /// </summary>
    public async Task ListAsync(HttpContext http)
    {
        var caller = await AuthorizeAsync(http, write: false);
        if (caller is null) return;
        var query = http.Request.Query;
        string? status = null, priority = null;
        var limit = ConversationList.DefaultLimit;
        var valid = true;
        foreach (var (name, values) in query)
        {
            valid &= values.Count == 1 && name switch
            {
                "status" => ConversationList.TryStatus(values[0], out status),
                "priority" => ConversationList.TryPriority(values[0], out priority),
                "limit" => int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= 100,
                _ => false,
            };
        }
        if (!valid) { await WireWriter.ErrorAsync(http, 400, "validation_error", "The request is not valid."); return; }
        var rows = await store.ListAsync(caller, ConversationList.Sql(status, priority is not null), priority, limit + 1, Now(), http.RequestAborted);
        await WireWriter.PageAsync(http, rows, limit, ConversationList.FilterHash(status, priority));
    }

    private async ValueTask<CallerKey?> AuthorizeAsync(HttpContext http, bool write)
    {
        WireWriter.SetCorrelationId(http);
        var caller = await keys.AuthenticateAsync(http.Request.Headers.Authorization, http.RequestAborted);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await WireWriter.ErrorAsync(http, 401, "unauthorized", "A valid API key is required: send 'Authorization: Bearer <api key>'.");
            return null;
        }
        if (write ? !caller.CanWrite : !caller.CanRead)
        {
            await WireWriter.ErrorAsync(http, 403, "forbidden", "The API key does not have the scope this operation needs.");
            return null;
        }
        return caller;
    }

    private static bool TryConversationId(HttpContext http, out Guid id) =>
        Guid.TryParse(http.Request.RouteValues["id"] as string, CultureInfo.InvariantCulture, out id);

    /// <summary>UTC, truncated to milliseconds: the precision the API stores and writes.</summary>
    private DateTime Now()
    {
        var ticks = clock.GetUtcNow().UtcTicks;
        return new DateTime(ticks - (ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }
}
