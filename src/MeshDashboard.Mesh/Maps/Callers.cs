using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Traffic;

namespace MeshDashboard.Mesh.Maps;

/// <summary>
/// Turns Istio's callers (workloads) into the mesh map's boxes (services): a workload is the service whose selector
/// picks its pods. Istio names a pod's workload after its Deployment, which is the pod's name before the ReplicaSet's
/// <c>pod-template-hash</c> (istio.io/latest/docs/reference/config/metrics, "Source Workload"); a workload whose pods no
/// service selects (a job, a load generator) stays a workload.
/// </summary>
public static class Callers
{
    public static ImmutableArray<TrafficEdge> Resolve(MeshIndex index, IEnumerable<CallRate> calls)
    {
        var list = calls.ToList();
        var wanted = list.Select(c => (c.SourceNamespace, c.SourceWorkload)).ToHashSet();
        var namespaces = wanted.Select(w => w.SourceNamespace).ToHashSet(StringComparer.Ordinal);
        var serviceOf = new Dictionary<(string, string), string>();
        foreach (var pod in index.Snapshot.Of(ResourceKind.Pod))
        {
            if (!namespaces.Contains(pod.Namespace))
            {
                continue;
            }
            var key = (pod.Namespace, WorkloadOf(pod));
            if (wanted.Contains(key) && !serviceOf.ContainsKey(key) && index.ServicesSelecting(pod.Namespace, pod.Labels).FirstOrDefault() is { } service)
            {
                serviceOf[key] = service.Name;
            }
        }
        return [.. list.Select(c => serviceOf.TryGetValue((c.SourceNamespace, c.SourceWorkload), out var service)
            ? new TrafficEdge(c.SourceNamespace, service, true, c.DestinationNamespace, c.DestinationName, c.Figures)
            : new TrafficEdge(c.SourceNamespace, c.SourceWorkload, false, c.DestinationNamespace, c.DestinationName, c.Figures))];
    }

    /// <summary>The Deployment a pod belongs to: its name without the ReplicaSet's hash and the pod's own suffix.</summary>
    public static string WorkloadOf(KubeObject pod)
    {
        if (pod.Labels.TryGetValue("pod-template-hash", out var hash))
        {
            var marker = "-" + hash + "-";
            var at = pod.Name.LastIndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                return pod.Name[..at];
            }
        }
        return pod.Name;
    }
}
