using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Convor.Infrastructure.ApiKeys;

/// <summary>
/// Key secrets: <c>cvr_</c> followed by 32 bytes (256 bits) from the OS CSPRNG in
/// base64url. With that much entropy a fast hash is enough: nobody can guess a preimage,
/// so SHA-256 stores it safely and lets a lookup by hash hit a unique index.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "cvr_";
    private const int SecretBytes = 32;

    /// <summary>Length of a well-formed secret: prefix + 43 base64url characters.</summary>
    public static readonly int Length = Prefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Cheap shape check before any hashing or database work.</summary>
    public static bool IsWellFormed(string candidate) =>
        candidate.Length == Length
        && candidate.StartsWith(Prefix, StringComparison.Ordinal)
        && candidate.AsSpan(Prefix.Length).IndexOfAnyExcept(Base64UrlAlphabet) < 0;

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
