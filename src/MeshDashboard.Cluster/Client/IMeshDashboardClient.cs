using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

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

    /// <summary>An opaque version of a service's traffic configuration (the API's ETag).</summary>
    string VersionOf(MeshService service);

    /// <summary>
    /// Null when the caller may change the service's traffic; otherwise why not (their role, another controller
    /// owning it, or the cluster's RBAC as a SelfSubjectAccessReview answers), for the UI to disable its controls.
    /// </summary>
    Task<string?> WhyCannotChangeAsync(ObjectRef service, CancellationToken cancellationToken);

    /// <summary>Plans the operation on the live state and shows what it would do; writes nothing.</summary>
    /// <exception cref="OperationException">The input is invalid; the errors name the fields.</exception>
    Task<ChangePreview> PreviewAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken);

    /// <summary>Applies the operation through the guarded write path and records it in the history.</summary>
    Task<ChangeOutcome> ApplyAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken);

    /// <summary>The service's change history, newest first; the oldest entry is the baseline before the first change.</summary>
    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(ObjectRef service, CancellationToken cancellationToken);

    /// <summary>The latest changes of every service made with MeshDashboard, newest first.</summary>
    Task<IReadOnlyList<RecentChange>> GetRecentChangesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The operation that restores the state before the latest change (<paramref name="revision"/> null) or the
    /// state recorded by a history entry. Preview and apply it like any other change.
    /// </summary>
    Task<ITrafficOperation> RollbackOperationAsync(ObjectRef service, string? revision, CancellationToken cancellationToken);
}
