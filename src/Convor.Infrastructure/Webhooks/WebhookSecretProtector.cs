using System.Security.Cryptography;
using System.Text;
using Convor.Application.Common.Abstractions;
using Microsoft.Extensions.Options;

namespace Convor.Infrastructure.Webhooks;

/// <summary>
/// Makes endpoint secrets (<c>whsec_</c> + base64 of 32 random bytes) and keeps them encrypted
/// at rest with AES-256-GCM under <c>Webhooks:SecretEncryptionKey</c>. A stored secret is
/// <c>v1.</c> + base64(nonce ‖ ciphertext ‖ tag). Exceptions never carry the secret or the key.
/// </summary>
public sealed class WebhookSecretProtector(IOptions<WebhookOptions> options) : IWebhookSecrets
{
    public const string SecretPrefix = "whsec_";
    private const string FormatPrefix = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public NewWebhookSecret Generate()
    {
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return new NewWebhookSecret(secret, Protect(secret));
    }

    public string Protect(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(), TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length));
        return FormatPrefix + Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedSecret)
    {
        ArgumentNullException.ThrowIfNull(protectedSecret);
        if (!protectedSecret.StartsWith(FormatPrefix, StringComparison.Ordinal))
            throw new CryptographicException("A stored webhook secret has an unknown format.");
        var data = Convert.FromBase64String(protectedSecret[FormatPrefix.Length..]);
        var length = data.Length - NonceSize - TagSize;
        if (length <= 0) throw new CryptographicException("A stored webhook secret is truncated.");
        var plain = new byte[length];
        using var aes = new AesGcm(Key(), TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, length), data.AsSpan(NonceSize + length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The HMAC key of a secret: the bytes its base64 part stands for (as Standard Webhooks says).</summary>
    public static byte[] SigningKey(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
    }

    public static bool IsValidKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key)) return false;
        Span<byte> bytes = stackalloc byte[64];
        return Convert.TryFromBase64String(key, bytes, out var written) && written == 32;
    }

    private byte[] Key()
    {
        var key = options.Value.SecretEncryptionKey;
        if (!IsValidKey(key))
            throw new InvalidOperationException("Webhooks:SecretEncryptionKey must be set to the base64 of 32 bytes to store or use webhook secrets.");
        return Convert.FromBase64String(key!);
    }
}
