using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// The part of a pod the dashboard reads (<see cref="PodSummary"/>) as JSON: identity, labels, owners, phase, address
/// and the Ready condition. A pod as the API server returns it is mostly containers, volumes and status detail (several
/// KB each). Pods are never written back, so nothing is lost by leaving the rest out.
/// </summary>
public static class PodProjection
{
    /// <summary>The projection of a pod held as a node tree (the sandbox's own pods, tests).</summary>
    public static JsonObject Lean(JsonObject pod)
    {
        using var document = JsonSerializer.SerializeToDocument(pod);
        return Lean(document.RootElement);
    }

    /// <summary>The projection read straight from a parsed pod: only the kept fields are read.</summary>
    public static JsonObject Lean(JsonElement pod) => PodSummary.Read(pod).ToJson();
}
