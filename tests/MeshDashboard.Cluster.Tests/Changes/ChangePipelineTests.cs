using System.Text.Json.Nodes;
using k8s;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>Every edit through the one path, against the sandbox over HTTP, read back from the cluster.</summary>
public sealed class ChangePipelineTests : PipelineTestBase
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");
    private static readonly ObjectRef Reviews = new(ResourceKind.Service, "bookinfo", "reviews");
    private static readonly ChangeRequest ByAlice = new("alice", "release 1.5");


    private async Task<JsonObject> LiveAsync(ResourceKind kind, string ns, string name) =>
        (await Harness.Writer.GetAsync(new ObjectRef(kind, ns, name), Cancel))!;

    private static string Weights(JsonObject vs, int rule = 0) =>
        string.Join(" ", (vs["spec"]!["http"]![rule]!["route"] as JsonArray)!.Select(r => $"{r!["destination"]!["subset"]}={r["weight"]}"));

    [Fact]
    public async Task SetWeights_IsAppliedReadBackAndRecordedWithABaseline()
    {
        var outcome = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), ByAlice, Cancel);

        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        Assert.Equal("v1=50 v2=50", Weights(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp")));
        var history = await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel);
        Assert.Equal(["r000001", "r000000"], history.Select(h => h.Revision));
        Assert.Equal("alice", history[0].Author);
        Assert.Equal("release 1.5", history[0].Reason);
        Assert.True(history[1].IsBaseline);
        Assert.Contains("+      weight: 50", history[0].Objects.Single().UnifiedDiff);
    }

    [Fact]
    public async Task Preview_ShowsTheDiffAndTheServersVerdict_AndWritesNothing()
    {
        var before = await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp");

        var preview = await Harness.Pipeline.PreviewAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("test"), Cancel);

        var diff = Assert.Single(preview.Objects);
        Assert.Equal(ObjectAction.Update, diff.Action);
        Assert.Contains("-      weight: 25", diff.UnifiedDiff);
        Assert.Contains("+      weight: 50", diff.UnifiedDiff);
        Assert.True(preview.DryRun.Accepted, preview.DryRun.Message);
        Assert.Equal(before.ToJsonString(), (await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp")).ToJsonString());
        Assert.Empty(await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel));
    }

    [Fact]
    public async Task Preview_OfAStateTheServerRefuses_ReportsTheRefusalNamingTheField()
    {
        var vs = await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp");
        vs["spec"]!["http"]![0]!["route"]![0]!["weight"] = -1;
        var restore = new RestoreObjects(MyApp, "bad restore", [(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp"), vs)]);

        var preview = await Harness.Pipeline.PreviewAsync(restore, new ChangeRequest("test"), Cancel);

        Assert.False(preview.DryRun.Accepted);
        Assert.Contains("spec.http[0].route[0].weight", preview.DryRun.Message);
    }

    [Fact]
    public async Task TwoWritersRacing_OneSucceedsAndTheOtherIsRefusedWithNothingLost()
    {
        var staleReplica = Harness.StaleReplica(Harness.Cache.Current);

        var first = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 40, ["v2"] = 60 }), ByAlice, Cancel);
        var second = await staleReplica.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 90, ["v2"] = 10 }), new ChangeRequest("bob"), Cancel);

        Assert.Equal(ChangeStatus.Applied, first.Status);
        Assert.Equal(ChangeStatus.Conflict, second.Status);
        Assert.Contains("Someone else changed", second.Message);
        Assert.Contains("+      weight: 40", Assert.Single(second.ConcurrentChanges).UnifiedDiff);
        Assert.Equal("v1=40 v2=60", Weights(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp")));
        Assert.DoesNotContain(await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel), h => h.Author == "bob");
    }

    [Fact]
    public async Task Apply_WithAnOutdatedExpectedVersion_IsRefusedBeforeWriting()
    {
        var service = Harness.Dashboard.Current.FindService("myapp", "myapp")!;
        var version = Harness.Dashboard.VersionOf(service);
        await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 40, ["v2"] = 60 }), ByAlice, Cancel);

        var outcome = await Harness.Pipeline.ApplyAsync(new RouteAllTo(MyApp, "v1"), new ChangeRequest("bob", ExpectedVersion: version), Cancel);

        Assert.Equal(ChangeStatus.Conflict, outcome.Status);
        Assert.Equal("v1=40 v2=60", Weights(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp")));
    }

    [Fact]
    public async Task TwoObjectChange_WhoseSecondWriteFails_UndoesTheFirst()
    {
        var dr = await LiveAsync(ResourceKind.DestinationRule, "myapp", "myapp");
        var drBefore = dr.ToJsonString();
        ((JsonObject)dr["metadata"]!)["labels"] = new JsonObject { ["touched"] = "yes" };
        var vs = await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp");
        vs["spec"]!["http"]![0]!["route"]![0]!["weight"] = -1;
        var change = new RestoreObjects(MyApp, "two objects",
            [(new ObjectRef(ResourceKind.DestinationRule, "myapp", "myapp"), dr), (new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp"), vs)]);

        var outcome = await Harness.Pipeline.ApplyAsync(change, ByAlice, Cancel);

        Assert.Equal(ChangeStatus.Invalid, outcome.Status);
        Assert.Contains("were undone", outcome.Message);
        var drAfter = await LiveAsync(ResourceKind.DestinationRule, "myapp", "myapp");
        Assert.Null(drAfter["metadata"]!["labels"]?["touched"]);
        Assert.Equal(JsonNode.Parse(drBefore)!["spec"]!.ToJsonString(), drAfter["spec"]!.ToJsonString());
        Assert.Empty(await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel));
    }

    [Fact]
    public async Task CreateRouting_ForAServiceWithoutIstioObjects_CreatesTheDestinationRuleBeforeTheVirtualService()
    {
        var ratings = new ObjectRef(ResourceKind.Service, "bookinfo", "ratings");

        var preview = await Harness.Pipeline.PreviewAsync(new CreateRouting(ratings), new ChangeRequest("test"), Cancel);
        var outcome = await Harness.Pipeline.ApplyAsync(new CreateRouting(ratings), ByAlice, Cancel);

        Assert.Equal([ResourceKind.DestinationRule, ResourceKind.VirtualService], preview.Objects.Select(o => o.Target.Kind));
        Assert.All(preview.Objects, o => Assert.Equal(ObjectAction.Create, o.Action));
        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        var dr = await LiveAsync(ResourceKind.DestinationRule, "bookinfo", "ratings");
        Assert.Equal("v1", (string?)dr["spec"]!["subsets"]![0]!["name"]);
        Assert.Equal("v1", (string?)(await LiveAsync(ResourceKind.VirtualService, "bookinfo", "ratings"))["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]);
    }

    [Fact]
    public async Task AWrite_AddsNoEmptyLabelsOrAnnotations_ToAnObjectThatHadNone()
    {
        var vs = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"ratings","namespace":"bookinfo"},
             "spec":{"hosts":["ratings"],"http":[{"route":[{"destination":{"host":"ratings"}}]}]}}
            """)!.AsObject();
        var created = await Harness.Writer.CreateAsync(ResourceKind.VirtualService, vs, dryRun: false, Cancel);
        var desired = (JsonObject)created.DeepClone();
        desired["spec"]!["http"]![0]!["timeout"] = "5s";

        await Harness.Writer.ReplaceAsync(new ObjectRef(ResourceKind.VirtualService, "bookinfo", "ratings"), (string)created["metadata"]!["resourceVersion"]!, created, desired, dryRun: false, Cancel);

        var live = await LiveAsync(ResourceKind.VirtualService, "bookinfo", "ratings");
        Assert.Equal("5s", (string?)live["spec"]!["http"]![0]!["timeout"]);
        Assert.False(live["metadata"]!.AsObject().ContainsKey("labels"));
        Assert.False(live["metadata"]!.AsObject().ContainsKey("annotations"));
    }

    [Fact]
    public async Task AWriteFromAStaleRead_IsAConflict_ByTheApiServersResourceVersionPrecondition()
    {
        var read = await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp");
        var staleVersion = (string)read["metadata"]!["resourceVersion"]!;
        (await Sandbox.Kubectl.RunAsync("-n", "myapp", "annotate", "vs", "myapp", "touched=by-someone-else")).EnsureSuccess();
        var desired = (JsonObject)read.DeepClone();
        desired["spec"]!["http"]![0]!["timeout"] = "5s";

        var refused = await Assert.ThrowsAsync<ClusterWriteException>(() =>
            Harness.Writer.ReplaceAsync(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp"), staleVersion, read, desired, dryRun: false, Cancel));

        Assert.Equal(WriteFailure.Conflict, refused.Failure);
        Assert.Null((await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp"))["spec"]!["http"]![0]!["timeout"]);
    }

    [Fact]
    public async Task BlueGreenSwitch_KeepsTheRoutesOtherFields()
    {
        var publicVs = await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp-public");
        var read = (JsonObject)publicVs.DeepClone();
        publicVs["spec"]!["http"]![0]!["retries"] = new JsonObject { ["attempts"] = 2, ["perTryTimeout"] = "1s" };
        publicVs["spec"]!["http"]![0]!["corsPolicy"] = new JsonObject { ["allowOrigins"] = new JsonArray(new JsonObject { ["exact"] = "https://myapp.example.com" }) };
        await Harness.Writer.ReplaceAsync(new ObjectRef(ResourceKind.VirtualService, "myapp", "myapp-public"), (string)publicVs["metadata"]!["resourceVersion"]!, read, publicVs, dryRun: false, Cancel);
        await Harness.WaitForAsync(s => s.Find(ResourceKind.VirtualService, "myapp", "myapp-public")?.Spec?["http"]?[0]?["retries"] is not null);

        await Harness.Pipeline.ApplyAsync(new SwitchBlueGreen(MyApp, "v1"), ByAlice, Cancel);
        await Harness.Pipeline.ApplyAsync(new SwitchBlueGreen(MyApp, "v2"), ByAlice, Cancel);

        var rule = (await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp-public"))["spec"]!["http"]![0]!;
        Assert.Equal(2, (int?)rule["retries"]!["attempts"]);
        Assert.Equal("https://myapp.example.com", (string?)rule["corsPolicy"]!["allowOrigins"]![0]!["exact"]);
        Assert.Equal("v2", (string?)rule["route"]![0]!["destination"]!["subset"]);
    }

    [Fact]
    public async Task BlueGreenSwitch_AndBack_MovesLiveAndPreviewHostsInOneChange()
    {
        var toBlue = await Harness.Pipeline.ApplyAsync(new SwitchBlueGreen(MyApp, "v1"), ByAlice, Cancel);

        Assert.Equal(ChangeStatus.Applied, toBlue.Status);
        Assert.Equal("v1", Subset(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp-public")));
        Assert.Equal("v2", Subset(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp-preview")));

        var back = await Harness.Pipeline.ApplyAsync(new SwitchBlueGreen(MyApp, "v2"), ByAlice, Cancel);

        Assert.Equal(ChangeStatus.Applied, back.Status);
        Assert.Equal("v2", Subset(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp-public")));
        Assert.Equal("v1", Subset(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp-preview")));

        static string? Subset(JsonObject vs) => (string?)vs["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"];
    }

    [Fact]
    public async Task Rollback_RestoresTheWeightsBeforeTheLatestChange_AsANewRecordedChange()
    {
        await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), ByAlice, Cancel);
        await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 10, ["v2"] = 90 }), ByAlice, Cancel);

        var rollback = await Harness.Dashboard.RollbackOperationAsync(MyApp, revision: null, Cancel);
        var outcome = await Harness.Pipeline.ApplyAsync(rollback, new ChangeRequest("alice", "graphs turned red"), Cancel);

        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        Assert.Equal("v1=50 v2=50", Weights(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp")));
        var history = await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel);
        Assert.Equal(4, history.Count);
        Assert.StartsWith("Roll back r000002", history[0].Summary);
    }

    [Fact]
    public async Task RollbackOfARollback_IsSummarisedFlat_NamingTheUndoneAndTheRestoredRevision()
    {
        await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), ByAlice, Cancel);
        await Harness.Pipeline.ApplyAsync(await Harness.Dashboard.RollbackOperationAsync(MyApp, revision: null, Cancel), ByAlice, Cancel);

        var again = await Harness.Dashboard.RollbackOperationAsync(MyApp, revision: null, Cancel);
        await Harness.Pipeline.ApplyAsync(again, ByAlice, Cancel);

        var history = await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel);
        Assert.StartsWith("Roll back r000001 (restores r000000): ", history[1].Summary, StringComparison.Ordinal);
        Assert.Equal("Roll back r000002 (restores r000001)", history[0].Summary);
        Assert.Equal("v1=50 v2=50", Weights(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp")));
    }

    [Fact]
    public async Task RestoreBaseline_AfterSeveralChanges_BringsBackTheOriginalState()
    {
        var original = await LiveAsync(ResourceKind.VirtualService, "bookinfo", "reviews");
        await Harness.Pipeline.ApplyAsync(new SetFault(Reviews, "tester", null), ByAlice, Cancel);
        await Harness.Pipeline.ApplyAsync(new RouteAllTo(Reviews, "v3"), ByAlice, Cancel);

        var restore = await Harness.Dashboard.RollbackOperationAsync(Reviews, "r000000", Cancel);
        var outcome = await Harness.Pipeline.ApplyAsync(restore, ByAlice, Cancel);

        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        Assert.Equal(original["spec"]!.ToJsonString(), (await LiveAsync(ResourceKind.VirtualService, "bookinfo", "reviews"))["spec"]!.ToJsonString());
    }

    [Fact]
    public async Task Apply_ThatChangesNothing_WritesAndRecordsNothing()
    {
        var outcome = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 25, ["v2"] = 75 }), ByAlice, Cancel);

        Assert.Equal(ChangeStatus.NoChange, outcome.Status);
        Assert.Empty(await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel));
    }

    [Fact]
    public async Task Apply_WithInvalidInput_AnswersTheFieldAndWritesNothing()
    {
        var outcome = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 30, ["v9"] = 70 }), ByAlice, Cancel);

        Assert.Equal(ChangeStatus.Invalid, outcome.Status);
        Assert.Contains(outcome.Errors, e => e.Field.Contains("v9", StringComparison.Ordinal));
        Assert.Equal("v1=25 v2=75", Weights(await LiveAsync(ResourceKind.VirtualService, "myapp", "myapp")));
    }

    [Fact]
    public async Task WeakeningTls_IsRefusedInPreviewAndApply_WithoutTheRightToWeakenIt()
    {
        var myApp = new ObjectRef(ResourceKind.Service, "myapp", "myapp");
        var disable = await Harness.Pipeline.ApplyAsync(new SetTrafficPolicy(myApp, null, new TrafficPolicySettings(TlsMode: "DISABLE")), ByAlice, Cancel);
        var preview = await Harness.Pipeline.PreviewAsync(new SetTrafficPolicy(myApp, null, new TrafficPolicySettings(TlsMode: "DISABLE")), ByAlice, Cancel);

        Assert.Equal(ChangeStatus.Forbidden, disable.Status);
        Assert.Contains("DestinationRule myapp/myapp, all subsets: tls.mode ISTIO_MUTUAL → DISABLE", disable.Message);
        Assert.Equal(disable.Message, preview.Refusal);
        Assert.Equal("ISTIO_MUTUAL", (string?)(await LiveAsync(ResourceKind.DestinationRule, "myapp", "myapp"))["spec"]!["trafficPolicy"]!["tls"]!["mode"]);
    }

    [Fact]
    public async Task EveryOperation_KeepsFieldsTheDashboardDoesNotModel()
    {
        var client = Harness.Client;
        var dr = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"ratings","namespace":"bookinfo","labels":{"team":"ratings"},"annotations":{"note":"keep"}},
             "spec":{"host":"ratings","exportTo":["."],"trafficPolicy":{"connectionPool":{"tcp":{"tcpKeepalive":{"time":"7200s"}}},"portLevelSettings":[{"port":{"number":9080},"loadBalancer":{"simple":"RANDOM"}}]},
             "subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v2","labels":{"version":"v1"}}]}}
            """)!.AsObject();
        var vs = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"ratings","namespace":"bookinfo","labels":{"team":"ratings"},"annotations":{"note":"keep"}},
             "spec":{"hosts":["ratings"],"exportTo":["."],"http":[
               {"name":"default","timeout":"10s","retries":{"attempts":3,"perTryTimeout":"2s","retryOn":"5xx"},"corsPolicy":{"allowOrigins":[{"exact":"https://a.example"}]},
                "headers":{"request":{"set":{"x-team":"ratings"}}},"mirror":{"host":"ratings-shadow"},"mirrorPercentage":{"value":5},
                "route":[{"destination":{"host":"ratings","subset":"v1"}}]}]}}
            """)!.AsObject();
        await Harness.Writer.CreateAsync(ResourceKind.DestinationRule, dr, dryRun: false, Cancel);
        await Harness.Writer.CreateAsync(ResourceKind.VirtualService, vs, dryRun: false, Cancel);
        await Harness.WaitForAsync(s => s.Find(ResourceKind.VirtualService, "bookinfo", "ratings") is not null && s.Find(ResourceKind.DestinationRule, "bookinfo", "ratings") is not null);
        var ratings = new ObjectRef(ResourceKind.Service, "bookinfo", "ratings");

        ITrafficOperation[] operations =
        [
            new SetWeights(ratings, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }),
            new SetRoutingRules(ratings, [new RoutingRule("tester", [new MatchCondition(ConditionKind.Header, "end-user", MatchKind.Exact, "tester")], new Dictionary<string, int> { ["v2"] = 100 })], new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }),
            new SetFault(ratings, "tester", new FaultSettings(50, 503, null, null, null)),
            new SetTrafficPolicy(ratings, "v2", new TrafficPolicySettings(new OutlierDetectionSettings(Consecutive5xxErrors: 3, Interval: "10s"))),
            new SetTrafficPolicy(ratings, null, new TrafficPolicySettings(TlsMode: "ISTIO_MUTUAL")),
        ];
        foreach (var operation in operations)
        {
            var outcome = await Harness.Pipeline.ApplyAsync(operation, ByAlice, Cancel);
            Assert.True(outcome.Status == ChangeStatus.Applied, $"{operation.GetType().Name}: {outcome.Message}");
        }
        // Undoing the ISTIO_MUTUAL above removes TLS again, which only a caller allowed to weaken TLS may do.
        var rollback = await Harness.Pipeline.ApplyAsync(await Harness.Dashboard.RollbackOperationAsync(ratings, null, Cancel), ByAlice with { MayWeakenTls = true }, Cancel);
        Assert.Equal(ChangeStatus.Applied, rollback.Status);

        var liveVs = await LiveAsync(ResourceKind.VirtualService, "bookinfo", "ratings");
        var liveDr = await LiveAsync(ResourceKind.DestinationRule, "bookinfo", "ratings");
        var fallback = (liveVs["spec"]!["http"] as JsonArray)!.Single(r => (string?)r!["name"] == "default")!;
        Assert.Equal("10s", (string?)fallback["timeout"]);
        Assert.Equal(3, (int?)fallback["retries"]!["attempts"]);
        Assert.Equal("https://a.example", (string?)fallback["corsPolicy"]!["allowOrigins"]![0]!["exact"]);
        Assert.Equal("ratings", (string?)fallback["headers"]!["request"]!["set"]!["x-team"]);
        Assert.Equal("ratings-shadow", (string?)fallback["mirror"]!["host"]);
        Assert.Equal(".", (string?)liveVs["spec"]!["exportTo"]![0]);
        Assert.Equal("keep", (string?)liveVs["metadata"]!["annotations"]!["note"]);
        Assert.Equal("ratings", (string?)liveVs["metadata"]!["labels"]!["team"]);
        Assert.Equal("7200s", (string?)liveDr["spec"]!["trafficPolicy"]!["connectionPool"]!["tcp"]!["tcpKeepalive"]!["time"]);
        Assert.Equal("RANDOM", (string?)liveDr["spec"]!["trafficPolicy"]!["portLevelSettings"]![0]!["loadBalancer"]!["simple"]);
        Assert.Equal("keep", (string?)liveDr["metadata"]!["annotations"]!["note"]);
        Assert.Equal(".", (string?)liveDr["spec"]!["exportTo"]![0]);
    }

    [Fact]
    public async Task History_IsKeptInTheClusterAndSurvivesARestart()
    {
        await Harness.Pipeline.ApplyAsync(new RouteAllTo(MyApp, "v2"), ByAlice, Cancel);

        await Sandbox.RestartAsync();

        using var client = Sandbox.CreateClient();
        var map = await client.CoreV1.ReadNamespacedConfigMapAsync("meshdashboard-history-myapp-myapp", "meshdashboard", cancellationToken: Cancel);
        Assert.Contains("r000001.json", map.Data.Keys);
        Assert.Contains("alice", map.Data["r000001.json"]);
    }

    [Fact]
    public async Task RecentChanges_ListChangesOfEveryServiceNewestFirst()
    {
        Assert.Empty(await Harness.History.ReadRecentAsync(Cancel));

        await Harness.Pipeline.ApplyAsync(new RouteAllTo(MyApp, "v2"), ByAlice, Cancel);
        await Harness.Pipeline.ApplyAsync(new SetWeights(Reviews, new Dictionary<string, int> { ["v1"] = 50, ["v3"] = 50 }), new ChangeRequest("bob", "try v3"), Cancel);

        var recent = await Harness.Dashboard.GetRecentChangesAsync(Cancel);
        Assert.Equal([(Reviews, "bob", "try v3"), (MyApp, "alice", "release 1.5")], recent.Select(c => (c.Service, c.Author, c.Reason)));
        Assert.Equal("r000001", recent[1].Revision);
        Assert.True(recent[0].Time >= recent[1].Time);
    }
}
