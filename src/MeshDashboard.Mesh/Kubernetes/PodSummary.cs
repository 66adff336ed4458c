using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshDashboard.Mesh.Kubernetes;

/// <summary>Who owns a pod (its ReplicaSet, StatefulSet, Job, ...), as its owner reference names it.</summary>
public readonly record struct PodOwner(string? ApiVersion, string? Kind, string? Name);

/// <summary>
/// What the dashboard keeps of a pod, as plain fields: identity, labels, owners, phase, address and the Ready condition.
/// A mesh of tens of thousands of pods is most of what the watch cache holds; as a node tree each pod's projection took
/// 3.5 KB (a JSON object costs about 240 bytes before any value), as these fields about a sixth of that. Pods are never
/// written back, so the rest of a pod is left out; <see cref="ToJson"/> gives the projection as JSON for what reads
/// objects generically.
/// </summary>
/// <remarks>Only string values are read: the API's schema makes every kept field a string (labels are a map of strings).</remarks>
public sealed record PodSummary(string Namespace, string Name, string ResourceVersion)
{
    public string ApiVersion { get; init; } = "v1";

    public string Kind { get; init; } = "Pod";

    public StringMap Labels { get; init; } = StringMap.Empty;

    public ImmutableArray<PodOwner> Owners { get; init; } = [];

    public string? DeletionTimestamp { get; init; }

    public string? Phase { get; init; }

    public string? PodIp { get; init; }

    /// <summary>Whether the pod reports a Ready condition, and its status ("True", "False", "Unknown"; null when it has none).</summary>
    public bool HasReadyCondition { get; init; }

    public string? ReadyStatus { get; init; }

    public bool IsReady => ReadyStatus == "True";

    /// <summary>The summary of a pod read straight from its JSON (an item of a list page): nothing else of it is built.</summary>
    public static PodSummary Read(JsonElement pod)
    {
        var metadata = Child(pod, "metadata");
        var status = Child(pod, "status");
        var ready = status is { } s && s.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array
            ? conditions.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object && Text(c, "type") == "Ready").Cast<JsonElement?>().FirstOrDefault()
            : null;
        return new PodSummary(Text(metadata, "namespace") ?? "", Text(metadata, "name") ?? "", Text(metadata, "resourceVersion") ?? "")
        {
            ApiVersion = Shared(Text(pod, "apiVersion")) ?? "v1",
            Kind = Shared(Text(pod, "kind")) ?? "Pod",
            Labels = metadata is { } m && m.TryGetProperty("labels", out var labels) ? StringMap.Read(labels) : StringMap.Empty,
            Owners = metadata is { } o && o.TryGetProperty("ownerReferences", out var owners) && owners.ValueKind == JsonValueKind.Array
                ? [.. owners.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
                    .Select(e => new PodOwner(Shared(Text(e, "apiVersion")), Shared(Text(e, "kind")), Shared(Text(e, "name"))))]
                : [],
            DeletionTimestamp = Text(metadata, "deletionTimestamp"),
            Phase = Shared(Text(status, "phase")),
            PodIp = Text(status, "podIP"),
            HasReadyCondition = ready is not null,
            ReadyStatus = Shared(Text(ready, "status")),
        };
    }

    /// <summary>The summary as the JSON projection it stands for: the fields it keeps, where they were present.</summary>
    public JsonObject ToJson()
    {
        // A field the pod did not have is read as empty, and left out here as it was.
        var metadata = Present(("name", NonEmpty(Name)), ("namespace", NonEmpty(Namespace)), ("resourceVersion", NonEmpty(ResourceVersion)));
        if (Labels.Count > 0)
        {
            var labels = new JsonObject();
            foreach (var (key, value) in Labels)
            {
                labels[key] = value;
            }
            metadata["labels"] = labels;
        }
        if (DeletionTimestamp is not null)
        {
            metadata["deletionTimestamp"] = DeletionTimestamp;
        }
        if (!Owners.IsEmpty)
        {
            metadata["ownerReferences"] = new JsonArray([.. Owners.Select(o => (JsonNode)Present(("apiVersion", o.ApiVersion), ("kind", o.Kind), ("name", o.Name)))]);
        }
        var status = Present(("phase", Phase), ("podIP", PodIp));
        if (HasReadyCondition)
        {
            status["conditions"] = new JsonArray(Present(("type", "Ready"), ("status", ReadyStatus)));
        }
        return new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = Kind, ["metadata"] = metadata, ["status"] = status };
    }

    public bool Equals(PodSummary? other) =>
        other is not null && (Namespace, Name, ResourceVersion, ApiVersion, Kind, DeletionTimestamp, Phase, PodIp, HasReadyCondition, ReadyStatus)
            == (other.Namespace, other.Name, other.ResourceVersion, other.ApiVersion, other.Kind, other.DeletionTimestamp, other.Phase, other.PodIp, other.HasReadyCondition, other.ReadyStatus)
        && Labels.SequenceEqual(other.Labels) && Owners.SequenceEqual(other.Owners);

    public override int GetHashCode() => HashCode.Combine(Namespace, Name, ResourceVersion);

    private static JsonObject Present(params (string Name, string? Value)[] fields)
    {
        var result = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                result[name] = value;
            }
        }
        return result;
    }

    private static string? NonEmpty(string text) => text.Length == 0 ? null : text;

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static string? Text(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Shared(string? text) => text is null ? null : JsonElementNodes.SharedValue(text);
}

/// <summary>
/// A small map of strings (a pod's labels) kept as an array of pairs in the order written, its keys and short values
/// shared with every other object's: a handful of labels is found faster by a scan than by hashing, and costs no buckets.
/// Compares by content.
/// </summary>
public sealed class StringMap : IReadOnlyDictionary<string, string>, IEquatable<StringMap>
{
    private readonly KeyValuePair<string, string>[] _pairs;

    private StringMap(KeyValuePair<string, string>[] pairs) => _pairs = pairs;

    public static StringMap Empty { get; } = new([]);

    /// <summary>The string-valued properties of a JSON object; anything else (null, a number) is not a label.</summary>
    public static StringMap Read(JsonElement map) =>
        map.ValueKind != JsonValueKind.Object
            ? Empty
            : Of(map.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .Select(p => KeyValuePair.Create(JsonElementNodes.SharedValue(p.Name), JsonElementNodes.SharedValue(p.Value.GetString()!))));

    public static StringMap Of(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var array = pairs.ToArray();
        return array.Length == 0 ? Empty : new StringMap(array);
    }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _pairs.Select(p => p.Key);

    public IEnumerable<string> Values => _pairs.Select(p => p.Value);

    public int Count => _pairs.Length;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Key == key)
            {
                value = pair.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(StringMap? other) => other is not null && _pairs.AsSpan().SequenceEqual(other._pairs);

    public override bool Equals(object? obj) => Equals(obj as StringMap);

    public override int GetHashCode() => _pairs.Length;
}
