using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Scale;

/// <summary>
/// The dashboard starts its watches before the host's own start (which resolves every hosted service first), and the
/// host then finds them running: each kind is listed once, not once for each start.
/// </summary>
public sealed class StartTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new();

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/pods")]
    [InlineData("/api/v1/services")]
    [InlineData("/apis/networking.istio.io/v1/virtualservices")]
    [InlineData("/apis/networking.istio.io/v1/destinationrules")]
    public void AStart_ListsEachKindOnce(string path)
    {
        var firstPages = _dashboard.App.Sandbox!.Requests.Snapshot()
            .Where(r => r.Method == "GET" && r.Path.Split('?')[0] == path)
            .Where(r => !r.Path.Contains("watch=", StringComparison.OrdinalIgnoreCase) && !r.Path.Contains("continue=", StringComparison.Ordinal))
            .ToList();

        Assert.Single(firstPages);
    }
}
