using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Convor.Infrastructure.Webhooks;

/// <summary>How one attempt went.</summary>
public sealed record WebhookAttemptResult(int? StatusCode, TimeSpan Duration, string? Error, TimeSpan? RetryAfter)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
    public bool Gone => StatusCode == 410;
}

/// <summary>Standard Webhooks 1.0 signatures: <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.</summary>
public static class WebhookSignature
{
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(WebhookSecretProtector.SigningKey(secret), content));
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per secret, space-separated.</summary>
    public static string Header(IEnumerable<string> secrets, string id, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, id, timestamp, body)));
}

/// <summary>
/// Sends one attempt: POST of the stored body with the Standard Webhooks headers, through the
/// named client whose handler checks addresses at connect time and follows no redirect. At
/// most 64 KiB of the answer is read; the error text kept is at most 1 KiB.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock, IOptions<WebhookOptions> options)
{
    public const string ClientName = "convor-webhooks";
    public const int MaxAnswerBytes = 64 * 1024;

    /// <summary>Not part of Standard Webhooks: lets a receiver tell a retry (a new attempt) from a duplicate of the same attempt.</summary>
    public const string AttemptHeader = "convor-webhook-attempt";

    public async Task<WebhookAttemptResult> SendAsync(
        string url, string eventId, string body, IReadOnlyList<string> secrets, int attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (options.Value.AllowHttp && uri.Scheme == Uri.UriSchemeHttp)))
            return new WebhookAttemptResult(null, TimeSpan.Zero, "The endpoint URL is not https (plain http needs Webhooks:AllowHttp); delivery refused.", null);

        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", eventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Header(secrets, eventId, timestamp, body));
        request.Headers.Add(AttemptHeader, attempt.ToString(CultureInfo.InvariantCulture));
        request.Headers.UserAgent.ParseAdd("Convor-Webhooks/1.0");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var answer = await ReadBoundedAsync(response, timeout.Token);
            var duration = Stopwatch.GetElapsedTime(started);
            if (status is >= 200 and < 300) return new WebhookAttemptResult(status, duration, null, null);
            var error = status is >= 300 and < 400
                ? $"Redirects are not followed: the receiver answered {status} to {response.Headers.Location}."
                : $"The receiver answered {status}: {answer}";
            return new WebhookAttemptResult(status, duration, error, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptResult(null, Stopwatch.GetElapsedTime(started),
                $"No answer within {options.Value.RequestTimeoutSeconds} s.", null);
        }
        catch (HttpRequestException exception)
        {
            return new WebhookAttemptResult(null, Stopwatch.GetElapsedTime(started), Describe(exception), null);
        }
    }

    private static string Describe(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookAddressRefusedException refused) return refused.Message;
            if (inner is SocketException socket) return $"Connection failed: {socket.SocketErrorCode}.";
        }
        return $"The request failed: {exception.HttpRequestError}.";
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxAnswerBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0) read += n;
        // Only the start is kept (the attempt's error holds at most 1 KiB); the rest is never read.
        return Encoding.UTF8.GetString(buffer, 0, Math.Min(read, WebhookAttempt.ErrorMaxLength));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return null;
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }
}
