using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Benchmarks;

/// <summary>
/// The baseline: the same decimal arithmetic (uPnL, notional, bracket lookup, MM = n·MMR − cum, IM = n·rate,
/// totals and state) over a plain array of structs, recomputing every position on each tick — what a straightforward
/// implementation without per-position caching does.
/// </summary>
public sealed class StructBaseline
{
    private readonly Row[] rows;
    private readonly decimal[] caps;
    private readonly decimal[] floors;
    private readonly decimal[] rates;
    private readonly decimal[] cums;
    private readonly decimal[] imRates;
    private readonly decimal collateral;
    private readonly RiskThresholds thresholds = RiskThresholds.Default;

    public StructBaseline(RemarginScenario s)
    {
        var table = (BracketTable)s.Catalog.Instruments.Values.First().Margin;
        caps = table.Brackets.Select(b => b.NotionalCap).ToArray();
        floors = table.Brackets.Select(b => b.NotionalFloor).ToArray();
        rates = table.Brackets.Select(b => b.MaintenanceRate).ToArray();
        cums = Enumerable.Range(0, caps.Length).Select(table.Cum).ToArray();
        imRates = Enumerable.Range(0, caps.Length).Select(table.InitialRate).ToArray();
        collateral = s.Account.Balance("USDT");
        rows = s.Account.Positions.Values.Select(p => new Row { Size = p.Size, Cost = p.Cost, Mark = s.Prices.Mark(p.InstrumentId) }).ToArray();
    }

    public RiskState Tick(int index, decimal mark)
    {
        rows[index].Mark = mark;
        decimal u = 0m, mm = 0m, im = 0m, n = 0m;
        for (var k = 0; k < rows.Length; k++)
        {
            ref var r = ref rows[k];
            var notional = Math.Abs(r.Size) * r.Mark;
            var j = r.Bracket;
            if (notional > caps[j] || (j > 0 && notional <= floors[j]))
            {
                j = 0;
                while (notional > caps[j])
                {
                    j++;
                }

                r.Bracket = j;
            }

            u += (r.Size * r.Mark) - r.Cost;
            mm += (notional * rates[j]) - cums[j];
            im += notional * imRates[j];
            n += notional;
        }

        return RiskStateMachine.Classify(collateral + u, mm, n, RiskState.Healthy, thresholds);
    }

    private struct Row
    {
        public decimal Size;
        public decimal Cost;
        public decimal Mark;
        public int Bracket;
    }
}
