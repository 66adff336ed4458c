using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Metrics;

/// <summary>
/// The whole path a real cluster takes, with a real Prometheus: it scrapes the sandbox's <c>/metrics</c> every second
/// (https, pinned to the sandbox's own certificate, with its bearer token, as a scrape job of an API server is set up),
/// and the dashboard reads the figures back through Prometheus's HTTP API. The caller's proxy reports fault aborts
/// (Istio's fault filter answers before the request leaves), so the dashboard reads the <c>source</c> reporter here.
/// </summary>
public sealed class PrometheusIntegrationTests : IAsyncLifetime
{
    private readonly TestPrometheus _prometheus = TestPrometheus.OnFreePort();
    private TestDashboard _dashboard = null!;
    private HttpClient _http = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _dashboard = new TestDashboard(new Dictionary<string, string?>
        {
            ["Metrics:PrometheusUrl"] = _prometheus.Address.ToString(),
            ["Metrics:Reporter"] = "source",
            ["Metrics:RefreshInterval"] = "00:00:01",
            // No traffic until the test has set up routing, so every request in the window follows it.
            ["Sandbox:Traffic:RequestsPerSecond"] = "0",
        });
        await _dashboard.InitializeAsync();
        _http = _dashboard.CreateHttpClient();
        var sandbox = _dashboard.App.Sandbox!;
        var tokenFile = Path.Combine(_prometheus.Folder, "sandbox-token");
        var caFile = Path.Combine(_prometheus.Folder, "sandbox-ca.pem");
        await File.WriteAllTextAsync(tokenFile, sandbox.Token, Cancel);
        await File.WriteAllTextAsync(caFile, sandbox.CertificatePem, Cancel);
        await _prometheus.StartAsync($"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
            - job_name: meshdashboard-sandbox
              scheme: https
              metrics_path: /metrics
              authorization:
                type: Bearer
                credentials_file: {tokenFile}
              tls_config:
                ca_file: {caFile}
              static_configs:
              - targets: ["{sandbox.Address.Authority}"]
            """, Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        // Prometheus first: it is killed even if the dashboard fails to stop.
        await _prometheus.DisposeAsync();
        _http?.Dispose();
        await _dashboard.DisposeAsync();
    }

    [Fact]
    public async Task ThroughPrometheus_TheDashboardReportsTheSplitAndTheStagedAbortRate()
    {
        var kubectl = _dashboard.Kubectl;
        (await kubectl.RunAsync(["apply", "-f", "-"], """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              hosts: [reviews]
              http:
              - name: canary
                route:
                - {destination: {host: reviews, subset: v1}, weight: 90}
                - {destination: {host: reviews, subset: v2}, weight: 10}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: details, namespace: bookinfo}
            spec:
              hosts: [details]
              http:
              - name: flaky
                fault:
                  abort: {httpStatus: 503, percentage: {value: 50}}
                route:
                - destination: {host: details}
            """)).EnsureSuccess();
        (await kubectl.RunAsync("annotate", "svc", "reviews", "details", "-n", "bookinfo", "traffic.sandbox.meshdashboard.io/requests-per-second=200")).EnsureSuccess();

        // Wait until Prometheus holds enough scraped traffic for both services (several scrapes' worth), then read once more.
        JsonNode reviews = null!;
        JsonNode details = null!;
        await MetricsTestWaits.UntilAsync(async () =>
        {
            reviews = await GetAsync("/api/services/bookinfo/reviews/metrics?window=1m");
            details = await GetAsync("/api/services/bookinfo/details/metrics?window=1m");
            return (string?)reviews["availability"] == "live" && (double?)reviews["service"]!["requestsPerSecond"] > 50
                && (double?)details["service"]!["requestsPerSecond"] > 50 ? reviews : null;
        }, TimeSpan.FromSeconds(90), Cancel);

        Assert.Equal("prometheus", (string?)reviews["source"]);
        var subsets = reviews["subsets"]!.AsArray();
        var v1 = (double)subsets.Single(s => (string?)s!["name"] == "v1")!["share"]!;
        var v2 = (double)subsets.Single(s => (string?)s!["name"] == "v2")!["share"]!;
        Assert.InRange(v1, 0.85, 0.95);
        Assert.InRange(v2, 0.05, 0.15);
        var errorRate = 1 - (double)details["service"]!["successRate"]!;
        Assert.InRange(errorRate, 0.40, 0.60);
    }

    private async Task<JsonNode> GetAsync(string path) =>
        JsonNode.Parse(await _http.GetStringAsync(new Uri(path, UriKind.Relative), Cancel))!;
}
