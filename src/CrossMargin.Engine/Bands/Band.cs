namespace CrossMargin.Engine.Bands;

/// <summary>
/// A closed price interval [<see cref="Low"/>, <see cref="High"/>] within which an account's risk state cannot change
/// as far as one price is concerned. Use <see cref="decimal.MinValue"/> / <see cref="decimal.MaxValue"/> for an open side.
/// </summary>
public readonly record struct Band(decimal Low, decimal High)
{
    /// <summary>True when <paramref name="price"/> lies in the band (bounds included).</summary>
    public bool Contains(decimal price) => price >= Low && price <= High;
}
