using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.History;
using MeshDashboard.Cluster.Tests.Changes;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshDashboard.Cluster.Tests.History;

/// <summary>
/// History ConfigMaps are followed by the shared watch: pages read them from the cache, and an append starts from the
/// cached copy, reading the cluster only when a 409 says someone wrote since (another replica, a cache behind).
/// </summary>
public sealed class WatchedHistoryTests : PipelineTestBase
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");
    private static readonly ObjectRef Dr = new(ResourceKind.DestinationRule, "myapp", "myapp");

    private static RecordedObject Recorded(int i) =>
        new(Dr, new JsonObject { ["spec"] = new JsonObject { ["host"] = "myapp", ["n"] = i } }, new JsonObject { ["spec"] = new JsonObject { ["host"] = "myapp", ["n"] = i + 1 } });

    private IReadOnlyList<string> ConfigMapRequestsSince(int count) =>
        [.. Sandbox.Cluster.Requests.Snapshot().Skip(count)
            .Where(r => r.Path.Contains("/configmaps", StringComparison.Ordinal) && !r.Path.Contains("watch=", StringComparison.Ordinal))
            .Select(r => $"{r.Method} {r.Path.Split('?')[0]}")];

    [Fact]
    public async Task AChange_IsInTheHistoryThePageReads_AsSoonAsItIsApplied_WithoutReadingTheCluster()
    {
        var outcome = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("alice"), Cancel);
        var before = Sandbox.Cluster.Requests.Snapshot().Count;

        var history = await Harness.Dashboard.GetHistoryAsync(MyApp, Cancel);
        var recent = await Harness.Dashboard.GetRecentChangesAsync(Cancel);

        Assert.Equal(ChangeStatus.Applied, outcome.Status);
        Assert.Equal([outcome.Revision!, "r000000"], history.Select(h => h.Revision));
        Assert.Equal(outcome.Revision, Assert.Single(recent).Revision);
        Assert.Empty(ConfigMapRequestsSince(before));
    }

    [Fact]
    public async Task AnAppend_WritesTheCachedConfigMapBack_WithoutReadingItFirst()
    {
        await Harness.History.AppendAsync(MyApp, "alice", "first", null, [Recorded(1)], [Recorded(0)], Cancel);
        await Harness.WaitForAsync(s => s.Find(ResourceKind.ConfigMap, Harness.History.Namespace, ChangeHistoryStore.ConfigMapName(MyApp)) is not null
            && s.Find(ResourceKind.ConfigMap, Harness.History.Namespace, ChangeHistoryStore.RecentChangesName) is not null);
        var before = Sandbox.Cluster.Requests.Snapshot().Count;

        await Harness.History.AppendAsync(MyApp, "alice", "second", null, [Recorded(2)], [Recorded(0)], Cancel);

        Assert.Equal(
            [$"PUT /api/v1/namespaces/meshdashboard/configmaps/{ChangeHistoryStore.ConfigMapName(MyApp)}", "PUT /api/v1/namespaces/meshdashboard/configmaps/meshdashboard-recent-changes"],
            ConfigMapRequestsSince(before));
    }

    [Fact]
    public async Task AnAppendFromAReplicaWhoseCacheIsBehind_IsRedoneOnTheClustersCopy_AndBothChangesAreKept()
    {
        var frozen = Harness.Cache.Current;
        var replica = Harness.StaleReplica(frozen);
        await Harness.History.AppendAsync(MyApp, "alice", "on this replica", null, [Recorded(1)], [Recorded(0)], Cancel);
        var before = Sandbox.Cluster.Requests.Snapshot().Count;

        var appended = await replica.History.AppendAsync(MyApp, "bob", "on a replica that has not seen it", null, [Recorded(2)], [Recorded(0)], Cancel);
        var requests = ConfigMapRequestsSince(before);

        var entries = await Harness.History.ReadAsync(MyApp, Cancel);
        var recent = await Harness.History.ReadRecentAsync(Cancel);
        Assert.Equal(["r000000", "r000001", "r000002"], entries.Select(e => e.Revision));
        Assert.Equal(["State before the first change made with MeshDashboard", "on this replica", "on a replica that has not seen it"], entries.Select(e => e.Summary));
        Assert.Equal("r000002", appended.Revision);
        Assert.Equal(["r000002", "r000001"], recent.Select(r => r.Revision));
        // The replica's cache had neither ConfigMap: each create is refused (409) and redone on what the cluster holds.
        var history = $"/api/v1/namespaces/meshdashboard/configmaps/{ChangeHistoryStore.ConfigMapName(MyApp)}";
        const string list = "/api/v1/namespaces/meshdashboard/configmaps/meshdashboard-recent-changes";
        Assert.Equal(
            ["POST /api/v1/namespaces/meshdashboard/configmaps", $"GET {history}", $"PUT {history}",
             "POST /api/v1/namespaces/meshdashboard/configmaps", $"GET {list}", $"PUT {list}"],
            requests);
    }

    [Fact]
    public async Task ARecentChangesListWithoutTheLabel_IsStillRead_AndGetsTheLabelWithTheNextChange()
    {
        // As an older dashboard wrote it: no history label.
        var older = new JsonArray(new JsonObject
        {
            ["namespace"] = "bookinfo", ["name"] = "reviews", ["revision"] = "r000004", ["time"] = "2026-11-30T10:00:00.0000000+00:00",
            ["author"] = "dora", ["summary"] = "reviews: v1 90%, v2 10%", ["reason"] = null,
        }).ToJsonString();
        await Harness.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = ChangeHistoryStore.RecentChangesName, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "meshdashboard" } },
            Data = new Dictionary<string, string> { ["changes.json"] = older },
        }, Harness.History.Namespace, cancellationToken: Cancel);
        var cache = new MeshCache();
        using var watch = new MeshWatchService(Harness.Client, cache, new HistoryOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        await watch.StartAsync(Cancel);
        await cache.WaitForSyncAsync(Cancel);

        var listed = new Client.MeshState(cache.Current).RecentChanges;
        var history = new ChangeHistoryStore(Harness.Client, cache, new HistoryOptions(), TimeProvider.System);
        await history.AppendAsync(MyApp, "alice", "myapp: v1 50%, v2 50%", null, [Recorded(1)], [Recorded(0)], Cancel);
        var labelled = await Harness.Client.CoreV1.ReadNamespacedConfigMapAsync(ChangeHistoryStore.RecentChangesName, Harness.History.Namespace, cancellationToken: Cancel);
        await watch.StopAsync(CancellationToken.None);

        Assert.Equal("dora", Assert.Single(listed).Author);
        Assert.Equal("recent-changes", labelled.Metadata.Labels[ChangeHistoryStore.HistoryLabel]);
        Assert.Equal(["alice", "dora"], ChangeHistoryStore.RecentOf(System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(labelled)) as JsonObject).Select(r => r.Author));
    }
}
