using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace CrossMargin.TestKit;

/// <summary>Serilog sink of a test: writes every event to the xunit output and feeds active event filters.</summary>
internal sealed class TestLogSink(ITestOutputHelper? output) : ILogEventSink
{
    private readonly List<EventCollector> _collectors = new();
    private volatile bool _closed;

    public void Emit(LogEvent logEvent)
    {
        EventCollector[] active;
        lock (_collectors) active = _collectors.ToArray();
        var muted = false;
        foreach (var c in active) muted |= c.Offer(logEvent);
        if (output == null || _closed || muted) return;
        var path = logEvent.Properties.TryGetValue("ActorPath", out var p) ? " " + p.ToString().Trim('"') : string.Empty;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{logEvent.Level.ToString()[..3].ToUpperInvariant()}]{path} {logEvent.RenderMessage(CultureInfo.InvariantCulture)}");
        if (logEvent.Exception != null) line += Environment.NewLine + logEvent.Exception;
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished; xunit refuses late output.
        }
    }

    public void Add(EventCollector c)
    {
        lock (_collectors) _collectors.Add(c);
    }

    public void Remove(EventCollector c)
    {
        lock (_collectors) _collectors.Remove(c);
    }

    public void Close() => _closed = true;
}

/// <summary>Counts events (log events or dead letters) matching a filter and signals each match.</summary>
internal sealed class EventCollector(Func<object, bool> match)
{
    private int _count;

    public SemaphoreSlim Signal { get; } = new(0);

    public int Count => Volatile.Read(ref _count);

    /// <summary>Returns true when the event matched (and is therefore muted in the output).</summary>
    public bool Offer(object e)
    {
        if (!match(e)) return false;
        Interlocked.Increment(ref _count);
        Signal.Release();
        return true;
    }
}
