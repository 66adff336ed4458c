using System.Collections.Immutable;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Client;

/// <summary>
/// One snapshot and what the dashboard derives from it (the service catalog, the analyzer's findings), computed once
/// per snapshot and shared by every page that shows it. A state that follows another is derived from it: only what
/// the changed objects touch is computed again (see <see cref="MeshCatalog.Next"/>).
/// </summary>
public sealed class MeshState
{
    private readonly Lazy<MeshCatalog> _catalog;
    private readonly Lazy<IReadOnlyList<RecentChange>> _recentChanges;

    // How many states before this one were derived without being read (see Next).
    private readonly int _unreadAncestors;

    /// <summary>How many states in a row may be derived without being read before one is built from nothing.</summary>
    public const int MaxUnreadChain = 256;

    public MeshState(MeshSnapshot snapshot, ConnectionHealth? health = null)
        : this(snapshot, health ?? ConnectionHealth.Connecting, new Lazy<MeshCatalog>(() => MeshCatalog.Build(snapshot)), recentChanges: null, unreadAncestors: 0)
    {
    }

    // recentChanges: the list to share when its ConfigMap did not change; null reads it from the snapshot.
    private MeshState(MeshSnapshot snapshot, ConnectionHealth health, Lazy<MeshCatalog> catalog, Lazy<IReadOnlyList<RecentChange>>? recentChanges, int unreadAncestors)
    {
        Snapshot = snapshot;
        Health = health;
        _catalog = catalog;
        _recentChanges = recentChanges ?? new(() => ChangeHistoryStore.RecentOf(snapshot.Of(ResourceKind.ConfigMap)
            .FirstOrDefault(c => c.Name == ChangeHistoryStore.RecentChangesName)?.Raw));
        _unreadAncestors = unreadAncestors;
    }

    /// <summary>
    /// The state of <paramref name="snapshot"/>, which differs from this state's in <paramref name="changed"/> (null: not
    /// known). Its catalog is derived from this state's when asked for, even through states nobody read; past
    /// <see cref="MaxUnreadChain"/> unread states it is built from nothing instead, so an idle process keeps no long chain.
    /// </summary>
    public MeshState Next(MeshSnapshot snapshot, IReadOnlyCollection<ObjectRef>? changed, ConnectionHealth health)
    {
        var unread = _catalog.IsValueCreated ? 0 : _unreadAncestors + 1;
        if (changed is null || unread > MaxUnreadChain)
        {
            return new MeshState(snapshot, health);
        }
        var previous = _catalog;
        var recentChanges = changed.Any(r => r.Kind == ResourceKind.ConfigMap) ? null : _recentChanges;
        return new MeshState(snapshot, health, new Lazy<MeshCatalog>(() => previous.Value.Next(snapshot, changed)), recentChanges, unread);
    }

    public MeshSnapshot Snapshot { get; }

    /// <summary>Whether this state is current: an outage leaves the last state known, marked with when it was.</summary>
    public ConnectionHealth Health { get; }

    /// <summary>The same state under other connection news, sharing everything derived from the snapshot.</summary>
    public MeshState WithHealth(ConnectionHealth health) =>
        ReferenceEquals(health, Health) ? this : new(Snapshot, health, _catalog, _recentChanges, _unreadAncestors);

    /// <summary>The index, services and findings of this snapshot.</summary>
    public MeshCatalog Catalog => _catalog.Value;

    public ImmutableArray<MeshService> Services => Catalog.Services;

    public ImmutableArray<Finding> Findings => Catalog.Findings;

    /// <summary>The latest changes of every service, newest first, as the watch last saw them.</summary>
    public IReadOnlyList<RecentChange> RecentChanges => _recentChanges.Value;

    /// <summary>The labels of the service's pods that could become subsets (see <see cref="ServiceCatalog.LabelSpread"/>).</summary>
    public ImmutableArray<PodLabelSpread> PodLabelsOf(MeshService service) =>
        ServiceCatalog.LabelSpread(service.Service, Catalog.Index.PodsOf(service.Service));

    /// <summary>The pods the service selects, for telling which versions its subsets hold.</summary>
    public IReadOnlyList<KubeObject> PodsOf(MeshService service) => Catalog.Index.PodsOf(service.Service);

    public MeshService? FindService(string ns, string name) => Catalog.Find(ns, name);
}
