using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Maps;
using MeshDashboard.Mesh.Traffic;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Maps;

public sealed class RoutingMapTests
{
    private static MeshService ServiceOf(MeshSnapshot snapshot, string ns, string name) => ServiceCatalog.Find(snapshot, ns, name)!;

    private static MapLayout Reviews(string vs = ReviewsVs) => RoutingMap.Build(ServiceOf(Bookinfo(vs), "bookinfo", "reviews"));

    private static MapLayout MyApp(MeshSnapshot? snapshot = null, ServiceTraffic? traffic = null) =>
        RoutingMap.Build(ServiceOf(snapshot ?? MyAppDemo(), "myapp", "myapp"), traffic);

    private static string MeshCanary(int v1, int v2) => $$"""
        {"hosts": ["myapp"],
         "http": [{"name": "canary", "route": [
           {"destination": {"host": "myapp", "subset": "v1"}, "weight": {{v1}}},
           {"destination": {"host": "myapp", "subset": "v2"}, "weight": {{v2}}}]}]}
        """;

    private static MeshSnapshot MyAppWith(string meshVs, params Kubernetes.KubeObject[] pods)
    {
        var snapshot = MyAppDemo().With(Vs("myapp", "myapp", meshVs));
        foreach (var pod in pods)
        {
            snapshot = snapshot.With(pod);
        }
        return snapshot;
    }

    [Fact]
    public void Reviews_ReadsLeftToRight_EntryThenVirtualServiceThenRulesInMatchOrderThenSubsets()
    {
        var map = Reviews();

        var entry = Assert.Single(map.Nodes, n => n.Kind == MapNodeKind.Entry);
        Assert.Equal("entry:mesh", entry.Id);
        var vs = Assert.Single(map.Nodes, n => n.Kind == MapNodeKind.VirtualService);
        var rules = map.Nodes.Where(n => n.Kind == MapNodeKind.Rule).OrderBy(n => n.Y).Select(n => n.Title).ToList();
        Assert.Equal(["Rule 1 · tester", "Rule 2 · legacy", "Rule 3 · default"], rules);
        Assert.Equal(["v1", "v2", "v3"], map.Nodes.Where(n => n.Kind == MapNodeKind.Subset).OrderBy(n => n.Y).Select(n => n.Title));
        Assert.True(entry.Right <= vs.X && vs.Right <= map.Nodes.Where(n => n.Kind == MapNodeKind.Rule).Min(n => n.X));
        Assert.Contains(map.Edges, e => e.From == "entry:mesh" && e.To == vs.Id);
        Assert.Equal(3, map.EdgesFrom(vs.Id).Count());
    }

    [Fact]
    public void RuleConditions_ReadInPlainWords_AndTheFallbackSaysSo()
    {
        var map = Reviews();

        Assert.Equal("when header end-user is tester", string.Join(" ", map.Node("rule:bookinfo/reviews/http/0")!.Lines));
        Assert.Equal("when path starts with /old", string.Join(" ", map.Node("rule:bookinfo/reviews/http/1")!.Lines));
        Assert.Equal("everyone else (the fallback)", string.Join(" ", map.Node("rule:bookinfo/reviews/http/2")!.Lines));
    }

    [Fact]
    public void EdgeWidth_FollowsTheWeight_AndEachLineCarriesItsShare()
    {
        var map = MyApp();

        var toV1 = Assert.Single(map.Edges, e => e.From == "rule:myapp/myapp/http/0" && e.To == "subset:v1");
        var toV2 = Assert.Single(map.Edges, e => e.From == "rule:myapp/myapp/http/0" && e.To == "subset:v2");
        Assert.Equal((25.0, "25%"), (toV1.Percent, toV1.Label));
        Assert.Equal((75.0, "75%"), (toV2.Percent, toV2.Label));
        Assert.True(toV2.Width > 2 * toV1.Width);
    }

    [Fact]
    public void AZeroWeight_IsAHairlineMarkedIdle()
    {
        var map = MyApp(MyAppWith(MeshCanary(100, 0)));

        var toV2 = Assert.Single(map.Edges, e => e.From == "rule:myapp/myapp/http/0" && e.To == "subset:v2");
        Assert.Equal((MapTone.Idle, 1.0, "0%"), (toV2.Tone, toV2.Width, toV2.Label));
    }

