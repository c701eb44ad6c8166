namespace CrossMargin.Hocon;

/// <summary>
/// A field value that refers to its own path (<c>path = ${path} [x]</c>, <c>a += b</c>). Such substitutions see
/// <see cref="Previous"/>: the value the field had before this assignment (or from a fallback layer), or nothing.
/// </summary>
internal sealed class HoconSelfReference : HoconValue
{
    public HoconSelfReference(HoconValue value, IReadOnlyList<string> path, HoconValue? previous)
        : base(value.Origin)
    {
        Value = value;
        Path = path;
        Previous = previous;
    }

    public HoconValue Value { get; }

    public IReadOnlyList<string> Path { get; }

    public HoconValue? Previous { get; }

    internal override bool IsResolved => false;

    internal override string Describe() => "self-reference";
}
