using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// The pods a destination (host and optional subset) reaches, as the catalog counts them: the Service's selected pods,
/// narrowed by the subset's labels; ready means the pod's <c>Ready</c> condition is <c>True</c> (<see cref="MeshIndex.IsReady"/>),
/// which is what puts a pod into the Service's endpoints.
/// </summary>
internal sealed record Endpoints(KubeObject Service, int Pods, int Ready)
{
    /// <summary>
    /// Null when the pods are not known from the snapshot: the host is not a Service of the cluster (MD001), the Service
    /// has no selector (its endpoints are managed by hand), or the subset is not defined (MD002).
    /// </summary>
    public static Endpoints? Of(MeshIndex index, string host, string? subset, string ns)
    {
        var fqdn = HostNames.Resolve(host, ns);
        if (index.ServiceByFqdn(fqdn) is not { } service || service.Spec.Obj("selector").ToStringMap().Count == 0)
        {
            return null;
        }
        IEnumerable<KubeObject> pods = index.PodsOf(service);
        if (subset is not null)
        {
            var defined = index.DestinationRulesFor(fqdn).SelectMany(dr => dr.Subsets).FirstOrDefault(s => s.Name == subset);
            if (defined is null)
            {
                return null;
            }
            pods = pods.Where(p => defined.Selects(p.Labels));
        }
        var list = pods.ToList();
        return new Endpoints(service, list.Count, list.Count(MeshIndex.IsReady));
    }
}
