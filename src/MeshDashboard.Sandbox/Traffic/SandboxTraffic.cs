using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// The sandbox's simulated clients: every tick, reads the store's current objects (rebuilt only when the store's
/// revision moved, so a <c>kubectl apply</c> or <c>annotate</c> takes effect at the next tick) and lets the
/// <see cref="TrafficEngine"/> send that tick's requests. Runs until disposed.
/// </summary>
public sealed class SandboxTraffic : IAsyncDisposable
{
    // The kinds the simulated requests are routed by: built-in ones, and Istio's as their CRDs serve them now.
    private static readonly (string Group, string Version, string Kind, ResourceKind MeshKind)[] Kinds =
    [
        ("", "v1", "Service", ResourceKind.Service),
        ("", "v1", "Pod", ResourceKind.Pod),
        (ResourceTypes.IstioNetworkingGroup, "v1", "VirtualService", ResourceKind.VirtualService),
        (ResourceTypes.IstioNetworkingGroup, "v1", "DestinationRule", ResourceKind.DestinationRule),
        (ResourceTypes.IstioNetworkingGroup, "v1", "Gateway", ResourceKind.Gateway),
    ];

    private readonly ObjectStore _store;
    private readonly TrafficOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _revision = -1;
    private MeshSnapshot _snapshot = MeshSnapshot.Empty;
    private DateTimeOffset _lastTick;
    private int _disposed;

    public SandboxTraffic(ObjectStore store, TrafficOptions options, TimeProvider time)
    {
        _store = store;
        _options = options;
        _time = time;
        _lastTick = time.GetUtcNow();
        // Checkpoints no closer than 5 s bound the history kept for the embedded reader (75 minutes is 900 of them).
        Ledger = new TrafficLedger(_lastTick, options.History, options.TickInterval < TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : options.TickInterval);
        Engine = new TrafficEngine(options, options.Seed is { } seed ? new Random(seed) : new Random(), Ledger);
    }

    public TrafficLedger Ledger { get; }

    public TrafficEngine Engine { get; }

    public void Start() => _loop = _options.TickedByOwner ? Task.CompletedTask : RunAsync(_stop.Token);

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                Tick();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One tick: the requests due since the last one, over the store as it is now.</summary>
    public void Tick()
    {
        var now = _time.GetUtcNow();
        var elapsed = now - _lastTick;
        _lastTick = now;
        Engine.Tick(CurrentSnapshot(), elapsed, now);
    }

    private MeshSnapshot CurrentSnapshot()
    {
        var revision = _store.Revision;
        if (revision != _revision)
        {
            var seen = new Dictionary<ObjectKey, (long, KubeObject)>();
            _snapshot = MeshSnapshot.From(Kinds
                .Select(k => (Type: _store.Types.FindKind(k.Group, k.Version, k.Kind), k.MeshKind))
                .Where(k => k.Type is not null)
                .SelectMany(k => _store.List(k.Type!, null).Items.Select(o => Read(o, k.MeshKind, seen))));
            _parsed = seen;
            _revision = revision;
        }
        return _snapshot;
    }

    // Objects as the simulator reads them, by the version they were read at: a write parses the objects it wrote, not
    // the mesh (see Own for what is kept of each).
    private Dictionary<ObjectKey, (long ResourceVersion, KubeObject Object)> _parsed = [];

    private KubeObject Read(StoredObject stored, ResourceKind kind, Dictionary<ObjectKey, (long, KubeObject)> seen)
    {
        var read = _parsed.TryGetValue(stored.Key, out var known) && known.ResourceVersion == stored.ResourceVersion
            ? known.Object
            : Own(stored, kind);
        seen[stored.Key] = (stored.ResourceVersion, read);
        return read;
    }

    /// <summary>
    /// The part of the object the simulator reads, as a node tree of its own taken from the stored bytes (a tree from
    /// <c>JsonNode.Parse</c> would keep the whole parsed document alive under every value taken from it). Pods are kept
    /// as the dashboard keeps them (identity, labels, owner, readiness) plus the annotations that stage their errors and
    /// latency (<see cref="TrafficAnnotations"/>): their containers, volumes, statuses and the sidecar's annotations are
    /// most of their bytes, and nothing here reads them. A pod with no such annotation (nearly all of them in a large
    /// mesh) is kept as the dashboard's own watch cache keeps it, as its <see cref="PodSummary"/>. Of other kinds, the
    /// fields managers wrote are left out.
    /// </summary>
    private static KubeObject Own(StoredObject stored, ResourceKind kind)
    {
        using var document = JsonDocument.Parse(stored.Utf8Json);
        var root = document.RootElement;
        if (kind != ResourceKind.Pod)
        {
            var whole = JsonElementNodes.ToObject(root);
            (whole["metadata"] as JsonObject)?.Remove("managedFields");
            return new KubeObject(kind, whole);
        }
        var staged = new JsonObject();
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object)
        {
            foreach (var annotation in annotations.EnumerateObject().Where(a => a.Name.StartsWith(TrafficAnnotations.Prefix, StringComparison.Ordinal)))
            {
                staged[annotation.Name] = JsonElementNodes.ToNode(annotation.Value);
            }
        }
        if (staged.Count == 0)
        {
            return new KubeObject(PodSummary.Read(stored.Utf8Json.Span));
        }
        var lean = PodProjection.Lean(root);
        lean["metadata"]!["annotations"] = staged;
        return new KubeObject(kind, lean);
    }

    /// <summary>Idempotent: the sandbox may be disposed by a test that stops the cluster and again by its owner.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
