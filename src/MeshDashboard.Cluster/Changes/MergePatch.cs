using System.Text.Json.Nodes;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// Builds the JSON merge patch (RFC 7386) that turns one object into another: changed values are set, removed keys are
/// null, unchanged keys are left out, arrays are replaced whole (as merge patch always does). Sent with the
/// resourceVersion the change was planned on, it writes exactly the difference, and the API server refuses it (409)
/// when the object moved meanwhile.
/// </summary>
public static class MergePatch
{
    /// <summary>The patch from <paramref name="before"/> to <paramref name="after"/>, or null when they are equal.</summary>
    public static JsonNode? Diff(JsonNode? before, JsonNode? after)
    {
        if (before is JsonObject from && after is JsonObject to)
        {
            var patch = new JsonObject();
            foreach (var (key, value) in from)
            {
                if (!to.ContainsKey(key))
                {
                    patch[key] = null;
                }
                else if (Diff(value, to[key]) is { } child)
                {
                    patch[key] = child;
                }
                else if (value is not null && to[key] is null)
                {
                    patch[key] = null;
                }
            }
            foreach (var (key, value) in to)
            {
                if (!from.ContainsKey(key) && value is not null)
                {
                    patch[key] = value.DeepClone();
                }
            }
            return patch.Count == 0 ? null : patch;
        }
        return JsonNode.DeepEquals(before, after) ? null : after?.DeepClone();
    }
}
