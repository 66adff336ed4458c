using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.History;

/// <summary>One object's state before and after a recorded change (null: it did not exist).</summary>
public sealed record RecordedObject(ObjectRef Ref, JsonObject? Before, JsonObject? After);

/// <summary>How recorded objects are stored (in history entries and change journals): what a restore needs, nothing more.</summary>
public static class RecordedObjects
{
    public static JsonArray ToJson(IEnumerable<RecordedObject> objects) => new([.. objects.Select(o => (JsonNode)new JsonObject
    {
        ["kind"] = o.Ref.Kind.ToString(),
        ["namespace"] = o.Ref.Namespace,
        ["name"] = o.Ref.Name,
        ["before"] = Trim(o.Before),
        ["after"] = Trim(o.After),
    })]);

    public static ImmutableArray<RecordedObject> FromJson(JsonArray? array) =>
        [.. (array ?? []).OfType<JsonObject>().Select(o => new RecordedObject(
            new ObjectRef(Enum.Parse<ResourceKind>((string)o["kind"]!), (string?)o["namespace"] ?? "", (string?)o["name"] ?? ""),
            o["before"]?.DeepClone() as JsonObject,
            o["after"]?.DeepClone() as JsonObject))];

    /// <summary>Keeps what a restore needs (apiVersion, kind, metadata people own, spec), not status or server bookkeeping.</summary>
    public static JsonObject? Trim(JsonObject? obj)
    {
        if (obj is null)
        {
            return null;
        }
        var copy = new JsonObject
        {
            ["apiVersion"] = obj["apiVersion"]?.DeepClone(),
            ["kind"] = obj["kind"]?.DeepClone(),
        };
        var metadata = new JsonObject
        {
            ["name"] = obj["metadata"]?["name"]?.DeepClone(),
            ["namespace"] = obj["metadata"]?["namespace"]?.DeepClone(),
        };
        if (obj["metadata"]?["labels"] is JsonObject labels)
        {
            metadata["labels"] = labels.DeepClone();
        }
        if (obj["metadata"]?["annotations"] is JsonObject annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }
        copy["metadata"] = metadata;
        copy["spec"] = obj["spec"]?.DeepClone();
        return copy;
    }
}