    [Fact]
    public void TwoDestinationsOnOneSubset_DrawOneLineWithTheirSummedShare()
    {
        var map = MyApp(MyAppWith("""
            {"hosts": ["myapp"], "http": [{"route": [
              {"destination": {"host": "myapp", "subset": "v1", "port": {"number": 8080}}, "weight": 30},
              {"destination": {"host": "myapp", "subset": "v1", "port": {"number": 9090}}, "weight": 30},
              {"destination": {"host": "myapp", "subset": "v2"}, "weight": 40}]}]}
            """));

        var toV1 = Assert.Single(map.Edges, e => e.From == "rule:myapp/myapp/http/0" && e.To == "subset:v1");
        Assert.Equal(60, toV1.Percent!.Value, 6);
        Assert.Equal(map.Edges.Length, map.Edges.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void ATcpRoute_IsARuleWithItsShares()
    {
        var map = MyApp(MyAppWith("""
            {"hosts": ["myapp"], "tcp": [{"match": [{"port": 9000}], "route": [
              {"destination": {"host": "myapp", "subset": "v1"}, "weight": 80},
              {"destination": {"host": "myapp", "subset": "v2"}, "weight": 20}]}]}
            """));

        var rule = map.Node("rule:myapp/myapp/tcp/0")!;
        Assert.Equal("TCP route 1", rule.Title);
        Assert.EndsWith("connections port 9000 → 80% v1, 20% v2", rule.Description, StringComparison.Ordinal);
        Assert.Equal([80.0, 20.0], map.EdgesFrom(rule.Id).OrderBy(e => e.To, StringComparer.Ordinal).Select(e => e.Percent!.Value));
    }

    [Fact]
    public void AMirror_IsADashedLineLabelledCopy_NotAShare()
    {
        var map = Reviews();

        var mirror = Assert.Single(map.Edges, e => e.Kind == MapEdgeKind.Mirror);
        Assert.Equal(("rule:bookinfo/reviews/http/0", "copy 100%"), (mirror.From, mirror.Label));
        Assert.True(mirror.IsDashed);
        Assert.Equal(MapNodeKind.Elsewhere, map.Node(mirror.To)!.Kind);
        Assert.Contains("copy of 100% to reviews-shadow", map.Node("rule:bookinfo/reviews/http/0")!.Description, StringComparison.Ordinal);
        // The rule's share still goes all to v2: the copy is on top.
        Assert.Equal(100, Assert.Single(map.EdgesFrom("rule:bookinfo/reviews/http/0"), e => e.Kind == MapEdgeKind.Route).Percent);
    }

    [Fact]
    public void Badges_ShowFaultTimeoutRetriesAndOtherActions_OnTheirRule()
    {
        var map = Reviews();

        Assert.Equal(["fault: 50% aborted with 503"], map.Node("rule:bookinfo/reviews/http/0")!.Badges.Select(b => b.Text));
        Assert.Equal(MapTone.Bad, map.Node("rule:bookinfo/reviews/http/0")!.Badges[0].Tone);
        var fallback = map.Node("rule:bookinfo/reviews/http/2")!;
        Assert.Equal(["timeout 10s", "retries 3× (2s each)", "changes response headers", "applies a CORS policy"], fallback.Badges.Select(b => b.Text));
        // Badges sit inside their box, in rows, without overlapping.
        Assert.All(fallback.Badges, b => Assert.True(b.X + b.Width <= fallback.Width && b.Y + 18 <= fallback.Height));
        Assert.All(fallback.Badges.Zip(fallback.Badges.Skip(1)), p => Assert.True(p.Second.Y > p.First.Y || p.Second.X >= p.First.X + p.First.Width));
    }

    [Fact]
    public void ARuleAfterACatchAll_IsMarkedNeverReached()
    {
        var map = Reviews("""
            {"hosts": ["reviews"], "http": [
              {"name": "all", "route": [{"destination": {"host": "reviews", "subset": "v1"}}]},
              {"name": "late", "match": [{"headers": {"end-user": {"exact": "jason"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]}]}
            """);

        Assert.Empty(map.Node("rule:bookinfo/reviews/http/0")!.Badges);
        Assert.Equal(("never reached", MapTone.Warning), (map.Node("rule:bookinfo/reviews/http/1")!.Badges[0].Text, map.Node("rule:bookinfo/reviews/http/1")!.Badges[0].Tone));
    }

    [Fact]
    public void ARedirect_EndsAtABoxThatSaysNoPodAnswers()
    {
        var map = Reviews();

        var edge = Assert.Single(map.EdgesFrom("rule:bookinfo/reviews/http/1"));
        var target = map.Node(edge.To)!;
        Assert.Equal((MapNodeKind.Elsewhere, "Not sent to a pod"), (target.Kind, target.Title));
        Assert.Contains("redirects (301) to /new", target.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Subsets_AreColouredByPodReadiness_AndAnUndefinedSubsetIsBad()
    {
        var map = MyApp(MyAppWith("""
            {"hosts": ["myapp"], "http": [{"route": [
              {"destination": {"host": "myapp", "subset": "v1"}, "weight": 50},
              {"destination": {"host": "myapp", "subset": "v9"}, "weight": 50}]}]}
            """, Pod("myapp", "myapp", "v2", ready: false)));

        Assert.Equal((MapTone.Good, "1/1 pods ready"), (map.Node("subset:v1")!.Tone, map.Node("subset:v1")!.Lines[0]));
        Assert.Equal((MapTone.Warning, "1/2 pods ready"), (map.Node("subset:v2")!.Tone, map.Node("subset:v2")!.Lines[0]));
        Assert.Equal(MapTone.Bad, map.Node("subset:v9")!.Tone);
        Assert.Contains("not defined in any DestinationRule", map.Node("subset:v9")!.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateways_AreEntriesWithTheirHosts_BesideTheMesh()
    {
        var map = MyApp();

        var gateway = map.Node("entry:gw:myapp/myapp-gateway")!;
        Assert.Equal("Gateway myapp-gateway", gateway.Title);
        Assert.Contains("myapp.example.com", string.Join(" ", gateway.Lines), StringComparison.Ordinal);
        Assert.Equal(["vs:myapp/myapp-preview", "vs:myapp/myapp-public"], map.EdgesFrom(gateway.Id).Select(e => e.To).Order(StringComparer.Ordinal));
        Assert.Equal(["vs:myapp/myapp"], map.EdgesFrom("entry:mesh").Select(e => e.To));
    }

    [Fact]
    public void OnlyTheMeshVirtualServicesRules_OpenTheRuleEditor()
    {
        var map = MyApp();

        Assert.Equal(0, map.Node("rule:myapp/myapp/http/0")!.EditableRule);
        Assert.Null(map.Node("rule:myapp/myapp-public/http/0")!.EditableRule);
    }

    [Fact]
    public void ChangingWeights_MovesNoBox_AndNoLineEnd()
    {
        var before = MyApp(MyAppWith(MeshCanary(25, 75)));
        var after = MyApp(MyAppWith(MeshCanary(90, 10)));

        Assert.Equal(before.Nodes.Select(n => (n.Id, n.X, n.Y, n.Width, n.Height)), after.Nodes.Select(n => (n.Id, n.X, n.Y, n.Width, n.Height)));
        Assert.Equal(before.Edges.Select(e => (e.Id, e.Path)), after.Edges.Select(e => (e.Id, e.Path)));
        Assert.NotEqual(before.Edges.Select(e => e.Width), after.Edges.Select(e => e.Width));
    }

    [Fact]
    public void ThePreviewsAfterMap_MarksTheLinesThatAreNewOrReweighted()
    {
        var before = MyApp(MyAppWith(MeshCanary(25, 75)));
        var after = MyApp(MyAppWith("""{"hosts": ["myapp"], "http": [{"name": "canary", "route": [{"destination": {"host": "myapp", "subset": "v1"}}]}]}"""))
            .MarkChangesSince(before);

        Assert.Equal(["rule:myapp/myapp/http/0->subset:v1"], after.Edges.Where(e => e.Changed).Select(e => e.Id));
        Assert.DoesNotContain(after.Edges, e => e.Id == "rule:myapp/myapp/http/0->subset:v2");
    }

    [Fact]
    public void LiveFigures_FlowOnTheOneLineIntoASubset_ColouredByErrors()
    {
        var snapshot = MyAppDemo();
        var traffic = new ServiceTraffic
        {
            Source = "test",
            Window = MetricsWindow.Default,
            Availability = TrafficAvailability.Live,
            At = DateTimeOffset.UnixEpoch,
            Subsets =
            [
                new SubsetTraffic("v1", new TrafficFigures(12, 0.9, null, null, null), 0.3, []),
                new SubsetTraffic("v2", new TrafficFigures(30, 1, null, null, null), 0.7, []),
            ],
        };

        var map = MyApp(snapshot, traffic);

        // v1 is fed by the mesh canary and the preview gateway rule: its figures stay on its box.
        Assert.Contains("12 rps · 10% errors", map.Node("subset:v1")!.Lines);
        Assert.All(map.EdgesTo("subset:v1"), e => Assert.Null(e.RequestsPerSecond));
        // A subset fed by one rule line only carries its figures on that line.
        var single = MyApp(MyAppWith("""{"hosts": ["myapp"], "http": [{"route": [{"destination": {"host": "myapp", "subset": "v1"}}]}]}""")
            .Without(new Kubernetes.ObjectRef(Kubernetes.ResourceKind.VirtualService, "myapp", "myapp-preview")), traffic);
        var line = Assert.Single(single.EdgesTo("subset:v1"));
        Assert.Equal((12.0, MapTone.Bad, "100% · 12 rps · 10% errors"), (line.RequestsPerSecond, line.Tone, line.Label));
    }

    [Fact]
    public void TheWords_SayWhereEachRequestGoes_InMatchOrder()
    {
        var words = RoutingMapWords.Of(MyApp(MyAppWith(MeshCanary(80, 20))));

        Assert.Contains(words, w => w.StartsWith("Rule 1 · canary of myapp: every request → 80% v1, 20% v2", StringComparison.Ordinal));
        Assert.Contains(words, w => w.StartsWith("Requests arriving at gateway myapp/myapp-gateway, for myapp.example.com, test.myapp.example.com", StringComparison.Ordinal)
            || w.StartsWith("Requests arriving at gateway myapp/myapp-gateway, for test.myapp.example.com, myapp.example.com", StringComparison.Ordinal));
    }
}
