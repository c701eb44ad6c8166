using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrossMargin.Engine.Domain;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// SHA-256 of the system's state: every account (id, state, balances, positions) in id order, every feed (index,
/// mark, impact offset) in symbol order, and the insurance fund and fee pool. Decimals are normalised (no trailing
/// zeros), so the hash depends on values, not on how they were computed. Replay rebuilds the state and compares.
/// </summary>
public static class StateHasher
{
    /// <summary>Hashes the given state.</summary>
    public static string Hash(IEnumerable<EngineAccount> accounts, IEnumerable<(string Symbol, decimal Index, decimal Mark, decimal Offset)> feeds, decimal insuranceFund, decimal feePool)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(feeds);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sb = new StringBuilder(256);
        foreach (var a in accounts)
        {
            sb.Clear().Append('A').Append(a.Id).Append('|').Append((int)a.State).Append('|').Append((int)a.Account.Mode);
            foreach (var (asset, b) in a.Account.Balances)
            {
                sb.Append('|').Append(asset).Append('=').Append(N(b));
            }

            foreach (var (id, p) in a.Account.Positions)
            {
                sb.Append('|').Append(id).Append(':').Append(N(p.Size)).Append(',').Append(N(p.Cost)).Append(',').Append(N(p.IsolatedMargin));
            }

            hash.AppendData(Encoding.UTF8.GetBytes(sb.Append('\n').ToString()));
        }

        foreach (var (symbol, index, mark, offset) in feeds)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"F{symbol}|{N(index)}|{N(mark)}|{N(offset)}\n"));
        }

        hash.AppendData(Encoding.UTF8.GetBytes($"I{N(insuranceFund)}|{N(feePool)}\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Hashes the live state of <paramref name="host"/>.</summary>
    public static string Hash(EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Hash(host.Accounts(), host.Feeds.Values.Select(f => (f.Symbol, f.Index, f.Mark, f.ImpactOffset)), host.Coordinator.InsuranceFund, host.Coordinator.FeePool);
    }

    private static string N(decimal d) => (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
