using CrossMargin.Actors;
using Serilog.Events;
using Xunit.Sdk;

namespace CrossMargin.TestKit;

/// <summary>
/// Builds assertions on what the system logs (through Serilog) and on dead letters, e.g.
/// <c>EventFilter.Exception&lt;InvalidOperationException&gt;().ExpectOne(() =&gt; actor.Tell("boom"))</c>.
/// Matched events are not written to the test output.
/// </summary>
public sealed class EventFilterFactory
{
    private readonly TestKit _kit;

    internal EventFilterFactory(TestKit kit) => _kit = kit;

    /// <summary>Error events carrying an exception of type <typeparamref name="T"/> (or a subtype); optional message substring.</summary>
    public EventFilterApplier Exception<T>(string? contains = null) where T : Exception =>
        Log(e => e.Exception is T && Contains(e, contains), $"exception {typeof(T).Name}");

    /// <summary>Error events, optionally whose message contains <paramref name="contains"/>.</summary>
    public EventFilterApplier Error(string? contains = null) => Level(LogEventLevel.Error, contains);

    /// <summary>Warning events, optionally whose message contains <paramref name="contains"/>.</summary>
    public EventFilterApplier Warning(string? contains = null) => Level(LogEventLevel.Warning, contains);

    /// <summary>Information events, optionally whose message contains <paramref name="contains"/>.</summary>
    public EventFilterApplier Info(string? contains = null) => Level(LogEventLevel.Information, contains);

    /// <summary>Dead letters whose message is a <typeparamref name="T"/> (from the event stream, not limited by <c>log-dead-letters</c>).</summary>
    public EventFilterApplier DeadLetter<T>(Predicate<T>? predicate = null) =>
        new(_kit, e => e is DeadLetter d && d.Message is T t && (predicate == null || predicate(t)), $"dead letter of {typeof(T).Name}", deadLetters: true);

    /// <summary>Any Serilog event matching <paramref name="predicate"/>.</summary>
    public EventFilterApplier Custom(Func<LogEvent, bool> predicate) => Log(predicate, "custom event");

    private EventFilterApplier Level(LogEventLevel level, string? contains) =>
        Log(e => e.Level == level && Contains(e, contains), $"{level} event" + (contains == null ? string.Empty : $" containing \"{contains}\""));

    private EventFilterApplier Log(Func<LogEvent, bool> predicate, string description) =>
        new(_kit, e => e is LogEvent le && predicate(le), description, deadLetters: false);

    private static bool Contains(LogEvent e, string? contains) =>
        contains == null || e.RenderMessage().Contains(contains, StringComparison.Ordinal) ||
        (e.Exception?.Message.Contains(contains, StringComparison.Ordinal) ?? false);
}

/// <summary>An event filter ready to be applied around an action.</summary>
public sealed class EventFilterApplier
{
    private readonly TestKit _kit;
    private readonly Func<object, bool> _match;
    private readonly string _description;
    private readonly bool _deadLetters;

    internal EventFilterApplier(TestKit kit, Func<object, bool> match, string description, bool deadLetters)
    {
        _kit = kit;
        _match = match;
        _description = description;
        _deadLetters = deadLetters;
    }

    /// <summary>Runs <paramref name="action"/> and expects exactly one matching event within the filter leeway.</summary>
    public void ExpectOne(Action action) => Expect(1, action);

    /// <summary>Runs <paramref name="action"/> and expects exactly <paramref name="count"/> matching events within the filter leeway.</summary>
    public void Expect(int count, Action action, TimeSpan? timeout = null)
    {
        var collector = new EventCollector(_match);
        using var registration = _kit.Register(collector, _deadLetters);
        action();
        var wait = _kit.Dilated(timeout ?? _kit.TestKitSettings.FilterLeeway);
        var deadline = DateTime.UtcNow + wait;
        while (collector.Count < count)
        {
            if (_kit.Sys.IsDeterministic)
            {
                _kit.Sys.RunUntilIdle();
                if (collector.Count >= count) break;
                throw new XunitException($"Expected {count} {_description} but saw {collector.Count} (deterministic system idle)");
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !collector.Signal.Wait(left))
                throw new XunitException($"Timeout ({wait.TotalMilliseconds} ms): expected {count} {_description} but saw {collector.Count}");
        }
        if (collector.Count > count)
            throw new XunitException($"Expected {count} {_description} but saw {collector.Count}");
    }

    /// <summary>Mutes matching events (no output, no assertion) while <paramref name="action"/> runs.</summary>
    public void Mute(Action action)
    {
        using var registration = _kit.Register(new EventCollector(_match), _deadLetters);
        action();
    }
}
