using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;
using MeshDashboard.Sandbox.Traffic;
using MeshDashboard.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshDashboard.Sandbox.Tests.Traffic;

/// <summary>
/// The simulator over the demo sandbox's store, reading the mesh either from the store itself (standalone) or from a
/// reader that keeps it as the dashboard's watch cache does (Sandbox mode: pods as summaries, without annotations,
/// updated object by object). Either way a pod's staged errors show, an edit routes the next tick, and removing the
/// annotation stops the errors.
/// </summary>
public sealed class SharedMeshTrafficTests : IAsyncLifetime
{
    private const string Reviews = "reviews.bookinfo.svc.cluster.local";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly TestSandbox _sandbox;
    private DashboardLikeMesh? _shared;
    private SandboxTraffic? _traffic;

    public SharedMeshTrafficTests()
    {
        // The cluster's own simulator stays off: each test runs one of its own over the same store.
        _sandbox = new TestSandbox(_time, options => options.Traffic.Enabled = false);
    }

    private ObjectStore Store => _sandbox.Cluster.Store;

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_traffic is not null)
        {
            await _traffic.DisposeAsync();
        }
        await _sandbox.DisposeAsync();
    }

    private SandboxTraffic Start(bool shared)
    {
        _shared = shared ? DashboardLikeMesh.Read(Store) : null;
        _traffic = new SandboxTraffic(Store, new TrafficOptions { RequestsPerSecond = 100, Mix = [new RequestShape()], TickedByOwner = true, Seed = 1234 }, _time, _shared);
        return _traffic;
    }

    private void Run(SandboxTraffic traffic, int seconds)
    {
        for (var s = 0; s < seconds; s++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            traffic.Tick();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnnotatedPod_AnswersWithItsErrors_AndStopsOnceTheAnnotationIsGone(bool shared)
    {
        var traffic = Start(shared);
        Write(VirtualServices, "reviews", vs => vs["spec"]!["http"] = Split(50, 50));
        foreach (var pod in ReviewsPods("v2"))
        {
            Write(ResourceTypes.Pods, pod, p => ((JsonObject)p["metadata"]!)["annotations"] = new JsonObject
            {
                [TrafficAnnotations.ErrorRate] = "1",
                [TrafficAnnotations.ErrorCode] = "500",
            });
        }
        if (_shared is not null)
        {
            // As the dashboard keeps them: no annotation reaches the shared mesh, only the store has them.
            Assert.All(_shared.Current.Snapshot.Of(ResourceKind.Pod), p => Assert.Empty(p.Annotations));
        }

        Run(traffic, 20);

        var failed = Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2"), ("response_code", "500"));
        Assert.True(failed > 0);
        Assert.Equal(failed, Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2")));
        Assert.Equal(0, Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v1"), ("response_code", "500")));

        foreach (var pod in ReviewsPods("v2"))
        {
            Write(ResourceTypes.Pods, pod, p => ((JsonObject)p["metadata"]!).Remove("annotations"));
        }
        Run(traffic, 20);

        Assert.Equal(failed, Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2"), ("response_code", "500")));
        Assert.True(Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2"), ("response_code", "200")) > 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnEdit_RoutesTheNextTickByTheNewWeights(bool shared)
    {
        var traffic = Start(shared);
        Write(VirtualServices, "reviews", vs => vs["spec"]!["http"] = Split(100, 0));
        Run(traffic, 10);
        var toV1 = Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v1"));
        Assert.Equal(1000, toV1);
        Assert.Equal(0, Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2")));

        Write(VirtualServices, "reviews", vs => vs["spec"]!["http"] = Split(0, 100));
        Run(traffic, 10);

        Assert.Equal(toV1, Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v1")));
        Assert.Equal(1000, Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void APodThatStopsBeingReady_ReceivesNoMoreRequests(bool shared)
    {
        var traffic = Start(shared);
        Write(VirtualServices, "reviews", vs => vs["spec"]!["http"] = Split(50, 50));
        Run(traffic, 5);
        var toV2 = Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2"));
        Assert.True(toV2 > 0);

        foreach (var pod in ReviewsPods("v2"))
        {
            Write(ResourceTypes.Pods, pod, p =>
            {
                foreach (var condition in p["status"]!["conditions"]!.AsArray())
                {
                    if ((string?)condition!["type"] is "Ready" or "ContainersReady")
                    {
                        condition["status"] = "False";
                    }
                }
            }, statusOnly: true);
        }
        Run(traffic, 5);

        Assert.Equal(toV2, Requests(traffic, ("reporter", "destination"), ("destination_service", Reviews), ("destination_version", "v2")));
        // No ready endpoint in the subset: the caller's proxy answers 503 itself (flag UH).
        Assert.True(Requests(traffic, ("reporter", "source"), ("destination_service", Reviews), ("response_code", "503"), ("response_flags", "UH")) > 0);
    }

    [Fact]
    public void NoTrafficIsSent_WhileTheSharedMeshIsNotRead()
    {
        var traffic = new SandboxTraffic(Store, new TrafficOptions { TickedByOwner = true, Seed = 1 }, _time, new DashboardLikeMesh(null));
        _traffic = traffic;

        Run(traffic, 5);

        Assert.Equal(0, Requests(traffic));
    }

    private ResourceType VirtualServices => Store.Types.FindKind(ResourceTypes.IstioNetworkingGroup, "v1", "VirtualService")!;

    private static JsonNode Split(int v1, int v2) => JsonNode.Parse($$"""
        [{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": {{v1}}}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": {{v2}}}]}]
        """)!;

    private IEnumerable<string> ReviewsPods(string version) =>
        Store.List(ResourceTypes.Pods, "bookinfo").Items
            .Where(p => p.Labels.GetValueOrDefault("app") == "reviews" && p.Labels.GetValueOrDefault("version") == version)
            .Select(p => p.Name)
            .ToList();

    // A write to the store, seen by the shared mesh as the dashboard's watch would deliver it.
    private void Write(ResourceType type, string name, Action<JsonObject> change, bool statusOnly = false)
    {
        var written = Store.Patch(type, "bookinfo", name, obj =>
        {
            change(obj);
            return obj;
        }, WriteOptions.Default, statusOnly);
        _shared?.Apply(written);
    }

    /// <summary>Sums <c>istio_requests_total</c> over the series whose labels contain every given pair.</summary>
    private static double Requests(SandboxTraffic traffic, params (string Label, string Value)[] filter) =>
        traffic.Ledger.ToPrometheusText().Split('\n')
            .Where(l => l.StartsWith("istio_requests_total{", StringComparison.Ordinal))
            .Where(l => filter.All(f => l.Contains($"{f.Label}=\"{f.Value}\"", StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>
    /// The mesh as the dashboard's watch cache keeps it: pods as their summary (no annotations), other kinds whole, each
    /// write replacing one object, and the index derived from the previous one.
    /// </summary>
    private sealed class DashboardLikeMesh : ITrafficMeshSource
    {
        private static readonly (string Group, string Kind, ResourceKind MeshKind)[] Kinds =
        [
            ("", "Service", ResourceKind.Service),
            ("", "Pod", ResourceKind.Pod),
            (ResourceTypes.IstioNetworkingGroup, "VirtualService", ResourceKind.VirtualService),
            (ResourceTypes.IstioNetworkingGroup, "DestinationRule", ResourceKind.DestinationRule),
            (ResourceTypes.IstioNetworkingGroup, "Gateway", ResourceKind.Gateway),
        ];

        // Null: not read yet, as the dashboard's cache before it has listed every kind.
        private MeshIndex? _index;

        public DashboardLikeMesh(MeshIndex? index) => _index = index;

        public MeshIndex Current => _index ?? throw new InvalidOperationException("Not read yet.");

        MeshIndex? ITrafficMeshSource.Current => _index;

        public static DashboardLikeMesh Read(ObjectStore store) => new(new MeshIndex(MeshSnapshot.From(Kinds
            .Select(k => (Type: store.Types.FindKind(k.Group, "v1", k.Kind)!, k.MeshKind))
            .SelectMany(k => store.List(k.Type, null).Items.Select(o => Kept(o, k.MeshKind))))));

        public void Apply(StoredObject written)
        {
            var kind = Kinds.Single(k => k.Kind == written.Type.Kind).MeshKind;
            var obj = Kept(written, kind);
            _index = Current.With(Current.Snapshot.With(obj), [obj.Ref]);
        }

        private static KubeObject Kept(StoredObject stored, ResourceKind kind) =>
            kind == ResourceKind.Pod ? new KubeObject(PodSummary.Read(stored.Utf8Json.Span)) : new KubeObject(kind, stored.Parse());
    }
}
