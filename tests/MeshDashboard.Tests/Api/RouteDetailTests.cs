using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeshDashboard.Tests.Api;

/// <summary>The service detail describes every route completely, as structured fields and in words.</summary>
public sealed class RouteDetailTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // A mirrored route with timeout and retries (shape of istio/istio samples/httpbin mirroring), and a TCP split
    // (shape of samples/tcp-echo/tcp-echo-20-v2.yaml), for bookinfo/ratings.
    private const string Routes = """
        {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "ratings", "namespace": "bookinfo"},
         "spec": {"hosts": ["ratings"], "http": [
           {"route": [{"destination": {"host": "ratings", "subset": "v1"}, "weight": 100}],
            "mirror": {"host": "ratings", "subset": "v2"}, "mirrorPercentage": {"value": 20.0},
            "timeout": "500ms", "retries": {"attempts": 3, "perTryTimeout": "100ms", "retryOn": "5xx"}}],
          "tcp": [{"match": [{"port": 31400}], "route": [
            {"destination": {"host": "ratings", "subset": "v1"}, "weight": 80}, {"destination": {"host": "ratings", "subset": "v2"}, "weight": 20}]}]}}
        """;

    public async ValueTask InitializeAsync()
    {
        await _dashboard.InitializeAsync();
        (await _dashboard.Kubectl.RunAsync(["apply", "-f", "-"], Routes)).EnsureSuccess();
        var cache = _dashboard.App.App.Services.GetRequiredService<IMeshCache>();
        await foreach (var snapshot in cache.SubscribeAsync(Cancel))
        {
            if (snapshot.Find(new ObjectRef(ResourceKind.VirtualService, "bookinfo", "ratings")) is not null)
            {
                break;
            }
        }
    }

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task Detail_DescribesMirrorTimeoutRetriesAndTcpRoutes()
    {
        using var client = _dashboard.CreateHttpClient();

        var detail = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/services/bookinfo/ratings", UriKind.Relative), Cancel))!;

        var route = detail["routes"]![0]!;
        var rule = route["rules"]![0]!;
        Assert.Equal("v2", (string?)rule["mirrors"]![0]!["subset"]);
        Assert.Equal(20, (double)rule["mirrors"]![0]!["percent"]!);
        Assert.Equal("500ms", (string?)rule["timeout"]);
        Assert.Equal(3, (int)rule["retries"]!["attempts"]!);
        Assert.Equal(100, (double)rule["destinations"]![0]!["percent"]!);
        Assert.Contains("copy of 20% to v2 (shadow, not answered from)", (string?)rule["words"], StringComparison.Ordinal);
        var tcp = route["tcpAndTls"]![0]!;
        Assert.Equal("TCP", (string?)tcp["protocol"]);
        Assert.Equal([80.0, 20.0], tcp["destinations"]!.AsArray().Select(d => (double)d!["percent"]!));
        Assert.Contains("TCP port 31400 → 80% v1, 20% v2", (string?)detail["routing"]![0], StringComparison.Ordinal);
    }
}
