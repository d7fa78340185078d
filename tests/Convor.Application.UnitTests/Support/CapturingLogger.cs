using Microsoft.Extensions.Logging;

namespace Convor.Application.UnitTests.Support;

/// <summary>One call to <see cref="ILogger.Log{TState}"/> as the logger received it.</summary>
internal sealed record CapturedLog(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception)
{
    /// <summary>Everything a log sink could write for this entry: the message, every structured value and the exception's message.</summary>
    public string AllText => string.Join(" | ",
        new[] { Message, Exception?.Message ?? string.Empty }.Concat(Values.Select(v => $"{v.Key}={v.Value}")));
}

/// <summary>A logger that keeps every entry in memory, with every level enabled.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly List<CapturedLog> _entries = [];

    public IReadOnlyList<CapturedLog> Entries => _entries;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Add(new CapturedLog(logLevel, formatter(state, exception), values.ToList(), exception));
    }
}
