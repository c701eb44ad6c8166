using System.Globalization;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.Simulation;

/// <summary>Figures collected while a run goes (derived from the events as they are emitted). Single-threaded.</summary>
public sealed class RunMetrics
{
    /// <summary>Ticks processed.</summary>
    public long Ticks { get; set; }

    /// <summary>Transitions into Warning.</summary>
    public long MarginCalls { get; set; }

    /// <summary>Liquidation fills of trading accounts.</summary>
    public long Liquidations { get; set; }

    /// <summary>Their notional (quote units).</summary>
    public decimal LiquidationNotional { get; set; }

    /// <summary>Cascade rounds.</summary>
    public long Rounds { get; set; }

    /// <summary>Deepest round of one cascade.</summary>
    public int DeepestRound { get; set; }

    /// <summary>Σ deficits of bankruptcies.</summary>
    public decimal BadDebt { get; set; }

    /// <summary>ADL fills.</summary>
    public long AdlCount { get; set; }

    /// <summary>ADL notional.</summary>
    public decimal AdlNotional { get; set; }

    /// <summary>Socialized loss.</summary>
    public decimal Socialized { get; set; }

    /// <summary>Loss left unassigned by waterfalls (must stay 0).</summary>
    public decimal Unassigned { get; set; }

    /// <summary>Bankruptcies with an unassigned loss, for the invariant's evidence.</summary>
    public List<string> UnassignedEvidence { get; } = [];

    /// <summary>Commands refused while seeding.</summary>
    public long RefusedCommands { get; set; }

    /// <summary>First refusal reasons (evidence).</summary>
    public List<string> Refusals { get; } = [];

    /// <summary>Insurance fund at the start.</summary>
    public decimal FundStart { get; set; }

    /// <summary>Lowest fund balance.</summary>
    public decimal FundMin { get; set; } = decimal.MaxValue;

    /// <summary>Fund over time.</summary>
    public SeriesRecorder FundSeries { get; } = new();

    /// <summary>Liquidation fills per second.</summary>
    public RateRecorder LiquidationRate { get; } = new();

    /// <summary>Index series per symbol.</summary>
    public SortedDictionary<string, SeriesRecorder> Index { get; } = new(StringComparer.Ordinal);

    /// <summary>Mark series per symbol.</summary>
    public SortedDictionary<string, SeriesRecorder> Mark { get; } = new(StringComparer.Ordinal);

    /// <summary>Net collateral paid in per asset (deposits − withdrawals).</summary>
    public SortedDictionary<string, decimal> NetDeposits { get; } = new(StringComparer.Ordinal);

    /// <summary>Worst fate per account (absent = healthy).</summary>
    public Dictionary<long, AccountFate> Fates { get; } = new();

    /// <summary>Raises <paramref name="id"/>'s fate to at least <paramref name="fate"/>.</summary>
    public void Fate(long id, AccountFate fate)
    {
        if (!Fates.TryGetValue(id, out var f) || f < fate)
        {
            Fates[id] = fate;
        }
    }

    /// <summary>
    /// Folds one coordinator event into the figures (fund series, bad debt, ADL, socialized and unassigned loss).
    /// Both engines call this, so their reports count the same way. Not thread-safe: callers serialise.
    /// </summary>
    public void Observe(CoordinatorEvent e, DateTimeOffset time)
    {
        switch (e)
        {
            case InsuranceFundSeeded s:
                FundStart = s.Amount;
                Fund(time, s.Amount);
                break;
            case LiquidationExecuted l:
                Fund(time, l.InsuranceFund);
                break;
            case BankruptcyResolved b:
                BadDebt += b.Deficit;
                AdlCount += b.AdlFills;
                AdlNotional += Math.Abs(b.AdlNotional);
                Socialized += b.Socialized;
                Unassigned += b.Unassigned;
                if (b.Unassigned != 0m && UnassignedEvidence.Count < 10)
                {
                    UnassignedEvidence.Add($"account {b.AccountId} round {b.Round}: unassigned {b.Unassigned.ToString(CultureInfo.InvariantCulture)}");
                }

                Fund(time, b.InsuranceFund);
                break;
        }
    }

    /// <summary>Records the fund after a change.</summary>
    public void Fund(DateTimeOffset time, decimal balance)
    {
        FundMin = Math.Min(FundMin, balance);
        FundSeries.Add(time, balance);
    }
}
