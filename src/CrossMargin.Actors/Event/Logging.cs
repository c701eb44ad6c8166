using Serilog;

namespace CrossMargin.Actors;

/// <summary>
/// Akka-style logging facade over Serilog; every event carries the <c>ActorPath</c> property. Thread-safe.
/// Message templates are Serilog templates (<c>"Order {OrderId} filled"</c>).
/// </summary>
public interface ILoggingAdapter
{
    /// <summary>The underlying Serilog logger (already enriched with ActorPath).</summary>
    ILogger Logger { get; }

    /// <summary>Logs at Debug.</summary>
    void Debug(string template, params object?[] args);

    /// <summary>Logs at Information.</summary>
    void Info(string template, params object?[] args);

    /// <summary>Logs at Warning.</summary>
    void Warning(string template, params object?[] args);

    /// <summary>Logs at Error.</summary>
    void Error(string template, params object?[] args);

    /// <summary>Logs at Error with an exception.</summary>
    void Error(Exception? exception, string template, params object?[] args);
}

internal sealed class SerilogLoggingAdapter(ILogger logger) : ILoggingAdapter
{
    public ILogger Logger { get; } = logger;

    public void Debug(string template, params object?[] args) => Logger.Debug(template, args);

    public void Info(string template, params object?[] args) => Logger.Information(template, args);

    public void Warning(string template, params object?[] args) => Logger.Warning(template, args);

    public void Error(string template, params object?[] args) => Logger.Error(template, args);

    public void Error(Exception? exception, string template, params object?[] args) => Logger.Error(exception, template, args);
}

/// <summary><c>Context.GetLogger()</c>.</summary>
public static class LoggingExtensions
{
    /// <summary>A logger for this actor, with property <c>ActorPath</c> set to its path. Cache it in a field if used often.</summary>
    public static ILoggingAdapter GetLogger(this IActorContext context) =>
        new SerilogLoggingAdapter(context.System.Logger.ForContext("ActorPath", context.Self.Path.ToString()));
}
