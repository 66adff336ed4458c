using System.Net;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Scale;

/// <summary>
/// A page view is served from the shared watch cache: once the dashboard has read a service's history, viewing the
/// service again (page or API) sends the cluster nothing. Requests are counted in the sandbox's own log; the watches'
/// long-running requests are left out.
/// </summary>
public sealed class RequestsPerPageViewTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    private IReadOnlyList<Sandbox.RecordedRequest> NonWatchRequests() =>
        [.. _dashboard.App.Sandbox!.Requests.Snapshot().Where(r => !r.Path.Contains("watch=", StringComparison.OrdinalIgnoreCase))];

    [Fact]
    public async Task ViewingAServiceAgain_SendsTheClusterNothing()
    {
        using var http = _dashboard.CreateBrowserLikeClient();
        using (var first = await http.GetAsync(new Uri("/services/bookinfo/reviews", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using (var history = await http.GetAsync(new Uri("/api/services/bookinfo/reviews/history", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        }
        var before = NonWatchRequests().Count;

        for (var view = 0; view < 3; view++)
        {
            using var page = await http.GetAsync(new Uri("/services/bookinfo/reviews", UriKind.Relative), Cancel);
            using var detail = await http.GetAsync(new Uri("/api/services/bookinfo/reviews", UriKind.Relative), Cancel);
            using var history = await http.GetAsync(new Uri("/api/services/bookinfo/reviews/history", UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        }

        Assert.Equal([], NonWatchRequests().Skip(before).Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task AChangeRecordedSinceTheLastRead_IsReadAgain()
    {
        using var http = _dashboard.CreateBrowserLikeClient();
        var before = await http.GetStringAsync(new Uri("/api/services/myapp/myapp/history", UriKind.Relative), Cancel);
        using var change = await http.PutAsync(new Uri("/api/services/myapp/myapp/weights", UriKind.Relative),
            new StringContent("""{"weights": {"v1": 40, "v2": 60}}""", System.Text.Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);

        // The recent-changes list the watch follows moves with every recorded change; the history is read again once the
        // watch has seen it.
        string after;
        do
        {
            after = await http.GetStringAsync(new Uri("/api/services/myapp/myapp/history", UriKind.Relative), Cancel);
        }
        while (!after.Contains("v1 40%", StringComparison.Ordinal) && !Cancel.IsCancellationRequested);

        Assert.DoesNotContain("v1 40%", before, StringComparison.Ordinal);
        Assert.Contains("v1 40%", after, StringComparison.Ordinal);
    }
}
