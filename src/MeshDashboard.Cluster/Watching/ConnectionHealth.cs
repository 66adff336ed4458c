namespace MeshDashboard.Cluster.Watching;

/// <summary>
/// Whether the watch cache hears from the cluster: since when it does not (null: it does), and the last moment every
/// kind was known current. Pages, the API and readiness say "stale" from this; the pipeline pauses writes.
/// </summary>
public sealed record ConnectionHealth(DateTimeOffset? UnreachableSince, DateTimeOffset? CurrentAsOf, string? Reason)
{
    public static ConnectionHealth Connecting { get; } = new(null, null, null);

    public bool IsReachable => UnreachableSince is null;

    /// <summary>Unreachable for at least <paramref name="grace"/>: a watch that reconnects at once is not an outage.</summary>
    public bool IsStale(DateTimeOffset now, TimeSpan grace) => UnreachableSince is { } since && now - since >= grace;
}
