using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// The part of a pod the dashboard reads: identity, labels, its owner (which workload it belongs to) and whether it is
/// ready. A pod as the API server returns it is mostly containers, volumes and status detail (several KB each); the
/// watch cache keeps this projection instead, so a mesh of tens of thousands of pods costs the dashboard what it uses.
/// Pods are never written back, so nothing is lost by leaving the rest out.
/// </summary>
public static class PodProjection
{
    // A pod's uid and creation time are not read (pods are told apart by name, and their age is not shown).
    private static readonly string[] MetadataFields = ["name", "namespace", "resourceVersion", "labels", "deletionTimestamp"];

    // What names an owner; its uid and deletion flags are not read.
    private static readonly string[] OwnerFields = ["apiVersion", "kind", "name"];

    /// <summary>The projection of a pod held as a node tree (the sandbox's own pods, tests).</summary>
    public static JsonObject Lean(JsonObject pod)
    {
        using var document = JsonSerializer.SerializeToDocument(pod);
        return Lean(document.RootElement);
    }

    /// <summary>
    /// The projection read straight from a parsed pod (an item of a list page): only the kept fields become nodes, so
    /// the containers and statuses of each pod are skipped, never built.
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
            if (source.TryGetProperty("ownerReferences", out var owners) && owners.ValueKind == JsonValueKind.Array)
            {
                metadata["ownerReferences"] = new JsonArray([.. owners.EnumerateArray()
                    .Where(owner => owner.ValueKind == JsonValueKind.Object)
                    .Select(owner => (JsonNode)Fields(owner, OwnerFields))]);
            }
        }
        var status = new JsonObject();
        if (pod.TryGetProperty("status", out var podStatus) && podStatus.ValueKind == JsonValueKind.Object)
        {
            if (podStatus.TryGetProperty("phase", out var phase) && JsonElementNodes.ToNode(phase) is { } phaseNode)
            {
                status["phase"] = phaseNode;
            }
            // Readiness is the one condition read; a pod reports five or six, and each costs about half a KB as nodes.
            if (podStatus.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
            {
                status["conditions"] = new JsonArray([.. conditions.EnumerateArray()
                    .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("Ready"))
                    .Select(c => (JsonNode)Fields(c, ["type", "status"]))]);
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

    private static JsonObject Fields(JsonElement source, string[] names)
    {
        var kept = new JsonObject();
        foreach (var name in names)
        {
            if (source.TryGetProperty(name, out var value) && JsonElementNodes.ToNode(value) is { } node)
            {
                kept[name] = node;
            }
        }
        return kept;
    }
}
