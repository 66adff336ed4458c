using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Maps;
using MeshDashboard.Mesh.Traffic;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Maps;

public sealed class MeshMapTests
{
    private static readonly MeshSnapshot Shop = Snapshot(
        Service("shop", "frontend"), Service("shop", "cart"), Service("shop", "catalog"),
        Service("pay", "payments"), Service("ops", "grafana"));

    private static TrafficEdge Call(string from, string to, double rps, double success = 1, bool fromService = true)
    {
        var (fns, fname) = (from.Split('/')[0], from.Split('/')[1]);
        var (tns, tname) = (to.Split('/')[0], to.Split('/')[1]);
        return new TrafficEdge(fns, fname, fromService, tns, tname, new TrafficFigures(rps, success, null, null, null));
    }

    private static readonly TrafficEdge[] ShopCalls =
    [
        Call("shop/loadgen", "shop/frontend", 50, fromService: false),
        Call("shop/frontend", "shop/cart", 20),
        Call("shop/frontend", "shop/catalog", 30),
        Call("shop/cart", "pay/payments", 5, success: 0.9),
    ];

    private static MapLayout Build(MeshMapView? view = null, IEnumerable<TrafficEdge>? calls = null, MeshSnapshot? snapshot = null) =>
        MeshMap.Build(ServiceCatalog.Build(snapshot ?? Shop), calls ?? ShopCalls, view ?? MeshMapView.Default);

