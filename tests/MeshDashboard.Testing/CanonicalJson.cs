using System.Text.Json.Nodes;

namespace MeshDashboard.Testing;

/// <summary>JSON text with object keys sorted, so two documents compare byte for byte regardless of key order.</summary>
public static class CanonicalJson
{
    public static string Of(JsonNode? node) => Sort(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sort).ToArray()),
        _ => node?.DeepClone(),
    };
}
