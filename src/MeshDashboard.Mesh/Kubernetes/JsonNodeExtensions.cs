using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>Tolerant readers for JSON nodes: a missing field or a field of another type reads as absent.</summary>
public static class JsonNodeExtensions
{
    public static string? Str(this JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static long? Int(this JsonNode? node, string property)
    {
        if (node is not JsonObject obj || obj[property] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }
        if (value.TryGetValue<long>(out var n))
        {
            return n;
        }
        // Written as 7.0, or held as another CLR number type by code that built the node: whole numbers still count.
        return AsDouble(value) is { } d && d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue ? (long)d : null;
    }

    public static double? Number(this JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? AsDouble(value) : null;

    /// <summary>
    /// A number node as a double, whether it came from parsed JSON or was set in code from an int, long, decimal, ...
    /// (<c>GetValue&lt;double&gt;()</c> throws for a node holding an <see cref="int"/>).
    /// </summary>
    private static double? AsDouble(JsonValue value)
    {
        if (value.TryGetValue<double>(out var d))
        {
            return d;
        }
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.Number ? element.GetDouble() : null;
        }
        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }
        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }
        if (value.TryGetValue<decimal>(out var m))
        {
            return (double)m;
        }
        if (value.TryGetValue<float>(out var f))
        {
            return f;
        }
        return double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

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
