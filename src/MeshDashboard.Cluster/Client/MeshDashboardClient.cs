using System.Runtime.CompilerServices;
using MeshDashboard.Cluster.Connection;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Cluster.Client;

/// <summary>Serves the UI from the shared watch cache; derives one <see cref="MeshState"/> per snapshot.</summary>
public sealed class MeshDashboardClient(IMeshCache cache, ClusterInfo cluster) : IMeshDashboardClient
{
    private MeshState _last = new(MeshSnapshot.Empty);

    public ClusterInfo Cluster => cluster;

    public bool IsReady => cache.IsSynced;

    public MeshState Current => StateOf(cache.Current);

    public async IAsyncEnumerable<MeshState> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var snapshot in cache.SubscribeAsync(cancellationToken))
        {
            yield return StateOf(snapshot);
        }
    }

    public string VersionOf(MeshDashboard.Mesh.Catalog.MeshService service) => throw new NotSupportedException("change pipeline pending");

    public Task<Changes.ChangePreview> PreviewAsync(MeshDashboard.Mesh.Operations.ITrafficOperation operation, CancellationToken cancellationToken) => throw new NotSupportedException("change pipeline pending");

    public Task<Changes.ChangeOutcome> ApplyAsync(MeshDashboard.Mesh.Operations.ITrafficOperation operation, Changes.ChangeRequest request, CancellationToken cancellationToken) => throw new NotSupportedException("change pipeline pending");

    public Task<IReadOnlyList<Changes.HistoryEntry>> GetHistoryAsync(MeshDashboard.Mesh.Kubernetes.ObjectRef service, CancellationToken cancellationToken) => throw new NotSupportedException("change pipeline pending");

    public Task<MeshDashboard.Mesh.Operations.ITrafficOperation> RollbackOperationAsync(MeshDashboard.Mesh.Kubernetes.ObjectRef service, string? revision, CancellationToken cancellationToken) => throw new NotSupportedException("change pipeline pending");

    private MeshState StateOf(MeshSnapshot snapshot)
    {
        var last = Volatile.Read(ref _last);
        if (ReferenceEquals(last.Snapshot, snapshot))
        {
            return last;
        }
        var state = new MeshState(snapshot);
        Volatile.Write(ref _last, state);
        return state;
    }
}
