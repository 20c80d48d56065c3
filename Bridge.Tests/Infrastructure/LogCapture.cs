using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Infrastructure;

/// <summary>Keeps every log event the bridge writes, fully rendered, for tests to read.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _events = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Events => _events.ToArray();

    public string AllText => string.Join('\n', _events.Select(e => $"{e.Level} {e.Category} {e.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose() { }

    private sealed class Logger(string category, LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner._events.Enqueue((logLevel, category, formatter(state, exception) + " " + values + " " + exception));
        }
    }
}
