using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace CrossMargin.Cluster.Tests.Infrastructure;

/// <summary>Keeps a node's log events so a test can wait for one (a recovery failure, a restart).</summary>
internal sealed class RecordingLogSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    /// <summary>A logger writing to this sink (debug and up).</summary>
    public ILogger Logger() => new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>How many times the recovery of <paramref name="persistenceId"/> failed (the persistent actor's error log).</summary>
    public int RecoveryFailures(string persistenceId) => _events.Count(e =>
        e.MessageTemplate.Text.StartsWith("Recovery of persistenceId", StringComparison.Ordinal)
        && e.Properties.TryGetValue("PersistenceId", out var p) && p is ScalarValue { Value: string s } && s == persistenceId);

    /// <summary>True when an event with exactly this message template was logged.</summary>
    public bool Contains(string template) => _events.Any(e => e.MessageTemplate.Text == template);
}
