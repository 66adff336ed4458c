using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// One Kubernetes object exactly as the API server returned it. The raw JSON is the source of truth:
/// typed views read from it, and operations edit a copy of it, so every field MeshDashboard does not
/// model (retries, corsPolicy, exportTo, annotations, ...) survives every read-edit-write untouched.
/// Treat <see cref="Raw"/> as immutable; use <see cref="CloneRaw"/> to edit.
/// </summary>
public sealed class KubeObject
{
    public KubeObject(ResourceKind kind, JsonObject raw)
    {
        Kind = kind;
        Raw = raw;
        var metadata = raw["metadata"] as JsonObject;
        Namespace = metadata.Str("namespace") ?? "";
        Name = metadata.Str("name") ?? "";
        ResourceVersion = metadata.Str("resourceVersion") ?? "";
        Labels = metadata?["labels"] is JsonObject labels ? new StringMapView(labels) : EmptyMap;
        Annotations = metadata?["annotations"] is JsonObject annotations ? new StringMapView(annotations) : EmptyMap;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();

    public ResourceKind Kind { get; }

    public JsonObject Raw { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string ResourceVersion { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IReadOnlyDictionary<string, string> Annotations { get; }

    public ObjectRef Ref => new(Kind, Namespace, Name);

    public JsonObject? Spec => Raw["spec"] as JsonObject;

    public JsonObject CloneRaw() => (JsonObject)Raw.DeepClone();

    /// <summary>The owner references, for telling which controller manages the object.</summary>
    public IEnumerable<(string ApiVersion, string Kind, string Name)> OwnerReferences =>
        (Raw["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(o => (o.Str("apiVersion") ?? "", o.Str("kind") ?? "", o.Str("name") ?? ""));

    public static KubeObject Parse(ResourceKind kind, string json) => new(kind, (JsonObject)JsonNode.Parse(json)!);

    public override string ToString() => Ref.ToString();
}
