using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// The part of a pod the dashboard reads: identity, labels, owners and readiness. A pod as the API server returns it
/// is mostly containers, volumes and status detail (several KB each); the watch cache keeps this projection instead, so
/// a mesh of tens of thousands of pods costs the dashboard what it uses. Pods are never written back, so nothing is
/// lost by leaving the rest out.
/// </summary>
public static class PodProjection
{
    private static readonly string[] MetadataFields = ["name", "namespace", "uid", "resourceVersion", "labels", "ownerReferences", "creationTimestamp", "deletionTimestamp"];

    public static JsonObject Lean(JsonObject pod)
    {
        var metadata = new JsonObject();
        if (pod["metadata"] is JsonObject source)
        {
            foreach (var field in MetadataFields)
            {
                if (source[field] is { } value)
                {
                    metadata[field] = value.DeepClone();
                }
            }
        }
        var status = new JsonObject();
        if (pod["status"] is JsonObject podStatus)
        {
            if (podStatus["phase"] is { } phase)
            {
                status["phase"] = phase.DeepClone();
            }
            if (podStatus["conditions"] is JsonArray conditions)
            {
                status["conditions"] = new JsonArray([.. conditions.OfType<JsonObject>().Select(c => (JsonNode)new JsonObject
                {
                    ["type"] = c["type"]?.DeepClone(),
                    ["status"] = c["status"]?.DeepClone(),
                })]);
            }
        }
        return new JsonObject
        {
            ["apiVersion"] = pod["apiVersion"]?.DeepClone() ?? "v1",
            ["kind"] = pod["kind"]?.DeepClone() ?? "Pod",
            ["metadata"] = metadata,
            ["status"] = status,
        };
    }
    /// <summary>
    /// The same projection read straight from a pod in a parsed list page: only the kept fields become nodes, so the
    /// several KB of containers and statuses of each pod are skipped, never built.
    /// </summary>
    public static JsonObject Lean(JsonElement pod)
    {
        var metadata = new JsonObject();
        if (pod.TryGetProperty("metadata", out var source) && source.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in MetadataFields)
            {
                if (source.TryGetProperty(field, out var value) && JsonElementNodes.ToNode(value) is { } node)
                {
                    metadata[field] = node;
                }
            }
        }
        var status = new JsonObject();
        if (pod.TryGetProperty("status", out var podStatus) && podStatus.ValueKind == JsonValueKind.Object)
        {
            if (podStatus.TryGetProperty("phase", out var phase) && JsonElementNodes.ToNode(phase) is { } phaseNode)
            {
                status["phase"] = phaseNode;
            }
            if (podStatus.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
            {
                status["conditions"] = new JsonArray([.. conditions.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(c => (JsonNode)new JsonObject
                {
                    ["type"] = c.TryGetProperty("type", out var type) ? JsonElementNodes.ToNode(type) : null,
                    ["status"] = c.TryGetProperty("status", out var conditionStatus) ? JsonElementNodes.ToNode(conditionStatus) : null,
                })]);
            }
        }
        return new JsonObject
        {
            ["apiVersion"] = (pod.TryGetProperty("apiVersion", out var apiVersion) ? JsonElementNodes.ToNode(apiVersion) : null) ?? "v1",
            ["kind"] = (pod.TryGetProperty("kind", out var kind) ? JsonElementNodes.ToNode(kind) : null) ?? "Pod",
            ["metadata"] = metadata,
            ["status"] = status,
        };
    }
}
