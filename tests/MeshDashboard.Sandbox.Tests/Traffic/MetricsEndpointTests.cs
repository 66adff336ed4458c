using System.Net;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests.Traffic;

/// <summary><c>GET /metrics</c> on the sandbox's API port: Prometheus's text format, behind the token like kube-apiserver's /metrics.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new();

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    [Fact]
    public async Task Metrics_WithTheToken_IsPrometheusTextOfIstiosMetrics()
    {
        using var http = _sandbox.CreateHttpClient();

        using var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE istio_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE istio_request_duration_milliseconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithoutAToken_IsRefused()
    {
        using var http = _sandbox.CreateAnonymousHttpClient();

        using var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
