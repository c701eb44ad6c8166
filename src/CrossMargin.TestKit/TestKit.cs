using CrossMargin.Actors;
using Serilog;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CrossMargin.TestKit;

/// <summary>
/// Base class for actor tests (like Akka.TestKit.Xunit2's <c>TestKit</c>): one <see cref="ActorSystem"/> per test
/// instance, its Serilog events written to the xunit output, <see cref="TestKitBase.TestActor"/> as implicit sender,
/// probes, event filters and virtual time. Disposing terminates the system.
/// </summary>
/// <remarks>
/// In a namespace under <c>CrossMargin</c>, the name <c>TestKit</c> resolves to the namespace; write
/// <c>using TestKit = CrossMargin.TestKit.TestKit;</c> inside your namespace, or derive from <c>CrossMargin.TestKit.TestKit</c>.
/// </remarks>
public class TestKit : TestKitBase, IDisposable
{
    private readonly TestLogSink _sink;
    private readonly Serilog.Core.Logger _logger;
    private bool _disposed;

    /// <summary>Creates the kit and its system.</summary>
    /// <param name="output">xunit output for log events; null to discard them.</param>
    /// <param name="setup">System options (clock, deterministic mode, settings); the logger is always the test's.</param>
    /// <param name="systemName">System name (default "test").</param>
    /// <param name="settings">Timing settings; the time factor comes from CROSSMARGIN_TEST_TIMEFACTOR when set.</param>
    public TestKit(ITestOutputHelper? output = null, ActorSystemSetup? setup = null, string? systemName = null, TestKitSettings? settings = null)
        : this(CreateSystem(output, setup, systemName, out var sink, out var logger), TestKitSettings.FromEnvironment(settings), sink, logger)
    {
    }

    /// <summary>
    /// Creates the kit with a system configured by <paramref name="config"/> (<c>crossmargin.actor.*</c> for the system,
    /// <c>crossmargin.test.*</c> for timing), over reference.conf.
    /// </summary>
    public TestKit(CrossMargin.Hocon.Config config, ITestOutputHelper? output = null, string? systemName = null, ActorSystemSetup? setup = null)
        : this(CreateSystem(output, config, setup, systemName, out var sink, out var logger),
            TestKitSettings.FromEnvironment(TestKitSettings.FromConfig(config.WithFallback(CrossMargin.Hocon.ConfigurationFactory.Default()))), sink, logger)
    {
    }

    /// <summary>Creates the kit from HOCON text (see <see cref="TestKit(CrossMargin.Hocon.Config, ITestOutputHelper?, string?, ActorSystemSetup?)"/>).</summary>
    public TestKit(string config, ITestOutputHelper? output = null)
        : this(CrossMargin.Hocon.ConfigurationFactory.ParseString(config), output)
    {
    }

    private TestKit(ActorSystem system, TestKitSettings settings, TestLogSink sink, Serilog.Core.Logger logger)
        : base(system, settings, "testActor")
    {
        _sink = sink;
        _logger = logger;
        EventFilter = new EventFilterFactory(this);
        // As in Akka.TestKit: a plain Tell from test code carries TestActor as its sender, so replies come back here.
        ImplicitSender.Current = TestActor;
    }

    private static ActorSystem CreateSystem(ITestOutputHelper? output, CrossMargin.Hocon.Config config, ActorSystemSetup? setup, string? name, out TestLogSink sink, out Serilog.Core.Logger logger)
    {
        sink = new TestLogSink(output);
        logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        return ActorSystem.Create(name ?? "test", config, (setup ?? new ActorSystemSetup()) with { Logger = logger });
    }

    private static ActorSystem CreateSystem(ITestOutputHelper? output, ActorSystemSetup? setup, string? name, out TestLogSink sink, out Serilog.Core.Logger logger)
    {
        sink = new TestLogSink(output);
        logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        return ActorSystem.Create(name ?? "test", (setup ?? new ActorSystemSetup()) with { Logger = logger });
    }

    /// <summary>Assertions on logged events and dead letters.</summary>
    public EventFilterFactory EventFilter { get; }

    /// <summary>The system's clock as a <see cref="VirtualTimeProvider"/> (a <see cref="TestScheduler"/> or a deterministic system's clock).</summary>
    /// <exception cref="InvalidOperationException">When the system runs on real time.</exception>
    public VirtualTimeProvider VirtualTime => Sys.TimeProvider as VirtualTimeProvider
        ?? throw new InvalidOperationException("This test's system runs on real time; pass new ActorSystemSetup { TimeProvider = new TestScheduler() }.");

    /// <summary>
    /// Moves virtual time forward by <paramref name="delta"/>. On a deterministic system this is <c>Sys.RunFor</c>
    /// (messages are processed at each timer instant); otherwise timers fire on this thread and actors run on the pool.
    /// </summary>
    public void Advance(TimeSpan delta)
    {
        if (Sys.IsDeterministic) Sys.RunFor(delta);
        else VirtualTime.Advance(delta);
    }

    /// <summary>Creates a probe in this kit's system.</summary>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, TestKitSettings, name);

    /// <summary>Creates a top-level actor.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    /// <summary>Runs <paramref name="action"/> and expects exactly one dead letter whose message is a <typeparamref name="T"/>.</summary>
    public void ExpectDeadLetter<T>(Action action, Predicate<T>? predicate = null) => EventFilter.DeadLetter(predicate).ExpectOne(action);

    internal IDisposable Register(EventCollector collector, bool deadLetters)
    {
        if (!deadLetters)
        {
            _sink.Add(collector);
            return new Registration(() => _sink.Remove(collector));
        }
        var listener = Sys.CreateFunctionRef((m, _) => collector.Offer(m));
        Sys.EventStream.Subscribe(listener, typeof(DeadLetter));
        return new Registration(() =>
        {
            Sys.EventStream.Unsubscribe(listener);
            listener.Stop();
        });
    }

    /// <summary>Terminates the system (waiting up to the dilated default timeout) and flushes the logger.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Override to add cleanup; call the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        if (!disposing) return;
        var ok = Sys.Terminate().Wait(Dilated(TestKitSettings.DefaultTimeout));
        CompleteInbox();
        _sink.Close();
        _logger.Dispose();
        if (!ok) throw new XunitException($"Actor system {Sys.Name} did not terminate within {Dilated(TestKitSettings.DefaultTimeout)}");
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
