using System.Security.Cryptography;
using CrossMargin.Engine.Reporting;
using CrossMargin.Persistence.Query;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Engine.Simulation;

/// <summary>Reads a journal back in ordering order: recomputes its hash and checks sequence numbers are contiguous per persistence id.</summary>
public static class JournalVerifier
{
    /// <summary>The result of a read-back.</summary>
    /// <param name="Hash">SHA-256 over the rows read (same framing as <see cref="JournalWriter"/>).</param>
    /// <param name="Events">Rows read.</param>
    /// <param name="Sequences">The contiguity invariant.</param>
    public sealed record Result(string Hash, long Events, InvariantResult Sequences);

    /// <summary>Reads every event with ordering &gt; 0, stopping before the first event of type <paramref name="stopAtType"/> when given.</summary>
    public static async Task<Result> VerifyAsync(IReadJournal read, EventSerializer serializer, Type? stopAtType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(serializer);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var scratch = new byte[8];
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        var gaps = new List<string>();
        long events = 0;
        await foreach (var env in read.CurrentAllEvents(0, cancellationToken).ConfigureAwait(false))
        {
            if (stopAtType is not null && env.Event.GetType() == stopAtType)
            {
                break;
            }

            var expected = (last.TryGetValue(env.PersistenceId, out var l) ? l : 0) + 1;
            if (env.SequenceNr != expected && gaps.Count < 10)
            {
                gaps.Add($"{env.PersistenceId}: sequence {env.SequenceNr} after {expected - 1}");
            }

            last[env.PersistenceId] = env.SequenceNr;
            var payload = serializer.Serialize(env.Event);
            JournalWriter.HashRow(hash, scratch, env.PersistenceId, env.SequenceNr, payload.Manifest, payload.Payload);
            events++;
        }

        var result = new InvariantResult("contiguous-sequence-numbers", gaps.Count == 0,
            gaps.Count > 0 ? string.Join("; ", gaps) : $"{last.Count} persistence ids, {events} events, no gaps");
        return new Result(Convert.ToHexStringLower(hash.GetHashAndReset()), events, result);
    }
}
