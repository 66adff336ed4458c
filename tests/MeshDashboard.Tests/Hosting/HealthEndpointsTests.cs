using System.Net;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Hosting;

public sealed class HealthEndpointsTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new();

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task Healthz_AnswersOk()
    {
        using var http = _dashboard.CreateHttpClient();

        var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_AnswersOkOnceTheWatchCacheHasSynced()
    {
        using var http = _dashboard.CreateHttpClient();

        var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SandboxMode_WritesAKubeconfigThatReachesTheSandbox()
    {
        var result = await _dashboard.Kubectl.RunAsync("get", "vs", "-n", "bookinfo", "-o", "name");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("virtualservice.networking.istio.io/reviews", result.Output);
    }

    [Fact]
    public async Task Overview_IsServedWithTheClusterName()
    {
        using var http = _dashboard.CreateHttpClient();

        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("sandbox (Sandbox)", html);
    }
}
