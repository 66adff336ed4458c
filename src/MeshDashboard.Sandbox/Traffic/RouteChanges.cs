using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// What an edit between two snapshots may change in the simulator's routes: the hosts whose route is decided anew. A
/// mesh request's route is decided by the VirtualServices whose hosts cover the request's host and by the Service of that
/// host (<see cref="MeshDashboard.Mesh.Simulation.RequestSimulator"/> reads nothing else of the snapshot; which pod
/// answers, and so DestinationRules and pods, is looked up per request). A VirtualService with a wildcard host, or any
/// Gateway change, may cover any host: then every route is decided anew.
/// </summary>
/// <remarks>
/// Found by walking the two snapshots' objects of those kinds side by side, in their (namespace, name) order, and
/// comparing them by reference: a snapshot shares every object an edit did not touch, and a kind nobody wrote is the
/// same map in both (<see cref="MeshSnapshot.VersionOf"/>), so an edit costs a walk without allocations, not a rebuild.
/// </remarks>
internal sealed record RouteChanges(bool Everything, IReadOnlySet<string> Hosts)
{
    private static readonly IReadOnlySet<string> NoHosts = new HashSet<string>();
    private static readonly Comparer<(string, string)> Order = Comparer<(string, string)>.Default;

    public static RouteChanges All { get; } = new(true, NoHosts);

    public static RouteChanges Between(MeshSnapshot older, MeshSnapshot newer)
    {
        if (!ReferenceEquals(older.VersionOf(ResourceKind.Gateway), newer.VersionOf(ResourceKind.Gateway)))
        {
            return All;
        }
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in Changed(older, newer, ResourceKind.Service))
        {
            hosts.Add(HostNames.ServiceFqdn(service.Namespace, service.Name).ToLowerInvariant());
        }
        foreach (var vs in Changed(older, newer, ResourceKind.VirtualService))
        {
            foreach (var host in VirtualServiceView.From(vs).Hosts.Select(h => HostNames.Resolve(h, vs.Namespace).ToLowerInvariant()))
            {
                if (host.Contains('*', StringComparison.Ordinal))
                {
                    return All;
                }
                hosts.Add(host);
            }
        }
        return hosts.Count == 0 ? new RouteChanges(false, NoHosts) : new RouteChanges(false, hosts);
    }

    // The objects of a kind that differ between the snapshots: each side's version of an object added, removed or replaced.
    private static IEnumerable<KubeObject> Changed(MeshSnapshot older, MeshSnapshot newer, ResourceKind kind)
    {
        if (ReferenceEquals(older.VersionOf(kind), newer.VersionOf(kind)))
        {
            yield break;
        }
        using var before = older.Of(kind).GetEnumerator();
        using var after = newer.Of(kind).GetEnumerator();
        var hasBefore = before.MoveNext();
        var hasAfter = after.MoveNext();
        while (hasBefore || hasAfter)
        {
            var order = !hasBefore ? 1 : !hasAfter ? -1 : Order.Compare((before.Current.Namespace, before.Current.Name), (after.Current.Namespace, after.Current.Name));
            if (order < 0)
            {
                yield return before.Current;
                hasBefore = before.MoveNext();
            }
            else if (order > 0)
            {
                yield return after.Current;
                hasAfter = after.MoveNext();
            }
            else
            {
                if (!ReferenceEquals(before.Current, after.Current))
                {
                    yield return before.Current;
                    yield return after.Current;
                }
                hasBefore = before.MoveNext();
                hasAfter = after.MoveNext();
            }
        }
    }
}
