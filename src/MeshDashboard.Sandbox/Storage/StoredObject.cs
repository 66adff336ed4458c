using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// One object as the store keeps it: immutable serialized JSON, so readers and watchers can share it
/// without copying and nothing can change it behind the store's back.
/// </summary>
public sealed record StoredObject(ResourceType Type, string Namespace, string Name, long ResourceVersion, string Json)
{
    private IReadOnlyDictionary<string, string>? _labels;

    public JsonObject Parse() => (JsonObject)JsonNode.Parse(Json)!;

    public ObjectKey Key => new(Type, Namespace, Name);

    /// <summary>
    /// The object's labels, read from its JSON once: every label selector of every list and watch asks for them, and
    /// parsing a stored pod for each would make a selected list of thousands cost more than the list itself.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels => _labels ??= ReadLabels(Json);

    // Equality is the stored content's; the labels read from it are a cache.
    public bool Equals(StoredObject? other) =>
        other is not null && Type == other.Type && Namespace == other.Namespace && Name == other.Name
        && ResourceVersion == other.ResourceVersion && Json == other.Json;

    public override int GetHashCode() => HashCode.Combine(Type, Namespace, Name, ResourceVersion);

    private static Dictionary<string, string> ReadLabels(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("metadata", out var metadata)
            && metadata.ValueKind == System.Text.Json.JsonValueKind.Object
            && metadata.TryGetProperty("labels", out var found)
            && found.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var label in found.EnumerateObject())
            {
                if (label.Value.ValueKind is not (System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array))
                {
                    labels[label.Name] = label.Value.ValueKind == System.Text.Json.JsonValueKind.String ? label.Value.GetString()! : label.Value.GetRawText();
                }
            }
        }
        return labels;
    }
}

public readonly record struct ObjectKey(ResourceType Type, string Namespace, string Name);

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A change in the store's history; <see cref="Object"/> is the object as of that change.</summary>
public sealed record StoreEvent(WatchEventType Type, StoredObject Object)
{
    public long ResourceVersion => Object.ResourceVersion;

    public string TypeName => Type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
