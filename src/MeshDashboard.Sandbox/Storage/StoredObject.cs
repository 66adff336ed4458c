using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// One object as the store keeps it: immutable serialized JSON, so readers and watchers can share it without copying
/// and nothing can change it behind the store's back. Kept as UTF-8, the bytes a response sends: half the size of a
/// .NET string of the same JSON (tens of thousands of pods of several KB each), and written out without transcoding.
/// </summary>
public sealed record StoredObject
{
    private readonly byte[] _utf8Json;
    private IReadOnlyDictionary<string, string>? _labels;

    public StoredObject(ResourceType type, string ns, string name, long resourceVersion, byte[] utf8Json)
    {
        Type = type;
        Namespace = ns;
        Name = name;
        ResourceVersion = resourceVersion;
        _utf8Json = utf8Json;
    }

    public ResourceType Type { get; }

    public string Namespace { get; }

    public string Name { get; }

    public long ResourceVersion { get; }

    /// <summary>The object's JSON, compact, UTF-8. Read-only: the store and every reader share these bytes.</summary>
    public ReadOnlyMemory<byte> Utf8Json => _utf8Json;

    /// <summary>A node tree of the object of its own, for a write to change or a view to convert.</summary>
    public JsonObject Parse() => (JsonObject)JsonNode.Parse(_utf8Json)!;

    public ObjectKey Key => new(Type, Namespace, Name);

    /// <summary>
    /// The object's labels, read from its JSON once: every label selector of every list and watch asks for them, and
    /// parsing a stored pod for each would make a selected list of thousands cost more than the list itself.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels => _labels ??= ReadLabels(_utf8Json);

    /// <summary>The compact UTF-8 JSON of <paramref name="node"/>, as the store keeps it.</summary>
    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    // Equality is the stored content's; the labels read from it are a cache.
    public bool Equals(StoredObject? other) =>
        other is not null && Type == other.Type && Namespace == other.Namespace && Name == other.Name
        && ResourceVersion == other.ResourceVersion && _utf8Json.AsSpan().SequenceEqual(other._utf8Json);

    public override int GetHashCode() => HashCode.Combine(Type, Namespace, Name, ResourceVersion);

    private static Dictionary<string, string> ReadLabels(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("metadata", out var metadata)
            && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("labels", out var found)
            && found.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in found.EnumerateObject())
            {
                if (label.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                {
                    labels[label.Name] = label.Value.ValueKind == JsonValueKind.String ? label.Value.GetString()! : label.Value.GetRawText();
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
