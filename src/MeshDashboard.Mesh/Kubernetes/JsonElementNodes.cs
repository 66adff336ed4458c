using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// Turns a part of a parsed document into a node tree that owns its values. <c>JsonNode.Parse</c> builds its nodes
/// lazily over the document it read, so an item kept from a list page would keep the whole page's buffer alive; an
/// item taken out with this keeps only itself.
/// </summary>
public static class JsonElementNodes
{
    public static JsonNode? ToNode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToObject(element),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(ToNode)]),
        JsonValueKind.String => JsonValue.Create(element.GetString()),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        // A number keeps its text exactly as written (1.0 stays 1.0, a large integer is not rounded), in a copy of its own.
        JsonValueKind.Number => JsonValue.Create(element.Clone()),
        _ => null,
    };

    public static JsonObject ToObject(JsonElement element)
    {
        var result = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            result[property.Name] = ToNode(property.Value);
        }
        return result;
    }
}
