using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace CrossMargin.Cli.Logging;

/// <summary>A Serilog sink writing formatted events to a <see cref="TextWriter"/>; stands in for the console sink under test.</summary>
/// <remarks>Serialises writes with a lock: events may come from any thread.</remarks>
internal sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
