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

    [Fact]
    public async Task AnAppendFromACacheThatStillHoldsADeletedHistory_CreatesItAnew()
    {
        await Harness.History.AppendAsync(MyApp, "alice", "first", null, [Recorded(1)], [Recorded(0)], Cancel);
        var seen = await Harness.WaitForAsync(s => s.Find(ResourceKind.ConfigMap, Harness.History.Namespace, ChangeHistoryStore.ConfigMapName(MyApp)) is not null);
        var replica = Harness.StaleReplica(seen);
        await Harness.Client.CoreV1.DeleteNamespacedConfigMapAsync(ChangeHistoryStore.ConfigMapName(MyApp), Harness.History.Namespace, cancellationToken: Cancel);

        var appended = await replica.History.AppendAsync(MyApp, "bob", "after the history was deleted", null, [Recorded(2)], [Recorded(0)], Cancel);

        var entries = await Harness.History.ReadAsync(MyApp, Cancel);
        Assert.Equal("r000001", appended.Revision);
        Assert.Equal(["r000000", "r000001"], entries.Select(e => e.Revision));
        Assert.Equal("bob", entries[1].Author);
    }

    [Fact]
    public async Task UnderARoleThatMayListButNotWatchConfigMaps_TheHistoryIsShownEmpty_AndTheClusterStaysReachable()
    {
        await Harness.History.AppendAsync(MyApp, "alice", "first", null, [Recorded(1)], [Recorded(0)], Cancel);
        var refusing = new RefuseConfigMapWatches();
        using var client = Sandbox.CreateClient(refusing);
        var cache = new MeshCache();
        using var watch = new MeshWatchService(client, cache, new HistoryOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        await watch.StartAsync(Cancel);
        await cache.WaitForSyncAsync(Cancel);

        await refusing.Refused.Task.WaitAsync(Cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var snapshot in cache.SubscribeAsync(timeout.Token))
        {
            if (!snapshot.Of(ResourceKind.ConfigMap).Any())
            {
                break;
            }
        }
        var health = cache.Health;
        await watch.StopAsync(CancellationToken.None);

        Assert.True(health.IsReachable);
    }

    /// <summary>Answers 403 to every watch of ConfigMaps, as a Role with list but not watch does.</summary>
    private sealed class RefuseConfigMapWatches : DelegatingHandler
    {
        public TaskCompletionSource Refused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (!uri.AbsolutePath.EndsWith("/configmaps", StringComparison.Ordinal) || !uri.Query.Contains("watch=true", StringComparison.Ordinal))
            {
                return base.SendAsync(request, cancellationToken);
            }
            Refused.TrySetResult();
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.Forbidden)
            {
                RequestMessage = request,
                Content = new StringContent("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}"""),
            });
        }
    }
}
