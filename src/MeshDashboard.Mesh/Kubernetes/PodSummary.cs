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

    /// <summary>
    /// The summary of a parsed pod (a watch event's, a stored one): written out and read as a list page's pods are, so
    /// there is one reading of what a pod keeps, not two to keep alike. Anything but an object is a pod with nothing.
    /// </summary>
    public static PodSummary Read(JsonElement pod) =>
        pod.ValueKind == JsonValueKind.Object ? Read(JsonSerializer.SerializeToUtf8Bytes(pod)) : new PodSummary("", "", "");

    /// <summary>The summary of a pod's whole JSON, as UTF-8.</summary>
    public static PodSummary Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return Read(ref reader);
    }

    /// <summary>
    /// The summary of the pod at the reader (on its StartObject; left on its EndObject), read token by token: at the first
    /// sync every pod of the cluster passes through here, and its containers, volumes and statuses are skipped over
    /// without being parsed into anything.
    /// </summary>
    public static PodSummary Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"a pod is a JSON object, not {reader.TokenType}");
        }
        string? apiVersion = null, kind = null;
        var metadata = MetadataFields.None;
        var status = new StatusFields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("apiVersion"u8))
            {
                apiVersion = NextShared(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                kind = NextShared(ref reader);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                metadata = NextObject(ref reader) ? ReadMetadata(ref reader) : metadata;
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                status = NextObject(ref reader) ? ReadStatus(ref reader) : status;
            }
            else
            {
                reader.Read();
                SkipValue(ref reader);
            }
        }
        return new PodSummary(metadata.Namespace ?? "", metadata.Name ?? "", metadata.ResourceVersion ?? "")
        {
            ApiVersion = apiVersion ?? "v1",
            Kind = kind ?? "Pod",
            Labels = metadata.Labels,
            Owners = metadata.Owners,
            DeletionTimestamp = metadata.DeletionTimestamp,
            Phase = status.Phase,
            PodIp = status.PodIp,
            HasReadyCondition = status.HasReadyCondition,
            ReadyStatus = status.ReadyStatus,
        };
    }

    private record struct MetadataFields(string? Namespace, string? Name, string? ResourceVersion, string? DeletionTimestamp, StringMap Labels, ImmutableArray<PodOwner> Owners)
    {
        public static MetadataFields None => new(null, null, null, null, StringMap.Empty, []);
    }

    private record struct StatusFields(string? Phase, string? PodIp, bool HasReadyCondition, string? ReadyStatus);

    private static MetadataFields ReadMetadata(ref Utf8JsonReader reader)
    {
        var fields = MetadataFields.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                fields.Name = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                fields.Namespace = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                fields.ResourceVersion = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("deletionTimestamp"u8))
            {
                fields.DeletionTimestamp = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                fields.Labels = NextObject(ref reader) ? ReadLabels(ref reader) : StringMap.Empty;
            }
            else if (reader.ValueTextEquals("ownerReferences"u8))
            {
                fields.Owners = NextArray(ref reader) ? ReadOwners(ref reader) : [];
            }
            else
            {
                reader.Read();
                SkipValue(ref reader);
            }
        }
        return fields;
    }

    private static StringMap ReadLabels(ref Utf8JsonReader reader)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = SharedStrings.Read(ref reader, always: false);
            if (NextShared(ref reader) is { } value)
            {
                pairs.Add(KeyValuePair.Create(key, value));
            }
        }
        return StringMap.Of(pairs);
    }

    private static ImmutableArray<PodOwner> ReadOwners(ref Utf8JsonReader reader)
    {
        var owners = ImmutableArray.CreateBuilder<PodOwner>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                SkipValue(ref reader);
                continue;
            }
            string? apiVersion = null, kind = null, name = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("apiVersion"u8))
                {
                    apiVersion = NextShared(ref reader);
                }
                else if (reader.ValueTextEquals("kind"u8))
                {
                    kind = NextShared(ref reader);
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    name = NextShared(ref reader);
                }
                else
                {
                    reader.Read();
                    SkipValue(ref reader);
                }
            }
            owners.Add(new PodOwner(apiVersion, kind, name));
        }
        return owners.ToImmutable();
    }

    private static StatusFields ReadStatus(ref Utf8JsonReader reader)
    {
        var fields = new StatusFields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("phase"u8))
            {
                fields.Phase = NextShared(ref reader);
            }
            else if (reader.ValueTextEquals("podIP"u8))
            {
                fields.PodIp = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("conditions"u8))
            {
                (fields.HasReadyCondition, fields.ReadyStatus) = NextArray(ref reader) ? ReadReadyCondition(ref reader) : (false, null);
            }
            else
            {
                reader.Read();
                SkipValue(ref reader);
            }
        }
        return fields;
    }

    // The first condition of type Ready, as the element reader takes it.
    private static (bool Found, string? Status) ReadReadyCondition(ref Utf8JsonReader reader)
    {
        (bool, string?) ready = (false, null);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                SkipValue(ref reader);
                continue;
            }
            string? type = null, status = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = NextString(ref reader);
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    status = NextShared(ref reader);
                }
                else
                {
                    reader.Read();
                    SkipValue(ref reader);
                }
            }
            if (type == "Ready" && !ready.Item1)
            {
                ready = (true, status);
            }
        }
        return ready;
    }

    /// <summary>
    /// Skips the value at the reader. A list page is read as it arrives, so the reader is never on its final block and
    /// <c>Skip</c> refuses; <c>TrySkip</c> fails only when the buffer ends inside the pod, and the page reader then reads
    /// the pod again once more has arrived.
    /// </summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new JsonException("a pod was handed over before all of it was read");
        }
    }

    /// <summary>Moves to the property's value: its text when a string; anything else is skipped and read as absent.</summary>
    private static string? NextString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        SkipValue(ref reader);
        return null;
    }

    /// <summary>As <see cref="NextString"/>, the text from the shared pool when it is short (see <see cref="SharedStrings"/>).</summary>
    private static string? NextShared(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return SharedStrings.Read(ref reader, always: false);
        }
        SkipValue(ref reader);
        return null;
    }

    /// <summary>Moves to the property's value: true on an object's start; anything else is skipped.</summary>
    private static bool NextObject(ref Utf8JsonReader reader) => Next(ref reader, JsonTokenType.StartObject);

    private static bool NextArray(ref Utf8JsonReader reader) => Next(ref reader, JsonTokenType.StartArray);

    private static bool Next(ref Utf8JsonReader reader, JsonTokenType start)
    {
        reader.Read();
        if (reader.TokenType == start)
        {
            return true;
        }
        SkipValue(ref reader);
        return false;
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
