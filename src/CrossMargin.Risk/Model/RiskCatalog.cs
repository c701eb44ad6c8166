using System.Collections.Immutable;
using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.Model;

/// <summary>Instrument and asset specifications, looked up by id. Immutable and shareable across threads.</summary>
public sealed record RiskCatalog
{
    /// <summary>Builds a catalog; every instrument's settlement asset must be a listed asset.</summary>
    public RiskCatalog(IEnumerable<InstrumentSpec> instruments, IEnumerable<AssetSpec> assets)
    {
        Instruments = instruments.ToImmutableSortedDictionary(i => i.Id, i => i, StringComparer.Ordinal);
        Assets = assets.ToImmutableSortedDictionary(a => a.Id, a => a, StringComparer.Ordinal);
        foreach (var i in Instruments.Values)
        {
            if (!Assets.ContainsKey(i.SettlementAsset))
            {
                throw new RiskInputException($"instrument[{i.Id}].settlement-asset", i.SettlementAsset, "is not a listed asset");
            }
        }
    }

    /// <summary>Instruments by id.</summary>
    public ImmutableSortedDictionary<string, InstrumentSpec> Instruments { get; }

    /// <summary>Assets by id.</summary>
    public ImmutableSortedDictionary<string, AssetSpec> Assets { get; }

    /// <summary>The instrument <paramref name="id"/>; throws <see cref="RiskInputException"/> when unknown.</summary>
    public InstrumentSpec Instrument(string id) =>
        Instruments.TryGetValue(id, out var spec) ? spec : throw new RiskInputException("instrument", id, "unknown instrument");

    /// <summary>The asset <paramref name="id"/>; throws <see cref="RiskInputException"/> when unknown.</summary>
    public AssetSpec Asset(string id) =>
        Assets.TryGetValue(id, out var spec) ? spec : throw new RiskInputException("asset", id, "unknown asset");
}
