using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Patching;

/// <summary>JSON Merge Patch (RFC 7386): objects merge key by key, <c>null</c> deletes, anything else (lists included) replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? targetObject : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = Apply(result[key]?.DeepClone(), value);
                result[key] = merged;
            }
        }
        return result;
    }
}
