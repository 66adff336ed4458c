using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Tests.Api;

/// <summary>The real client, except that applying a change throws: an unhandled exception inside an API endpoint.</summary>
internal sealed class ThrowingMeshDashboardClient(IMeshDashboardClient inner) : IMeshDashboardClient
{
    /// <summary>The exception's text, which must never reach the caller.</summary>
    public const string Secret = "connection string Password=hunter2";

    public ClusterInfo Cluster => inner.Cluster;

    public bool IsReady => inner.IsReady;

    public MeshState Current => inner.Current;

    public IAsyncEnumerable<MeshState> SubscribeAsync(CancellationToken cancellationToken) => inner.SubscribeAsync(cancellationToken);

    public string VersionOf(MeshService service) => inner.VersionOf(service);

    public Task<string?> WhyCannotChangeAsync(ObjectRef service, CancellationToken cancellationToken) => inner.WhyCannotChangeAsync(service, cancellationToken);

    public Task<ChangePreview> PreviewAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken) =>
        inner.PreviewAsync(operation, request, cancellationToken);

    public Task<ChangeOutcome> ApplyAsync(ITrafficOperation operation, ChangeRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Secret);

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(ObjectRef service, CancellationToken cancellationToken) => inner.GetHistoryAsync(service, cancellationToken);

    public Task<IReadOnlyList<RecentChange>> GetRecentChangesAsync(CancellationToken cancellationToken) => inner.GetRecentChangesAsync(cancellationToken);

    public Task<ITrafficOperation> RollbackOperationAsync(ObjectRef service, string? revision, CancellationToken cancellationToken) =>
        inner.RollbackOperationAsync(service, revision, cancellationToken);
}
