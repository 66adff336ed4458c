using System.Text.Json.Nodes;

namespace MeshDashboard.Cluster.Changes;

/// <summary>Whether a live object says what a recorded state says, in the parts people own (spec, labels, annotations).</summary>
public static class ObjectContent
{
    /// <summary>True when both are absent, or both exist with equal spec, labels and annotations (an empty map equals none).</summary>
    public static bool Same(JsonObject? live, JsonObject? recorded)
    {
        if (live is null || recorded is null)
        {
            return live is null && recorded is null;
        }
        return JsonNode.DeepEquals(live["spec"], recorded["spec"])
            && SameMap(live["metadata"]?["labels"], recorded["metadata"]?["labels"])
            && SameMap(live["metadata"]?["annotations"], recorded["metadata"]?["annotations"]);
    }

    private static bool SameMap(JsonNode? a, JsonNode? b) =>
        JsonNode.DeepEquals(a is JsonObject { Count: 0 } ? null : a, b is JsonObject { Count: 0 } ? null : b);
}
