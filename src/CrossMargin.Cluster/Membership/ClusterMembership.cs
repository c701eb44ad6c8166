using System.Globalization;
using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Schema;
using Npgsql;
using Serilog;

namespace CrossMargin.Cluster.Membership;

/// <summary>
/// This node's row in <c>cm_cluster_members</c>: join with a fresh incarnation, heartbeat in the background, mark
/// leaving, leave; and the member list with "down" derived by the database clock.
/// </summary>
/// <remarks>
/// Thread-safe. A heartbeat that fails (database unreachable) is logged and retried on the next tick; the member is
/// seen down by others once <see cref="FailureTimeout"/> passes without one. If another process joined under the same
/// name (a new incarnation), this one's heartbeats stop matching and <see cref="Superseded"/> is raised once.
/// </remarks>
public sealed class ClusterMembership : IAsyncDisposable
{
    private readonly ClusterStore _store;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private CancellationTokenSource? _heartbeats;
    private Task _heartbeatLoop = Task.CompletedTask;
    private int _superseded;

    /// <summary>Creates the membership of node <paramref name="node"/>; nothing is written until <see cref="JoinAsync"/>.</summary>
    public ClusterMembership(ClusterStore store, string node, TimeSpan heartbeatInterval, TimeSpan failureTimeout, string? address = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        _store = store;
        Node = node;
        HeartbeatInterval = heartbeatInterval;
        FailureTimeout = failureTimeout;
        Address = string.IsNullOrEmpty(address) ? null : address;
        _log = (log ?? Serilog.Log.Logger).ForContext<ClusterMembership>();
    }

    /// <summary>Creates the membership with the node name and timings of <paramref name="settings"/>.</summary>
    public ClusterMembership(ClusterStore store, ClusterSettings settings, ILogger? log = null)
        : this(store, (settings ?? throw new ArgumentNullException(nameof(settings))).NodeName, settings.HeartbeatInterval, settings.FailureTimeout, settings.Address, log)
    {
    }

    /// <summary>This node's name.</summary>
    public string Node { get; }

    /// <summary>This life's incarnation, fresh at every <see cref="JoinAsync"/>; <see cref="Guid.Empty"/> before.</summary>
    public Guid Incarnation { get; private set; }

    /// <summary>The informational address written at join.</summary>
    public string? Address { get; }

    /// <summary>Heartbeat period.</summary>
    public TimeSpan HeartbeatInterval { get; }

    /// <summary>A member whose heartbeat is older than this is down.</summary>
    public TimeSpan FailureTimeout { get; }

    /// <summary>
    /// Raised once (on a heartbeat thread) when this node's row carries another incarnation: a second process joined
    /// under the same name. The node should stop: its leases are no longer renewable.
    /// </summary>
    public event Action? Superseded;

    /// <summary>Writes this node's row (status up, fresh incarnation, heartbeat now) and starts the heartbeat loop.</summary>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        var incarnation = Guid.NewGuid();
        await using (var command = _store.DataSource.CreateCommand(
            """
            INSERT INTO cm_cluster_members (node, incarnation, address, started_at, heartbeat_at, status)
            VALUES (@n, @i, @a, now(), now(), 'up')
            ON CONFLICT (node) DO UPDATE SET incarnation = excluded.incarnation, address = excluded.address,
              started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, status = excluded.status
            """))
        {
            command.Parameters.AddWithValue("n", Node);
            command.Parameters.AddWithValue("i", incarnation);
            command.Parameters.AddWithValue("a", (object?)Address ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        Incarnation = incarnation;
        _superseded = 0;
        _log.Information("Cluster member {Node} joined with incarnation {Incarnation}", Node, incarnation);
        StartHeartbeats();
    }

    /// <summary>Writes one heartbeat now. Returns false when the row belongs to another incarnation (superseded).</summary>
    public async Task<bool> HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _store.DataSource.CreateCommand("UPDATE cm_cluster_members SET heartbeat_at = now() WHERE node = @n AND incarnation = @i AND status <> 'left'");
        command.Parameters.AddWithValue("n", Node);
        command.Parameters.AddWithValue("i", Incarnation);
        var rows = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (rows == 0 && Interlocked.Exchange(ref _superseded, 1) == 0)
        {
            _log.Error("Cluster member {Node} incarnation {Incarnation} was superseded: its row belongs to another process now", Node, Incarnation);
            Superseded?.Invoke();
        }

        return rows > 0;
    }

