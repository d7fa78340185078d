using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Convor.Api.Idempotency;

/// <summary>
/// What makes two keyed requests "the same request": SHA-256 over the method, the path
/// (lower-cased, as routing ignores case), the <c>If-Match</c> header (a retry with another
/// precondition is another request: a recorded 412 must not answer it) and the body in
/// canonical form. A JSON body is
/// rewritten compactly, so whitespace does not matter but member order does (metadata keeps
/// its order, so reordered members are a different request). A body that is not JSON is
/// hashed as sent; it is answered 400 or 415 anyway.
/// </summary>
internal static class RequestFingerprint
{
    /// <summary>Reads the body (leaving it rewound for the action) and fingerprints the request.</summary>
    public static async Task<string> ComputeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Kept in memory up to the body limit; a larger body fails with 413 while being read.
        request.EnableBuffering(bufferThreshold: (int)ConvorApi.MaxRequestBodyBytes + 1);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        request.Body.Position = 0;
        return Compute(request.Method, request.Path, request.Headers.IfMatch, body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    internal static string Compute(string method, PathString path, StringValues ifMatch, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(method.ToUpperInvariant()));
        hash.AppendData("\n"u8);
        hash.AppendData(Encoding.UTF8.GetBytes((path.Value ?? string.Empty).TrimEnd('/').ToLowerInvariant()));
        hash.AppendData("\n"u8);
        // Absent and empty differ from every tag, which is always quoted.
        if (ifMatch.Count > 0) hash.AppendData(Encoding.UTF8.GetBytes("if-match:" + string.Join(',', ifMatch.Select(v => v?.Trim()))));
        hash.AppendData("\n"u8);
        hash.AppendData(Canonical(body));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    internal static byte[] Canonical(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return [];
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            var output = new ArrayBufferWriter<byte>(body.Length);
            using (var writer = new Utf8JsonWriter(output)) document.RootElement.WriteTo(writer);
            return output.WrittenSpan.ToArray();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON (or not valid Unicode): the bytes are the request. Valid canonical JSON
            // can never equal invalid JSON, so the two kinds cannot collide.
            return body.ToArray();
        }
    }
}
