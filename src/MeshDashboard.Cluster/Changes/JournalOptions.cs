namespace MeshDashboard.Cluster.Changes;

/// <summary>Configuration section <c>Journal</c>: when open changes are finished or undone.</summary>
public sealed class JournalOptions
{
    public const string SectionName = "Journal";

    /// <summary>
    /// How old another process's open change must be before this one resolves it: longer than any replica can still be
    /// writing it. Changes this process itself left open are resolved at the next check.
    /// </summary>
    public TimeSpan RecoverAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often open changes are looked for (one list request of the journal ConfigMaps).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
