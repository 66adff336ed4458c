using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// The staged-traffic annotations (<see cref="TrafficAnnotations"/>) of the pods that carry some, followed from the
/// store's own watch of pods. The mesh the simulator routes by keeps pods as the dashboard keeps them (a
/// <see cref="PodSummary"/>, no annotations), so how a pod misbehaves comes from here: a handful of pods in a mesh of
/// thousands. A write is read once, as it happens; a pod whose bytes do not name the annotations' prefix is not parsed.
/// </summary>
internal sealed class StagedPods : IDisposable
{
    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes(TrafficAnnotations.Prefix);

    private readonly WatchSubscription _watch;
    private ImmutableDictionary<ObjectRef, IReadOnlyDictionary<string, string>> _staged = ImmutableDictionary<ObjectRef, IReadOnlyDictionary<string, string>>.Empty;

    public StagedPods(ObjectStore store)
    {
        // From the store's state now (every pod as ADDED), then each write as it happens.
        _watch = store.Watch(ResourceTypes.Pods, ns: null, fromRevision: null, LabelSelector.Everything, FieldSelector.Parse(null));
    }

    /// <summary>The annotations as of the latest write: the pods' changes since the last call are read first.</summary>
    public IReadOnlyDictionary<ObjectRef, IReadOnlyDictionary<string, string>> Current
    {
        get
        {
            var staged = _staged;
            while (_watch.Events.TryRead(out var change))
            {
                var pod = new ObjectRef(ResourceKind.Pod, change.Object.Namespace, change.Object.Name);
                staged = change.Type != WatchEventType.Deleted && Read(change.Object.Utf8Json.Span) is { } annotations
                    ? staged.SetItem(pod, annotations)
                    : staged.Remove(pod);
            }
            _staged = staged;
            return staged;
        }
    }

    /// <summary>A pod's staged-traffic annotations; null when it has none.</summary>
    internal static IReadOnlyDictionary<string, string>? Read(ReadOnlySpan<byte> pod)
    {
        if (pod.IndexOf(Prefix) < 0)
        {
            return null;
        }
        var reader = new Utf8JsonReader(pod);
        using var document = JsonDocument.ParseValue(ref reader);
        if (!document.RootElement.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("annotations", out var annotations) || annotations.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var staged = annotations.EnumerateObject()
            .Where(a => a.Name.StartsWith(TrafficAnnotations.Prefix, StringComparison.Ordinal) && a.Value.ValueKind == JsonValueKind.String)
            .ToDictionary(a => a.Name, a => a.Value.GetString()!, StringComparer.Ordinal);
        return staged.Count == 0 ? null : staged;
    }

    public void Dispose() => _watch.Dispose();
}
