namespace CrossMargin.Hocon;

/// <summary>
/// A string, number, boolean or null. The original text is kept exactly (<see cref="Text"/>), so numbers read
/// through <see cref="Config.GetDecimal(string)"/> are exact and never pass through a double.
/// </summary>
public sealed class HoconScalar : HoconValue
{
    /// <summary>Creates a scalar of <paramref name="kind"/> whose text is <paramref name="text"/>.</summary>
    public HoconScalar(HoconScalarKind kind, string text, HoconOrigin origin)
        : base(origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        Kind = kind;
        Text = text;
    }

    /// <summary>What the source said this scalar is.</summary>
    public HoconScalarKind Kind { get; }

    /// <summary>The text of the value: string contents, number literal, <c>true</c>/<c>false</c> or <c>null</c>.</summary>
    public string Text { get; }

    internal override string Describe() => Kind switch
    {
        HoconScalarKind.Null => "null",
        HoconScalarKind.Number => $"number {Text}",
        HoconScalarKind.Boolean => $"boolean {Text}",
        _ => $"string '{Text}'",
    };
}
