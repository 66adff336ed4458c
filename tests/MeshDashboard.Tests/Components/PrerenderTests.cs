using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Components;

/// <summary>The real app on its sandbox: pages answer with content before the circuit connects.</summary>
public sealed class PrerenderTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new();

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task Overview_PrerendersTheFirstRows()
    {
        using var http = _dashboard.CreateHttpClient();

        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("data-testid=\"row-bookinfo-reviews\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"row-myapp-myapp\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateways_PrerendersEveryGateway()
    {
        using var http = _dashboard.CreateHttpClient();

        var html = await http.GetStringAsync(new Uri("/gateways", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("data-testid=\"gateway-myapp-myapp-gateway\"", html, StringComparison.Ordinal);
        Assert.Contains("myapp/myapp-public", html, StringComparison.Ordinal);
    }
}
