using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// Turns a part of a parsed document into a node tree that owns its values. <c>JsonNode.Parse</c> builds its nodes
/// lazily over the document it read, so an item kept from a list page would keep the whole page's buffer alive; an
/// item taken out with this keeps only itself.
/// </summary>
/// <remarks>
/// Property names, and short values that recur across objects ("True", "apps/v1", a label like "version: v2"), are
/// shared between objects instead of copied into each: tens of thousands of cached objects repeat the same few thousand
/// strings, and a node tree is mostly such strings (measured at 5,000 services: a pod's lean projection took 7.3 KB).
/// </remarks>
public static class JsonElementNodes
{
    // Values that are unique per object are not worth a pool entry.
    private static readonly HashSet<string> UniqueValued = ["name", "uid", "resourceVersion", "generateName", "creationTimestamp", "deletionTimestamp", "clusterIP"];

    public static JsonNode? ToNode(JsonElement element) => ToNode(element, shareStrings: true);

    public static JsonObject ToObject(JsonElement element)
    {
        var result = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            var name = SharedStrings.Always(property.Name);
            result[name] = ToNode(property.Value, shareStrings: !UniqueValued.Contains(name));
        }
        return result;
    }

    /// <summary>
    /// The object at the reader (on its StartObject; left on its EndObject) as the same tree <see cref="ToObject"/> makes
    /// of it, read token by token: no document is built first, and a shared string is found from the bytes it was
    /// written as, so only a string not seen before is allocated. The reader must hold the whole object.
    /// </summary>
    public static JsonObject ReadObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected an object, not {reader.TokenType}");
        }
        var result = new JsonObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = SharedStrings.Read(ref reader, always: true);
            reader.Read();
            result[name] = ReadNode(ref reader, shareStrings: !UniqueValued.Contains(name));
        }
        return result;
    }

    private static JsonNode? ReadNode(ref Utf8JsonReader reader, bool shareStrings)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader);
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadNode(ref reader, shareStrings));
                }
                return array;
            case JsonTokenType.String:
                return JsonValue.Create(shareStrings ? SharedStrings.Read(ref reader, always: false) : reader.GetString());
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.Number:
                return JsonValue.Create(SharedNumbers.Read(ref reader));
            default:
                return null;
        }
    }

    private static JsonNode? ToNode(JsonElement element, bool shareStrings) => element.ValueKind switch
    {
        JsonValueKind.Object => ToObject(element),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(item => ToNode(item, shareStrings))]),
        JsonValueKind.String => JsonValue.Create(shareStrings ? SharedStrings.Of(element.GetString()!) : element.GetString()),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        JsonValueKind.Number => JsonValue.Create(SharedNumbers.Of(element)),
        _ => null,
    };
}
