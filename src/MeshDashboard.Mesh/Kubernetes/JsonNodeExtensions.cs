using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>Tolerant readers for JSON nodes: a missing field or a field of another type reads as absent.</summary>
public static class JsonNodeExtensions
{
    public static string? Str(this JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static long? Int(this JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n) ? n : null;

    public static double? Number(this JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : null;

    public static bool? Bool(this JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    public static JsonObject? Obj(this JsonNode? node, string property) => node is JsonObject obj ? obj[property] as JsonObject : null;

    public static JsonArray? Arr(this JsonNode? node, string property) => node is JsonObject obj ? obj[property] as JsonArray : null;

    public static IReadOnlyList<string> Strings(this JsonNode? node, string property) =>
        node.Arr(property)?.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList() ?? [];

    public static IReadOnlyDictionary<string, string> ToStringMap(this JsonNode? node) =>
        node is JsonObject obj
            ? obj.Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
            : new Dictionary<string, string>();

    /// <summary>Returns the child object at <paramref name="property"/>, creating it when absent.</summary>
    public static JsonObject GetOrAddObject(this JsonObject obj, string property)
    {
        if (obj[property] is JsonObject existing)
        {
            return existing;
        }
        var created = new JsonObject();
        obj[property] = created;
        return created;
    }
}
