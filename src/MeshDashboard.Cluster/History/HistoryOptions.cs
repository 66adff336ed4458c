namespace MeshDashboard.Cluster.History;

/// <summary>Configuration section <c>History</c>: where change history is kept in the cluster.</summary>
public sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary>The dashboard's own namespace; one ConfigMap per service is kept there.</summary>
    public string Namespace { get; set; } = "meshdashboard";

    /// <summary>Changes kept per service besides the baseline (retention by count, never by size); older ones are pruned.</summary>
    public int MaxEntries { get; set; } = 100;
}
