using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// The mesh as the standalone sandbox's simulator reads it from its own store: read again when the store's revision
/// moved (so a <c>kubectl apply</c> takes effect at the next tick), parsing only the objects written since, and
/// deriving the next snapshot and index from the previous ones with those objects replaced.
/// </summary>
internal sealed class StoreTrafficMesh(ObjectStore store) : ITrafficMeshSource
{
    // The kinds the simulated requests are routed by: built-in ones, and Istio's as their CRDs serve them now.
    private static readonly (string Group, string Version, string Kind, ResourceKind MeshKind)[] Kinds =
    [
        ("", "v1", "Service", ResourceKind.Service),
        ("", "v1", "Pod", ResourceKind.Pod),
        (ResourceTypes.IstioNetworkingGroup, "v1", "VirtualService", ResourceKind.VirtualService),
        (ResourceTypes.IstioNetworkingGroup, "v1", "DestinationRule", ResourceKind.DestinationRule),
        (ResourceTypes.IstioNetworkingGroup, "v1", "Gateway", ResourceKind.Gateway),
    ];

    private long _revision = -1;
    private MeshIndex _index = new(MeshSnapshot.Empty);

    // Objects as read, by the version they were read at.
    private Dictionary<ObjectKey, (long ResourceVersion, KubeObject Object)> _read = [];

    public MeshIndex Current
    {
        get
        {
            var revision = store.Revision;
            if (revision == _revision)
            {
                return _index;
            }
            var seen = new Dictionary<ObjectKey, (long, KubeObject)>(_read.Count);
            var written = new List<KubeObject>();
            foreach (var (group, version, kind, meshKind) in Kinds)
            {
                if (store.Types.FindKind(group, version, kind) is not { } type)
                {
                    continue;
                }
                foreach (var stored in store.List(type, null).Items)
                {
                    if (_read.TryGetValue(stored.Key, out var known) && known.ResourceVersion == stored.ResourceVersion)
                    {
                        seen[stored.Key] = known;
                        continue;
                    }
                    var read = Own(stored, meshKind);
                    seen[stored.Key] = (stored.ResourceVersion, read);
                    written.Add(read);
                }
            }
            var removed = _read.Where(r => !seen.ContainsKey(r.Key)).Select(r => r.Value.Object.Ref).ToList();
            if (written.Count > 0 || removed.Count > 0)
            {
                var snapshot = removed.Aggregate(_index.Snapshot.WithMany(written), (next, gone) => next.Without(gone));
                _index = _index.With(snapshot, written.Select(o => o.Ref).Concat(removed));
            }
            _read = seen;
            _revision = revision;
            return _index;
        }
    }

    /// <summary>
    /// The part of the object the simulator reads, as a node tree of its own taken from the stored bytes (a tree from
    /// <c>JsonNode.Parse</c> would keep the whole parsed document alive under every value taken from it). Pods are kept as
    /// the dashboard's watch cache keeps them, as their <see cref="PodSummary"/> (their staged-traffic annotations are
    /// read apart, see <see cref="StagedPods"/>). Of other kinds, the fields managers wrote are left out.
    /// </summary>
    private static KubeObject Own(StoredObject stored, ResourceKind kind)
    {
        if (kind == ResourceKind.Pod)
        {
            return new KubeObject(PodSummary.Read(stored.Utf8Json.Span));
        }
        var reader = new Utf8JsonReader(stored.Utf8Json.Span);
        reader.Read();
        var whole = JsonElementNodes.ReadObject(ref reader);
        (whole["metadata"] as JsonObject)?.Remove("managedFields");
        return new KubeObject(kind, whole);
    }
}
