using System.Net;
using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Metrics;

/// <summary>
/// <c>GET /api/services/{ns}/{name}/metrics</c> in Sandbox mode with no Prometheus: the embedded default reads the
/// sandbox's simulated traffic through the same interface the Prometheus reader implements.
/// </summary>
public sealed class MetricsApiTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new(new Dictionary<string, string?>
    {
        ["Metrics:RefreshInterval"] = "00:00:01",
        ["Sandbox:Traffic:RequestsPerSecond"] = "50",
    });

    private HttpClient _http = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _dashboard.InitializeAsync();
        _http = _dashboard.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _dashboard.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_InSandboxMode_ComeFromTheSimulatorPerSubset()
    {
        // The simulator ticks every second and the sandbox keeps a checkpoint every 5 s: wait for the first figures.
        var body = await MetricsTestWaits.UntilAsync(async () =>
        {
            var answer = JsonNode.Parse(await _http.GetStringAsync(new Uri("/api/services/bookinfo/reviews/metrics?window=30s", UriKind.Relative), Cancel))!;
            return (double?)answer["subsets"]![0]!["requestsPerSecond"] > 0 ? answer : null;
        }, TimeSpan.FromSeconds(60), Cancel);

        Assert.Equal("sandbox", (string?)body["source"]);
        Assert.Equal("30s", (string?)body["window"]);
        Assert.Equal("live", (string?)body["availability"]);
        Assert.Equal(["v1", "v2", "v3"], body["subsets"]!.AsArray().Select(s => (string?)s!["name"]));
        var v1 = body["subsets"]![0]!;
        Assert.Equal(1.0, (double?)v1["successRate"]);
        Assert.NotNull((double?)v1["p99Ms"]);
        Assert.Equal(0.0, (double?)body["subsets"]![2]!["requestsPerSecond"]);
        Assert.Null((double?)body["subsets"]![2]!["successRate"]);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("5d")]
    [InlineData("7h")]
    public async Task Metrics_WithABadWindow_IsAProblemNamingWindow(string window)
    {
        using var response = await _http.GetAsync(new Uri($"/api/services/bookinfo/reviews/metrics?window={window}", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.NotNull(problem["errors"]!["window"]);
    }

    [Fact]
    public async Task Metrics_OfAnUnknownService_Is404()
    {
        using var response = await _http.GetAsync(new Uri("/api/services/bookinfo/nope/metrics", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheMetricsEndpointAndItsWindow()
    {
        var document = JsonNode.Parse(await _http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel))!;

        var operation = document["paths"]!["/api/services/{namespace}/{name}/metrics"]!["get"]!;
        Assert.Equal("GetServiceMetrics", (string?)operation["operationId"]);
        Assert.Contains(operation["parameters"]!.AsArray(), p => (string?)p!["name"] == "window" && (string?)p["in"] == "query");
        Assert.NotNull(operation["responses"]!["400"]);
    }
}

/// <summary>Polls a condition until it holds or a deadline passes: waiting on an outcome, never on a fixed time.</summary>
internal static class MetricsTestWaits
{
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, CancellationToken cancellationToken) where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (true)
        {
            if (await probe() is { } result)
            {
                return result;
            }
            if (!await poll.WaitForNextTickAsync(timeout.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
            {
                throw new TimeoutException($"The condition did not hold within {deadline.TotalSeconds:0}s.");
            }
        }
    }
}
