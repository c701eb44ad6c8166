using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Engine.Domain;

/// <summary>Registers every engine event type with its stable manifest name (version 1).</summary>
public static class EngineSerialization
{
    /// <summary>Version of the engine's event schema, recorded in <see cref="RunStarted"/>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Adds the engine's events to <paramref name="serializer"/>; call once, before any write or read.</summary>
    public static EventSerializer Register(EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        return serializer
            .Register<Deposited>("Deposited")
            .Register<Withdrawn>("Withdrawn")
            .Register<IsolatedMarginMoved>("IsolatedMarginMoved")
            .Register<TradeFilled>("TradeFilled")
            .Register<LiquidationFilled>("LiquidationFilled")
            .Register<RiskStateChanged>("RiskStateChanged")
            .Register<WaterfallSettled>("WaterfallSettled")
            .Register<IndexTickReceived>("IndexTickReceived")
            .Register<ImpactApplied>("ImpactApplied")
            .Register<InsuranceFundSeeded>("InsuranceFundSeeded")
            .Register<CascadeRoundStarted>("CascadeRoundStarted")
            .Register<LiquidationExecuted>("LiquidationExecuted")
            .Register<BankruptcyResolved>("BankruptcyResolved")
            .Register<RunStarted>("RunStarted")
            .Register<RunCompleted>("RunCompleted");
    }

    /// <summary>A new serializer with the engine's events.</summary>
    public static EventSerializer Create() => Register(new EventSerializer());
}
