using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Metrics;
using MeshDashboard.Cluster.Rollouts;
using MeshDashboard.Mesh.Traffic;
using MeshDashboard.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshDashboard.Tests.Rollouts;

/// <summary>
/// Two dashboards (as two replicas of a Deployment) against one sandbox: the second one reaches the first one's sandbox
/// through its kubeconfig. Both run the rollout driver; exactly one drives the rollout, and every step is written once.
/// </summary>
public sealed class TwoHostsTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Quick = new()
    {
        ["Rollouts:TickInterval"] = "00:00:00.2",
        ["Rollouts:LeaseDuration"] = "00:00:03",
    };

    private readonly TestTrafficMetrics _figures = HealthyCanary();
    private TestDashboard _first = null!;
    private TestDashboard _second = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // The second host has no metrics of its own (no sandbox, no Prometheus): both read the same healthy figures.
    private static TestTrafficMetrics HealthyCanary()
    {
        var figures = new TestTrafficMetrics();
        figures.Subsets[("bookinfo", "reviews")] = new() { ["v1"] = new TrafficFigures(10, 1, 10, 20, 30), ["v2"] = new TrafficFigures(10, 1, 10, 20, 30) };
        return figures;
    }

    public async ValueTask InitializeAsync()
    {
        _first = new TestDashboard(new Dictionary<string, string?>(Quick) { ["Rollouts:Identity"] = "first" }, replaceServices: s => s.AddSingleton<ITrafficMetrics>(_figures));
        await _first.InitializeAsync();
        var kubeconfig = _first.App.Sandbox!.KubeconfigPath;
        _second = new TestDashboard(new Dictionary<string, string?>(Quick) { ["Rollouts:Identity"] = "second" },
            configure: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Cluster:Mode"] = "Kubeconfig", ["Cluster:Kubeconfig"] = kubeconfig }),
            replaceServices: s => s.AddSingleton<ITrafficMetrics>(_figures));
        await _second.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task TwoHostsOnOneCluster_NeverBothDrive_AndEachStepIsWrittenOnce()
    {
        Assert.Null(_second.App.Sandbox);
        using var http = _second.CreateHttpClient();
        using var started = await http.PostAsync(new Uri("/api/services/bookinfo/reviews/rollout", UriKind.Relative), new StringContent("""
            {"canary": "v2", "stable": "v1", "steps": [{"weight": 20, "pause": "1s"}, {"weight": 60, "pause": "1s"}, {"weight": 100}],
             "gates": {"interval": "1s", "window": "10s", "minSuccessRate": 0.9, "minRequests": 1}}
            """, Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);

        var drivers = new[] { _first, _second }.Select(d => d.App.App.Services.GetRequiredService<RolloutDriver>()).ToList();
        var bothLed = false;
        using var reader = _first.CreateHttpClient();
        JsonNode rollout;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            do
            {
                await poll.WaitForNextTickAsync(timeout.Token);
                bothLed |= drivers.All(d => d.Leads(new Mesh.Kubernetes.ObjectRef(Mesh.Kubernetes.ResourceKind.Service, "bookinfo", "reviews")));
                rollout = JsonNode.Parse(await reader.GetStringAsync(new Uri("/api/services/bookinfo/reviews/rollout", UriKind.Relative), Cancel))!;
            }
            while ((string?)rollout["phase"] is "Progressing" or "Paused");
        }

        Assert.Equal("Succeeded", (string?)rollout["phase"]);
        Assert.False(bothLed);
        Assert.Equal([0, 3], drivers.Select(d => d.Writes).Order());
        var history = JsonNode.Parse(await reader.GetStringAsync(new Uri("/api/services/bookinfo/reviews/history", UriKind.Relative), Cancel))!.AsArray();
        Assert.Equal(3, history.Count(h => ((string?)h!["reason"])?.StartsWith("via rollout", StringComparison.Ordinal) == true));
    }
}
