using MeshDashboard.Cluster.Connection;

namespace MeshDashboard.Cluster.Client;

/// <summary>
/// The one interface between the UI (and the automation API) and the cluster. Pages read live state
/// from it and ask it for changes; they never see a Kubernetes client.
/// </summary>
public interface IMeshDashboardClient
{
    ClusterInfo Cluster { get; }

    /// <summary>True once the watch cache has listed every kind.</summary>
    bool IsReady { get; }

    MeshState Current { get; }

    /// <summary>The current state, then each newer one (intermediate states may be skipped).</summary>
    IAsyncEnumerable<MeshState> SubscribeAsync(CancellationToken cancellationToken);
}
