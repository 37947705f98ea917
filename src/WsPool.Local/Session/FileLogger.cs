using Microsoft.Extensions.Logging;

namespace WsPool.Local.Session;

/// <summary>
/// The session's log: the terminal belongs to the live view, so the operator's and the node's log lines go to
/// <c>session.log</c> in the state directory (`tail -f` it), one line each, timestamped.
/// </summary>
public sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    private readonly Lock _sync = new();

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_sync) _writer.Dispose();
    }

    private void Write(string line)
    {
        lock (_sync)
        {
            try { _writer.WriteLine(line); }
            catch (ObjectDisposedException) { }
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel.ToString()[..4].ToUpperInvariant()} {category}: {formatter(state, exception)}";
            provider.Write(exception is null ? line : $"{line}\n{exception}");
        }
    }
}
