using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Convor.Bench.Reference;

/// <summary>
/// The filters the reference's list understands, and the list's cursor filter hash exactly as
/// the API computes it (ConversationListCursor.FilterHash over PageCursor.HashFilters: the
/// filters' stored enum names, absent ones as U+2400, joined by U+001F, SHA-256, first 8
/// bytes in lower-case hex), so its <c>nextCursor</c> is the API's byte for byte.
/// </summary>
internal static class ConversationList
{
    public const int DefaultLimit = 25;

    private static readonly ConcurrentDictionary<(string?, bool), string> Statements = new();
    private static readonly ConcurrentDictionary<(string?, string?), string> Hashes = new();

    public static bool TryStatus(string? wire, out string? stored)
    {
        stored = wire switch { "open" => "Open", "snoozed" => "Snoozed", "closed" => "Closed", _ => null };
        return stored is not null;
    }

    public static bool TryPriority(string? wire, out string? stored)
    {
        stored = wire switch { "low" => "Low", "normal" => "Normal", "high" => "High", "urgent" => "Urgent", _ => null };
        return stored is not null;
    }

    public static string Sql(string? status, bool byPriority) =>
        Statements.GetOrAdd((status, byPriority), key => ConversationSql.List(key.Item1, key.Item2));

    public static string FilterHash(string? status, string? priority) =>
        Hashes.GetOrAdd((status, priority), key =>
        {
            // status, priority, channel, assignedOperatorId, unassigned, search words (joined: "" when none)
            string?[] filters = [key.Item1, key.Item2, null, null, null, ""];
            var canonical = string.Join('\u001f', filters.Select(f => f ?? "\u2400"));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).AsSpan(0, 8));
        });
}
