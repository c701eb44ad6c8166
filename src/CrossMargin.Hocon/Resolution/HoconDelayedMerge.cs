namespace CrossMargin.Hocon;

/// <summary>
/// Several values for one key where at least one is unresolved, so whether they merge (objects) or the top one
/// replaces the rest is only known after resolution. <see cref="Layers"/> are ordered newest (winning) first.
/// </summary>
internal sealed class HoconDelayedMerge : HoconValue
{
    public HoconDelayedMerge(IReadOnlyList<HoconValue> layers)
        : base(layers[0].Origin)
    {
        Layers = layers;
    }

    public IReadOnlyList<HoconValue> Layers { get; }

    internal override bool IsResolved => false;

    internal override string Describe() => "merge";
}
