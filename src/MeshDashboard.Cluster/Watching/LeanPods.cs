using System.Text;
using k8s;
using k8s.Models;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Watching;

/// <summary>
/// The <see cref="PodSummary"/> of a pod a watch event carried (the client hands it over typed). One pod
/// per event, so writing it out and reading it back costs little; the first sync, where it would cost most, reads its
/// pages as JSON and never builds typed pods.
/// </summary>
internal static class LeanPods
{
    public static KubeObject From(V1Pod pod) => new(PodSummary.Read(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(pod))));
}
