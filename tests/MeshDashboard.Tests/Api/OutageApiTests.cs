using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeshDashboard.Tests.Api;

/// <summary>With the cluster gone, every answer says so: not ready, stale reads, 503 for writes and cluster reads.</summary>
public sealed class OutageApiTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new(new Dictionary<string, string?> { ["Cluster:UnreachableGrace"] = "00:00:00" });

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    private async Task StopTheClusterAsync()
    {
        var cache = _dashboard.App.App.Services.GetRequiredService<IMeshCache>();
        await _dashboard.App.Sandbox!.DisposeAsync();
        await foreach (var _ in cache.SubscribeAsync(Cancel))
        {
            if (!cache.Health.IsReachable)
            {
                return;
            }
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["title"]);
    }

    [Fact]
    public async Task WithTheClusterDown_ReadsAreMarkedStale_AndWritesAndClusterReadsAnswer503()
    {
        using var client = _dashboard.CreateHttpClient();
        using (var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await StopTheClusterAsync();
        using var notReady = await client.GetAsync(new Uri("/readyz", UriKind.Relative), Cancel);
        using var list = await client.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel);
        using var detail = await client.GetAsync(new Uri("/api/services/myapp/myapp", UriKind.Relative), Cancel);
        using var write = await client.PutAsync(new Uri("/api/services/myapp/myapp/weights", UriKind.Relative),
            new StringContent("""{"weights": {"v1": 50, "v2": 50}}""", Encoding.UTF8, "application/json"), Cancel);
        using var history = await client.GetAsync(new Uri("/api/services/myapp/myapp/history", UriKind.Relative), Cancel);
        using var changes = await client.GetAsync(new Uri("/api/changes", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.StartsWith("110", list.Headers.GetValues("Warning").Single(), StringComparison.Ordinal);
        Assert.All(JsonNode.Parse(await list.Content.ReadAsStringAsync(Cancel))!.AsArray(), s => Assert.True((bool)s!["stale"]!));
        var service = JsonNode.Parse(await detail.Content.ReadAsStringAsync(Cancel))!;
        Assert.True((bool)service["stale"]!);
        Assert.NotNull(service["asOf"]);
        await AssertProblemAsync(write, HttpStatusCode.ServiceUnavailable);
        await AssertProblemAsync(history, HttpStatusCode.ServiceUnavailable);
        await AssertProblemAsync(changes, HttpStatusCode.ServiceUnavailable);
    }
}
