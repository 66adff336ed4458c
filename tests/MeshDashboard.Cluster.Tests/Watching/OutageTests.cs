using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Tests.Changes;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Cluster.Tests.Watching;

/// <summary>An outage is visible, pauses changes, and ends with a fresh list when the cluster answers again.</summary>
public sealed class OutageTests : PipelineTestBase
{
    private static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");

    private async Task<ConnectionHealth> WaitForHealthAsync(Func<ConnectionHealth, bool> condition)
    {
        await Harness.WaitForAsync(_ => condition(Harness.Cache.Health));
        return Harness.Cache.Health;
    }

    [Fact]
    public async Task WhenTheClusterStops_TheCacheSaysSince_AndChangesArePaused()
    {
        var port = Sandbox.Cluster.Address.Port;
        var before = Harness.Cache.Current;

        await Sandbox.StopAsync();
        var down = await WaitForHealthAsync(h => !h.IsReachable);
        var outcome = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("alice"), Cancel);

        Assert.NotNull(down.UnreachableSince);
        Assert.NotNull(down.CurrentAsOf);
        Assert.Equal(ChangeStatus.Unreachable, outcome.Status);
        Assert.Contains("changes are paused", outcome.Message);
        Assert.Same(before, Harness.Cache.Current);

        await Sandbox.StartAgainAsync(port);
        var up = await WaitForHealthAsync(h => h.IsReachable);

        Assert.Null(up.UnreachableSince);
        var applied = await Harness.Pipeline.ApplyAsync(new SetWeights(MyApp, new Dictionary<string, int> { ["v1"] = 50, ["v2"] = 50 }), new ChangeRequest("alice"), Cancel);
        Assert.Equal(ChangeStatus.Applied, applied.Status);
    }

    [Fact]
    public void AReconnectWithinTheGrace_IsNotStale()
    {
        var since = DateTimeOffset.Parse("2026-12-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var health = new ConnectionHealth(since, since, "connection refused");

        Assert.False(health.IsStale(since.AddSeconds(9), TimeSpan.FromSeconds(10)));
        Assert.True(health.IsStale(since.AddSeconds(10), TimeSpan.FromSeconds(10)));
        Assert.False(new ConnectionHealth(null, since, null).IsStale(since.AddHours(1), TimeSpan.FromSeconds(10)));
    }
}
