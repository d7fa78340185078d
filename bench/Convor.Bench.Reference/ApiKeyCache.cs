using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Convor.Bench.Reference;

/// <summary>The caller behind a bearer key.</summary>
internal sealed record CallerKey(Guid KeyId, Guid OrganizationId, bool CanRead, bool CanWrite)
{
    /// <summary>What the activity log names as the actor, as the API does.</summary>
    public string Actor { get; } = "apiKey:" + KeyId.ToString("D");
}

/// <summary>
/// The same key check as the API: SHA-256 of the presented secret, looked up by hash in
/// <c>api_keys</c>, hits and misses both kept for a few seconds (the API's
/// <c>Auth:KeyCacheMilliseconds</c>, 500 by default), so a revocation bites within that window.
/// </summary>
internal sealed class ApiKeyCache(NpgsqlDataSource dataSource, TimeProvider clock, TimeSpan lifetime)
{
    private const string Prefix = "cvr_";
    private const int SecretLength = 47; // "cvr_" + 43 base64url characters
    private const int MaxEntries = 10_000;

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private sealed record Entry(CallerKey? Key, long ExpiresAt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long _lifetimeTicks = (long)(lifetime.TotalSeconds * clock.TimestampFrequency);

    public async ValueTask<CallerKey?> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        const string bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return null;
        var secret = authorization.AsSpan(bearer.Length).Trim();
        if (secret.Length != SecretLength || !secret.StartsWith(Prefix, StringComparison.Ordinal)
            || secret[Prefix.Length..].IndexOfAnyExcept(Base64UrlAlphabet) >= 0) return null;

        var hash = Hash(secret);
        var now = clock.GetTimestamp();
        if (_entries.TryGetValue(hash, out var cached) && cached.ExpiresAt > now) return cached.Key;

        var key = await LookUpAsync(hash, cancellationToken);
        // Misses are cached too; a flood of invented keys only ever costs this much memory.
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[hash] = new Entry(key, now + _lifetimeTicks);
        return key;
    }

    private async Task<CallerKey?> LookUpAsync(string hash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ConversationSql.KeyByHash);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash, NpgsqlDbType = NpgsqlDbType.Varchar });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || !reader.IsDBNull(3)) return null;
        var scopes = reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new CallerKey(reader.GetGuid(0), reader.GetGuid(1),
            CanRead: scopes.Contains("conversations:read"), CanWrite: scopes.Contains("conversations:write"));
    }

    private static string Hash(ReadOnlySpan<char> secret)
    {
        Span<byte> utf8 = stackalloc byte[SecretLength];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        return Convert.ToHexStringLower(digest);
    }
}
