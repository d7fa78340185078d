using Convor.Api.Errors;

namespace Convor.Api.Http;

/// <summary>
/// 413 before any body is read when Content-Length already says too much; Kestrel's own
/// limit (<see cref="ConvorApi.MaxRequestBodyBytes"/>) catches chunked bodies while reading.
/// The body is also wrapped in a stream that fails with the same 413 past the limit, so the
/// limit holds on any server (a reverse proxy's, the test server), not only Kestrel.
/// </summary>
internal static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > ConvorApi.MaxRequestBodyBytes)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge);
            return;
        }
        context.Request.Body = new LimitedRequestBody(context.Request.Body, ConvorApi.MaxRequestBodyBytes);
        await next(context);
    });
}

/// <summary>A read-only view of the request body that throws 413 once more than the limit was read.</summary>
internal sealed class LimitedRequestBody(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int read)
    {
        _read += read;
        if (_read > limit) throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
