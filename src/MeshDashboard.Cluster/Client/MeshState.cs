using System.Collections.Immutable;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Client;

/// <summary>
/// One snapshot and what the dashboard derives from it (the service catalog, the analyzer's findings),
/// computed once per snapshot and shared by every page that shows it.
/// </summary>
public sealed class MeshState
{
    private readonly Lazy<ImmutableArray<MeshService>> _services;
    private readonly Lazy<ImmutableArray<Finding>> _findings;
    private readonly Lazy<IReadOnlyList<RecentChange>> _recentChanges;
    private readonly Lazy<MeshIndex> _index;

    public MeshState(MeshSnapshot snapshot, ConnectionHealth? health = null)
    {
        Snapshot = snapshot;
        Health = health ?? ConnectionHealth.Connecting;
        // One index and one analyzer pass per snapshot, shared by the catalog and the findings list.
        _index = new(() => new MeshIndex(snapshot));
        _findings = new(() => MeshAnalyzer.Analyze(snapshot, _index.Value));
        _services = new(() => ServiceCatalog.Build(snapshot, _index.Value, _findings.Value));
        _recentChanges = new(() => ChangeHistoryStore.RecentOf(snapshot.Of(ResourceKind.ConfigMap)
            .FirstOrDefault(c => c.Name == ChangeHistoryStore.RecentChangesName)?.Raw));
    }

    private MeshState(MeshState state, ConnectionHealth health)
    {
        Snapshot = state.Snapshot;
        Health = health;
        _index = state._index;
        _findings = state._findings;
        _services = state._services;
        _recentChanges = state._recentChanges;
    }

    public MeshSnapshot Snapshot { get; }

    /// <summary>Whether this state is current: an outage leaves the last state known, marked with when it was.</summary>
    public ConnectionHealth Health { get; }

    /// <summary>The same state under other connection news, sharing everything derived from the snapshot.</summary>
    public MeshState WithHealth(ConnectionHealth health) => ReferenceEquals(health, Health) ? this : new(this, health);

    public ImmutableArray<MeshService> Services => _services.Value;

    public ImmutableArray<Finding> Findings => _findings.Value;

    /// <summary>The latest changes of every service, newest first, as the watch last saw them.</summary>
    public IReadOnlyList<RecentChange> RecentChanges => _recentChanges.Value;

    /// <summary>The labels of the service's pods that could become subsets (see <see cref="ServiceCatalog.LabelSpread"/>).</summary>
    public ImmutableArray<PodLabelSpread> PodLabelsOf(MeshService service) =>
        ServiceCatalog.LabelSpread(service.Service, _index.Value.PodsOf(service.Service));

    /// <summary>The pods the service selects, for telling which versions its subsets hold.</summary>
    public IReadOnlyList<KubeObject> PodsOf(MeshService service) => _index.Value.PodsOf(service.Service);

    public MeshService? FindService(string ns, string name) =>
        Services.FirstOrDefault(s => s.Namespace == ns && s.Name == name);
}
