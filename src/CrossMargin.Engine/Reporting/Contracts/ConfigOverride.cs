namespace CrossMargin.Engine.Reporting;

/// <summary>
/// One <c>--set key=value</c> from the command line: a HOCON path and the HOCON value text to put there,
/// applied on top of the application configuration (as if appended to the application file).
/// </summary>
/// <param name="Path">Dotted HOCON path, e.g. <c>crossmargin.risk.maintenance-margin-rate</c>.</param>
/// <param name="Value">The HOCON value as typed, e.g. <c>0.01</c>, <c>"10 minutes"</c>, <c>[BTC, ETH]</c>.</param>
public sealed record ConfigOverride(string Path, string Value)
{
    /// <summary>The override as one line of HOCON: <c>path = value</c>.</summary>
    public string ToHocon() => $"{Path} = {Value}";

    /// <summary>The override as typed: <c>path=value</c>.</summary>
    public override string ToString() => $"{Path}={Value}";
}
