using k8s;
using k8s.Models;
using MeshDashboard.Cluster.Tests.Changes;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Cluster.Tests.Watching;

/// <summary>The shared watch cache fed by KubernetesClient over HTTP from the sandbox, as in production.</summary>
public sealed class MeshWatchTests : PipelineTestBase
{
    private static CancellationTokenSource Timeout()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(30));
        return source;
    }

    private static long? Weight(MeshSnapshot snapshot, int index) =>
        snapshot.Find(ResourceKind.VirtualService, "myapp", "myapp")?.Spec.Arr("http")?[0].Arr("route")?[index].Int("weight");

    private Task PatchWeightsAsync(int v1, int v2) => PatchWeightsAsync(Harness.Client, v1, v2);

    private static Task PatchWeightsAsync(IKubernetes client, int v1, int v2) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch($$"""[{"op":"replace","path":"/spec/http/0/route/0/weight","value":{{v1}}},{"op":"replace","path":"/spec/http/0/route/1/weight","value":{{v2}}}]""", V1Patch.PatchType.JsonPatch),
            ResourceKinds.IstioGroup, ResourceKinds.IstioVersion, "myapp", "virtualservices", "myapp",
            cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public void Sync_ListsEveryKindOfTheDemoMesh()
    {
        var snapshot = Harness.Cache.Current;

        Assert.True(Harness.Cache.IsSynced);
        Assert.Equal(4, snapshot.Count(ResourceKind.VirtualService));
        Assert.Equal(2, snapshot.Count(ResourceKind.DestinationRule));
        Assert.Equal(1, snapshot.Count(ResourceKind.Gateway));
        Assert.Contains(snapshot.Of(ResourceKind.Service), s => s.Name == "reviews" && s.Namespace == "bookinfo");
        Assert.Equal(25, Weight(snapshot, 0));
    }

    [Fact]
    public void Sync_KeepsEachPodAsItsSummary_WithWhatThePagesRead()
    {
        var pods = Harness.Cache.Current.Of(ResourceKind.Pod).ToList();

        Assert.NotEmpty(pods);
        Assert.All(pods, pod => Assert.NotNull(pod.Pod));
        // The sandbox's ingress gateway pod (DemoMesh/sandbox-workloads.yaml): its address and readiness as listed.
        var gateway = Assert.Single(pods, p => p.Name == "istio-ingressgateway-1-27-4f4232af8-3bf98");
        Assert.Equal(("istio-system", "10.244.0.14", "Running"), (gateway.Namespace, gateway.Pod!.PodIp, gateway.Pod.Phase));
        Assert.True(MeshIndex.IsReady(gateway));
        Assert.Equal("ingressgateway", gateway.Labels["istio"]);
    }

    [Fact]
    public async Task Watch_SeesAPatchMadeThroughTheApi()
    {
        await PatchWeightsAsync(50, 50);

        var snapshot = await Harness.WaitForAsync(s => Weight(s, 0) == 50);
        Assert.Equal(50, Weight(snapshot, 1));
    }

    [Fact]
    public async Task Watch_SeesDeletionsAndCreations()
    {
        await Harness.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ResourceKinds.IstioGroup, ResourceKinds.IstioVersion, "myapp", "gateways", "myapp-gateway",
            cancellationToken: Cancel);

        await Harness.WaitForAsync(s => s.Find(ResourceKind.Gateway, "myapp", "myapp-gateway") is null);
    }

    [Fact]
    public async Task Watch_ResumesAfterTheSandboxRestarts()
    {
        await Sandbox.RestartAsync();
        // Someone else changes the restarted cluster. (A new client: the harness's pooled connections died with the
        // old server, and a PATCH, not being idempotent, is not retried on a connection the server has closed.)
        using (var other = Sandbox.CreateClient())
        {
            await PatchWeightsAsync(other, 10, 90);
        }

        var snapshot = await Harness.WaitForAsync(s => Weight(s, 0) == 10);
        Assert.Equal(90, Weight(snapshot, 1));
    }

    [Fact]
    public async Task Watch_ThatMissedChangesWhileDisconnected_ListsAgainAndSeesThem()
    {
        var port = Sandbox.Cluster.Address.Port;
        await Sandbox.StopAsync();

        // Someone changes the cluster while the dashboard cannot see it (another server on the same data).
        await Sandbox.StartAgainAsync(port: 0);
        using (var other = Sandbox.CreateClient())
        {
            await other.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch("""{"metadata":{"labels":{"changed":"offline"}}}""", V1Patch.PatchType.MergePatch),
                ResourceKinds.IstioGroup, ResourceKinds.IstioVersion, "bookinfo", "virtualservices", "reviews",
                cancellationToken: Cancel);
        }
        await Sandbox.StopAsync();
        await Sandbox.StartAgainAsync(port);

        // The watcher's version predates the restarted server's history: 410 Gone, then a fresh list.
        await Harness.WaitForAsync(s => s.Find(ResourceKind.VirtualService, "bookinfo", "reviews")?.Labels.GetValueOrDefault("changed") == "offline");
    }

    [Fact]
    public async Task WatchSource_FromAVersionTooOld_ReportsExpired()
    {
        await Sandbox.RestartAsync();
        var source = KindSources.All(Harness.Client, "meshdashboard").Single(s => s.Kind == ResourceKind.VirtualService);

        using var timeout = Timeout();
        await foreach (var change in source.WatchAsync("1", timeout.Token))
        {
            Assert.Equal(ChangeType.Expired, change.Type);
            return;
        }
        Assert.Fail("the watch ended without reporting expiry");
    }
}
