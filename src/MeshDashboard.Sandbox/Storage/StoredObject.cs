using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// One object as the store keeps it: immutable serialized JSON, so readers and watchers can share it
/// without copying and nothing can change it behind the store's back.
/// </summary>
public sealed record StoredObject(ResourceType Type, string Namespace, string Name, long ResourceVersion, string Json)
{
    public JsonObject Parse() => (JsonObject)JsonNode.Parse(Json)!;

    public ObjectKey Key => new(Type, Namespace, Name);
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
