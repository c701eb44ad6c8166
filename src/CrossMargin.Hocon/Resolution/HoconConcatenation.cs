namespace CrossMargin.Hocon;

/// <summary>
/// Pieces written next to each other in one value that could not be joined at parse time because a
/// substitution is among them. Whitespace between pieces is kept as <see cref="Whitespace"/> markers.
/// </summary>
internal sealed class HoconConcatenation : HoconValue
{
    public HoconConcatenation(IReadOnlyList<HoconValue> pieces, HoconOrigin origin)
        : base(origin)
    {
        Pieces = pieces;
    }

    public IReadOnlyList<HoconValue> Pieces { get; }

    internal override bool IsResolved => false;

    internal override string Describe() => "concatenation";

    /// <summary>Whitespace between two pieces: part of a string concatenation, ignored between arrays or objects.</summary>
    internal sealed class Whitespace(string text, HoconOrigin origin) : HoconValue(origin)
    {
        public string Text { get; } = text;

        internal override string Describe() => "whitespace";
    }
}
