using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// The string-valued properties of a JSON object (labels, annotations) read as a dictionary, in place: the cache holds
/// tens of thousands of objects, and a copy of each one's labels beside its JSON cost several MB at 5,000 services.
/// The object is a <see cref="KubeObject.Raw"/>, which is never changed once made.
/// </summary>
internal sealed class StringMapView(JsonObject map) : IReadOnlyDictionary<string, string>
{
    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string> Values => this.Select(p => p.Value);

    public int Count => this.Count();

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        if (map.TryGetPropertyValue(key, out var node) && AsString(node) is { } text)
        {
            value = text;
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        foreach (var (key, node) in map)
        {
            if (AsString(node) is { } text)
            {
                yield return KeyValuePair.Create(key, text);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
