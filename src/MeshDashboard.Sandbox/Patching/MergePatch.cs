using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Patching;

/// <summary>JSON Merge Patch (RFC 7386): objects merge key by key, <c>null</c> deletes, anything else (lists included) replaces.</summary>
public static class MergePatch
{
    /// <summary>
    /// A merge patch of a whole object must itself be an object. kube-apiserver decodes the patch into a map first and
    /// answers 400 when it is not one (an array: "error decoding patch"); a <c>null</c> patch passes that step and is then
    /// refused by json-patch as <c>ErrBadJSONPatch</c>, also 400 (staging/.../endpoints/handlers/patch.go, applyJSPatch).
    /// </summary>
    public static JsonObject CheckIsObject(JsonNode? patch) => patch switch
    {
        JsonObject patchObject => patchObject,
        null => throw ApiException.BadRequest("Invalid JSON Patch"),
        JsonArray => throw ApiException.BadRequest("error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}"),
        _ => throw ApiException.BadRequest($"error decoding patch: json: cannot unmarshal {Describe(patch)} into Go value of type map[string]interface {{}}"),
    };

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

    private static string Describe(JsonNode patch) => patch.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => "string",
        System.Text.Json.JsonValueKind.Number => "number",
        _ => "bool",
    };
}
