namespace CrossMargin.Engine.Reporting;

/// <summary>
/// The engine refuses a run's input: unknown scenario, malformed scenario or tick file, a journal from
/// another schema version, an unknown account. The CLI prints <see cref="Exception.Message"/> and exits 2.
/// </summary>
/// <remarks>The message must say where the problem is (file:line:col, option, field and value).</remarks>
public sealed class RunInputException : Exception
{
    /// <summary>Creates the refusal with a message naming where the problem is.</summary>
    public RunInputException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
