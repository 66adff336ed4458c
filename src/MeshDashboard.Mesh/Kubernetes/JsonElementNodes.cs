using System.Collections.Concurrent;
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

    private const int LongestPooledValue = 24;

    /// <summary>Bounded, so a cluster of unique strings cannot grow it without end; once full, strings are copied as before.</summary>
    private const int PoolCapacity = 20_000;

    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static JsonNode? ToNode(JsonElement element) => ToNode(element, shareStrings: true);

    public static JsonObject ToObject(JsonElement element)
    {
        var result = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            var name = Shared(property.Name);
            result[name] = ToNode(property.Value, shareStrings: !UniqueValued.Contains(name));
        }
        return result;
    }

    private static JsonNode? ToNode(JsonElement element, bool shareStrings) => element.ValueKind switch
    {
        JsonValueKind.Object => ToObject(element),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(item => ToNode(item, shareStrings))]),
        JsonValueKind.String => JsonValue.Create(shareStrings ? SharedValue(element.GetString()!) : element.GetString()),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        // A number keeps its text exactly as written (1.0 stays 1.0, a large integer is not rounded), in a copy of its own
        // that every object with the same short number shares (ports, weights, percentages recur across thousands).
        JsonValueKind.Number => JsonValue.Create(SharedNumber(element)),
        _ => null,
    };

    // A copy of a number element is a document of its own (about 200 bytes with its buffers): 37,000 of them at 5,000
    // services, nearly all the same few values. Copies are immutable, so one serves every node that holds the value.
    private static JsonElement SharedNumber(JsonElement number)
    {
        var text = number.GetRawText();
        if (text.Length > LongestPooledValue)
        {
            return number.Clone();
        }
        if (Numbers.TryGetValue(text, out var known))
        {
            return known;
        }
        return Numbers.Count < PoolCapacity ? Numbers.GetOrAdd(text, _ => number.Clone()) : number.Clone();
    }

    private static readonly ConcurrentDictionary<string, JsonElement> Numbers = new(StringComparer.Ordinal);

    /// <summary>A short string from the shared pool (the same instance for every object that has it); a long one as it is.</summary>
    internal static string SharedValue(string value) => value.Length <= LongestPooledValue ? Shared(value) : value;

    private static string Shared(string text)
    {
        if (Pool.TryGetValue(text, out var known))
        {
            return known;
        }
        return Pool.Count < PoolCapacity ? Pool.GetOrAdd(text, text) : text;
    }
}
