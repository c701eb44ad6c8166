using CrossMargin.Risk;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Domain;

/// <summary>What every domain decision needs: instruments, assets and risk parameters. Immutable, shareable.</summary>
/// <param name="Catalog">Instruments and assets.</param>
/// <param name="Risk">Risk parameters (validated against <paramref name="Catalog"/>).</param>
public sealed record EngineModel(RiskCatalog Catalog, RiskConfig Risk);
