using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>
/// One Kubernetes object exactly as the API server returned it. The raw JSON is the source of truth:
/// typed views read from it, and operations edit a copy of it, so every field MeshDashboard does not
/// model (retries, corsPolicy, exportTo, annotations, ...) survives every read-edit-write untouched.
/// Treat <see cref="Raw"/> as immutable; use <see cref="CloneRaw"/> to edit.
/// </summary>
/// <remarks>
/// A pod the watch cache keeps is its <see cref="PodSummary"/> instead (pods are only read, and tens of thousands of
/// them are most of the cache): its <see cref="Raw"/> is the summary's JSON, made when asked for.
/// </remarks>
public sealed class KubeObject
{
    private readonly JsonObject? _raw;

    public KubeObject(ResourceKind kind, JsonObject raw)
    {
        Kind = kind;
        _raw = raw;
        var metadata = raw["metadata"] as JsonObject;
        Namespace = metadata.Str("namespace") ?? "";
        Name = metadata.Str("name") ?? "";
        ResourceVersion = metadata.Str("resourceVersion") ?? "";
        Labels = metadata?["labels"] is JsonObject labels ? new StringMapView(labels) : EmptyMap;
        Annotations = metadata?["annotations"] is JsonObject annotations ? new StringMapView(annotations) : EmptyMap;
    }

    /// <summary>A pod as the cache keeps it.</summary>
    public KubeObject(PodSummary pod)
    {
        Kind = ResourceKind.Pod;
        Pod = pod;
        Namespace = pod.Namespace;
        Name = pod.Name;
        ResourceVersion = pod.ResourceVersion;
        Labels = pod.Labels;
        Annotations = EmptyMap;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();

    public ResourceKind Kind { get; }

    /// <summary>The object's JSON; for a pod kept as its summary, made anew on each read (read the summary instead).</summary>
    public JsonObject Raw => _raw ?? Pod!.ToJson();

    /// <summary>The pod's summary, when this is a pod the cache keeps as one.</summary>
    public PodSummary? Pod { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string ResourceVersion { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IReadOnlyDictionary<string, string> Annotations { get; }

    public ObjectRef Ref => new(Kind, Namespace, Name);

    /// <summary>The spec; none for a pod kept as its summary (no spec is kept).</summary>
    public JsonObject? Spec => _raw?["spec"] as JsonObject;

    public JsonObject CloneRaw() => (JsonObject)Raw.DeepClone();

    /// <summary>The owner references, for telling which controller manages the object.</summary>
    public IEnumerable<(string ApiVersion, string Kind, string Name)> OwnerReferences =>
        Pod is { } pod
            ? pod.Owners.Select(o => (o.ApiVersion ?? "", o.Kind ?? "", o.Name ?? ""))
            : (Raw["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(o => (o.Str("apiVersion") ?? "", o.Str("kind") ?? "", o.Str("name") ?? ""));

    public static KubeObject Parse(ResourceKind kind, string json) => new(kind, (JsonObject)JsonNode.Parse(json)!);

    public override string ToString() => Ref.ToString();
}