    /// <summary>Marks this node leaving (it keeps heartbeating while it hands its leases off); others stop counting it in their share.</summary>
    public Task SetLeavingAsync(CancellationToken cancellationToken = default) => SetStatusAsync("leaving", cancellationToken);

    /// <summary>Stops the heartbeat loop and marks this node left. Call after its leases are released.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        await StopHeartbeatsAsync().ConfigureAwait(false);
        await SetStatusAsync("left", cancellationToken).ConfigureAwait(false);
        _log.Information("Cluster member {Node} left", Node);
    }

    /// <summary>Stops the heartbeat loop without writing anything (tests simulate a hung or dead node with it).</summary>
    public async Task StopHeartbeatsAsync()
    {
        CancellationTokenSource? cts;
        Task loop;
        lock (_gate)
        {
            cts = _heartbeats;
            loop = _heartbeatLoop;
            _heartbeats = null;
        }

        if (cts is not null)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
            cts.Dispose();
        }
    }

    /// <summary>Every member row with its effective status, sorted by name, using this membership's failure timeout.</summary>
    public Task<IReadOnlyList<MemberInfo>> ListMembersAsync(CancellationToken cancellationToken = default)
        => ListAsync(_store, FailureTimeout, cancellationToken);

    /// <summary>The live members (up, fresh heartbeat) sorted by name (ordinal): the allocation's member list.</summary>
    public async Task<IReadOnlyList<string>> LiveMemberNamesAsync(CancellationToken cancellationToken = default)
        => (await ListMembersAsync(cancellationToken).ConfigureAwait(false)).Where(m => m.IsLive).Select(m => m.Node).ToArray();

    /// <summary>
    /// Every member row of <paramref name="store"/>, sorted by name (ordinal), with <see cref="MemberStatus.Down"/>
    /// derived from <paramref name="failureTimeout"/> by the database clock.
    /// </summary>
    public static async Task<IReadOnlyList<MemberInfo>> ListAsync(ClusterStore store, TimeSpan failureTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var command = store.DataSource.CreateCommand(
            "SELECT node, incarnation, address, started_at, heartbeat_at, status, clock_timestamp(), heartbeat_at < clock_timestamp() - @t FROM cm_cluster_members");
        command.Parameters.AddWithValue("t", failureTimeout);
        var result = new List<MemberInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var stored = ParseStatus(reader.GetString(5));
            var stale = reader.GetBoolean(7);
            var effective = stored != MemberStatus.Left && stale ? MemberStatus.Down : stored;
            result.Add(new MemberInfo(
                reader.GetString(0),
                reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : Utc(reader.GetDateTime(3)),
                Utc(reader.GetDateTime(4)),
                stored,
                effective,
                Utc(reader.GetDateTime(6))));
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Node, b.Node));
        return result;
    }

    /// <summary>Stops the heartbeat loop (does not write left; call <see cref="LeaveAsync"/> for a clean exit).</summary>
    public async ValueTask DisposeAsync() => await StopHeartbeatsAsync().ConfigureAwait(false);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);

    private static MemberStatus ParseStatus(string text) => text switch
    {
        "up" => MemberStatus.Up,
        "leaving" => MemberStatus.Leaving,
        "left" => MemberStatus.Left,
        _ => throw new InvalidOperationException($"cm_cluster_members.status = '{text}' is not up, leaving or left"),
    };

    private void StartHeartbeats()
    {
        lock (_gate)
        {
            if (_heartbeats is not null)
            {
                return;
            }

            _heartbeats = new CancellationTokenSource();
            var token = _heartbeats.Token;
            _heartbeatLoop = Task.Run(() => HeartbeatLoopAsync(token), CancellationToken.None);
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.Warning("Heartbeat of {Node} failed, retrying in {Interval}: {Error}", Node, HeartbeatInterval, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task SetStatusAsync(string status, CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand("UPDATE cm_cluster_members SET status = @s, heartbeat_at = now() WHERE node = @n AND incarnation = @i");
        command.Parameters.AddWithValue("s", status);
        command.Parameters.AddWithValue("n", Node);
        command.Parameters.AddWithValue("i", Incarnation);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Node}/{Incarnation}");
}
