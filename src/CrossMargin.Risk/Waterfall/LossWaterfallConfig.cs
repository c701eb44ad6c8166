using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.Waterfall;

/// <summary>Loss waterfall steps (HOCON <c>crossmargin.risk.waterfall.*</c>). Collateral is always used first.</summary>
/// <param name="UseInsuranceFund">Step 2: the insurance fund covers the deficit.</param>
/// <param name="InsuranceMaxShare">Largest share of the fund one bankruptcy may use (Drift caps per market).</param>
/// <param name="UseAdl">Step 3: auto-deleverage opposite positions at the bankruptcy price.</param>
/// <param name="Ranking">ADL ranking.</param>
/// <param name="UseSocializedLoss">Step 4: spread what is left over accounts with positive equity, pro-rata.</param>
/// <param name="FeeToInsuranceShare">Share of the liquidation fee paid to the insurance fund (rest to the fee pool).</param>
/// <param name="BackstopAccountId">Account that takes over closed-out positions when ADL is not used.</param>
/// <param name="MoneyDecimals">Decimal places of split charges (remainders go to the first in rank order).</param>
public sealed record LossWaterfallConfig(
    bool UseInsuranceFund = true,
    decimal InsuranceMaxShare = 1m,
    bool UseAdl = true,
    AdlRanking Ranking = AdlRanking.BitMex,
    bool UseSocializedLoss = true,
    decimal FeeToInsuranceShare = 1m,
    string BackstopAccountId = "backstop",
    int MoneyDecimals = 8)
{
    /// <summary>All steps on, BitMEX ranking.</summary>
    public static LossWaterfallConfig Default { get; } = new();

    /// <summary>Checks shares in [0, 1] and decimals in [0, 20].</summary>
    public LossWaterfallConfig Validate()
    {
        Guard.UnitInterval(InsuranceMaxShare, "waterfall.insurance-max-share");
        Guard.UnitInterval(FeeToInsuranceShare, "waterfall.fee-to-insurance-share");
        if (MoneyDecimals is < 0 or > 20)
        {
            throw new RiskInputException("waterfall.money-decimals", MoneyDecimals.ToString(System.Globalization.CultureInfo.InvariantCulture), "must lie in [0, 20]");
        }

        if (string.IsNullOrEmpty(BackstopAccountId))
        {
            throw new RiskInputException("waterfall.backstop-account", "\"\"", "must not be empty");
        }

        return this;
    }
}
