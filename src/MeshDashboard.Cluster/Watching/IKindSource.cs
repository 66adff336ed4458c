using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Watching;

public enum ChangeType
{
    Upsert,
    Delete,
    Bookmark,
    /// <summary>The server said the resourceVersion is too old (410 Gone): list again.</summary>
    Expired,
}

public readonly record struct KindChange(ChangeType Type, KubeObject? Object, string? ResourceVersion);

/// <summary>List and watch for one kind across all namespaces, each object as the cache keeps it.</summary>
public interface IKindSource
{
    ResourceKind Kind { get; }

    /// <summary>
    /// The dashboard works without this kind: when the cluster does not serve it or forbids reading it, it is shown as
    /// empty (and looked at again later) instead of holding back readiness.
    /// </summary>
    bool IsOptional => false;

    Task<(IReadOnlyList<KubeObject> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<KindChange> WatchAsync(string resourceVersion, CancellationToken cancellationToken);
}