    [Fact]
    public void ItStarts_WithOneBoxPerNamespace_AndTheCallsBetweenNamespacesSummed()
    {
        var map = Build();

        Assert.Equal(["ns:ops", "ns:pay", "ns:shop"], map.Nodes.Select(n => n.Id));
        var edge = Assert.Single(map.Edges);
        Assert.Equal(("ns:shop", "ns:pay", 5.0, MapTone.Bad), (edge.From, edge.To, edge.RequestsPerSecond, edge.Tone));
        Assert.Equal("5 rps · 10% errors", edge.Label);
        Assert.Contains("3 services", map.Node("ns:shop")!.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void OpeningANamespace_DrawsItsServicesAndCallers_CallersLeftOfWhatTheyCall()
    {
        var map = Build(MeshMapView.Default.Toggle("shop"));

        Assert.True(map.Node("ns:shop")!.Expanded);
        var loadgen = map.Node("wl:shop/loadgen")!;
        var frontend = map.Node("svc:shop/frontend")!;
        var cart = map.Node("svc:shop/cart")!;
        Assert.Equal(MapNodeKind.Workload, loadgen.Kind);
        Assert.True(loadgen.X < frontend.X && frontend.X < cart.X);
        // Both services frontend calls stand in one column, by name.
        Assert.Equal(cart.X, map.Node("svc:shop/catalog")!.X);
        Assert.True(cart.Y < map.Node("svc:shop/catalog")!.Y);
        Assert.Contains(map.Edges, e => e.From == "svc:shop/frontend" && e.To == "svc:shop/cart" && e.RequestsPerSecond == 20);
        // The open namespace's calls out go from the service to the closed namespace's box.
        Assert.Contains(map.Edges, e => e.From == "svc:shop/cart" && e.To == "ns:pay");
        // Every member sits inside its namespace's box.
        var box = map.Node("ns:shop")!;
        Assert.All(map.Nodes.Where(n => n.Namespace == "shop" && n.Kind != MapNodeKind.Namespace),
            n => Assert.True(n.X >= box.X && n.Right <= box.Right && n.Y >= box.Y && n.Bottom <= box.Bottom, n.Id));
    }

    [Fact]
    public void ChangingRates_MovesNoBox()
    {
        var view = MeshMapView.Default.Toggle("shop");
        var quiet = Build(view);
        var busy = Build(view, ShopCalls.Select(c => c with { Figures = c.Figures with { RequestsPerSecond = c.Figures.RequestsPerSecond * 40 } }));

        Assert.Equal(quiet.Nodes.Select(n => (n.Id, n.X, n.Y)), busy.Nodes.Select(n => (n.Id, n.X, n.Y)));
        Assert.True(busy.Edges.Sum(e => e.Width) > quiet.Edges.Sum(e => e.Width));
    }

    [Fact]
    public void Search_OpensTheNamespacesWithMatches_AndShowsOnlyTheMatches()
    {
        var map = Build(MeshMapView.Default with { Search = "CART" });

        Assert.Equal(["ns:shop", "svc:shop/cart"], map.Nodes.Select(n => n.Id));
    }

    [Fact]
    public void TheNamespaceFilter_ShowsOnlyTheChosenNamespaces()
    {
        var map = Build(MeshMapView.Default with { Namespaces = ["pay", "ops"] });

        Assert.Equal(["ns:ops", "ns:pay"], map.Nodes.Select(n => n.Id));
        Assert.Empty(map.Edges);
    }

    [Fact]
    public void FiveThousandServices_DrawAsFiftyNamespaceBoxes_UntilOneIsOpened()
    {
        var services = Enumerable.Range(0, 5000).Select(i => Service($"team-{i % 50:00}", $"svc-{i:0000}")).ToArray();
        var calls = Enumerable.Range(0, 5000).Select(i => Call($"team-{i % 50:00}/svc-{i:0000}", $"team-{(i + 1) % 50:00}/svc-{(i + 1) % 5000:0000}", 1)).ToList();
        var snapshot = Snapshot(services);

        var closed = Build(calls: calls, snapshot: snapshot);
        Assert.Equal(50, closed.Nodes.Length);
        Assert.Equal(50, closed.Edges.Length);

        var opened = Build(MeshMapView.Default.Toggle("team-07"), calls, snapshot);
        Assert.Equal(50 + 100, opened.Nodes.Length);
        Assert.True(opened.Edges.Length <= MeshMap.MaxEdges);
    }

    [Fact]
    public void Callers_AreResolvedToTheServiceWhosePodsTheyRun()
    {
        var pod = Pod("shop", "frontend", "v1");
        var labels = (JsonObject)pod.Raw["metadata"]!["labels"]!;
        labels["pod-template-hash"] = "7d9f8c6b5";
        pod.Raw["metadata"]!["name"] = "frontend-v1-7d9f8c6b5-x2x4q";
        var snapshot = Shop.With(new KubeObject(ResourceKind.Pod, pod.Raw));
        var index = MeshIndex.Of(snapshot);

        var edges = Callers.Resolve(index, [
            new CallRate("shop", "frontend-v1", "shop", "cart", new TrafficFigures(3, 1, null, null, null)),
            new CallRate("shop", "loadgen", "shop", "frontend", new TrafficFigures(3, 1, null, null, null)),
        ]);

        Assert.Equal(("frontend", true), (edges[0].SourceName, edges[0].SourceIsService));
        Assert.Equal(("loadgen", false), (edges[1].SourceName, edges[1].SourceIsService));
    }

    [Fact]
    public void TheMeshRead_GroupsRatesByCallerAndService()
    {
        var at = DateTimeOffset.UnixEpoch;
        var traffic = MeshTraffic.From("test", MetricsWindow.Default, at, [
            new ServiceRequestRate("shop", "cart", "200", "", 9, "frontend-v1", "shop"),
            new ServiceRequestRate("shop", "cart", "503", "", 1, "frontend-v1", "shop"),
            new ServiceRequestRate("shop", "cart", "200", "", 4, "frontend-v2", "shop"),
            new ServiceRequestRate("shop", "cart", "200", "", 2),
        ]);

        Assert.Equal(16, traffic.Of("shop", "cart")!.RequestsPerSecond);
        Assert.Equal(
            [("frontend-v1", 10.0, 0.9), ("frontend-v2", 4.0, 1.0)],
            traffic.Calls.Select(c => (c.SourceWorkload, c.Figures.RequestsPerSecond, Math.Round(c.Figures.SuccessRate!.Value, 3))));
    }
}
