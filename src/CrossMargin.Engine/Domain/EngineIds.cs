using System.Globalization;

namespace CrossMargin.Engine.Domain;

/// <summary>Persistence ids and account-id conversions shared by the engine, replay and the journal inspector.</summary>
public static class EngineIds
{
    /// <summary>The market maker: counterparty of every seed trade and every liquidation fill.</summary>
    public const long MarketMaker = 0;

    /// <summary>Persistence id of the liquidation coordinator.</summary>
    public const string Coordinator = "liquidation-coordinator";

    /// <summary>Persistence id of the run's own stream (RunStarted, RunCompleted).</summary>
    public const string Run = "run";

    /// <summary>Persistence id of account <paramref name="id"/>.</summary>
    public static string Account(long id) => "account-" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Persistence id of the price feed of <paramref name="symbol"/>.</summary>
    public static string Feed(string symbol) => "feed-" + symbol;

    /// <summary>The risk core's string id of account <paramref name="id"/>.</summary>
    public static string RiskId(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a risk-core account id back.</summary>
    public static long FromRiskId(string id) => long.Parse(id, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
