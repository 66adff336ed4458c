using System.Net;
using System.Text;
using MeshDashboard.Cluster.Changes;
using MeshDashboard.Cluster.Client;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeshDashboard.Tests.Scale;

/// <summary>
/// A page view is served from the shared watch cache: a service's history is followed by the watch, so even a first view
/// reads none from the cluster; the only request a first view may send is one access question (a rules review) per
/// namespace and person, and none when that namespace was asked about lately. An edit sends its writes and nothing else.
/// Requests are counted in the sandbox's own log; the watches' long-running requests are left out.
/// </summary>
public sealed class RequestsPerPageViewTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    private IReadOnlyList<Sandbox.RecordedRequest> NonWatchRequests() =>
        [.. _dashboard.App.Sandbox!.Requests.Snapshot().Where(r => !r.Path.Contains("watch=", StringComparison.OrdinalIgnoreCase))];

    private IReadOnlyList<string> RequestsSince(int count) =>
        [.. NonWatchRequests().Skip(count).Select(r => $"{r.Method} {r.Path.Split('?')[0]}")];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>What one first view of a service asks: the page (its prerender holds the history tab), the history API, and
    /// the access question the interactive page asks for the signed-in person (as the app asks it, impersonating them).</summary>
    private async Task ViewAsync(HttpClient http, string ns, string name)
    {
        using var page = await http.GetAsync(new Uri($"/services/{ns}/{name}", UriKind.Relative), Cancel);
        using var history = await http.GetAsync(new Uri($"/api/services/{ns}/{name}/history", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        var client = _dashboard.App.App.Services.GetRequiredService<MeshDashboardClient>();
        using (ImpersonationScope.Use(new ClusterIdentity("sam", ["release-managers"])))
        {
            Assert.Null(await client.WhyCannotChangeAsync(new ObjectRef(ResourceKind.Service, ns, name), Cancel));
        }
    }

    [Fact]
    public async Task AFirstViewOfAService_ReadsNoHistory_AndAsksOneRulesReviewForItsNamespace_AndNoneForAnotherServiceThere()
    {
        using var http = _dashboard.CreateBrowserLikeClient();
        // reviews has a history to show (an edit before the view); ratings, in the same namespace, has none.
        using (var change = await http.PutAsync(new Uri("/api/services/bookinfo/reviews/weights", UriKind.Relative), Json("""{"weights": {"v1": 70, "v2": 30}}"""), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        }
        // The edit's Event is written after its answer; it is the edit's request, not the view's.
        await _dashboard.App.App.Services.GetRequiredService<ChangeEvents>().WhenRecordedAsync();

        var before = NonWatchRequests().Count;
        await ViewAsync(http, "bookinfo", "reviews");
        var firstView = RequestsSince(before);
        using var history = await http.GetAsync(new Uri("/api/services/bookinfo/reviews/history", UriKind.Relative), Cancel);
        var beforeRatings = NonWatchRequests().Count;
        await ViewAsync(http, "bookinfo", "ratings");
        var sameNamespace = RequestsSince(beforeRatings);

        Assert.Equal(["POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews"], firstView);
        Assert.Equal([], sameNamespace);
        Assert.Contains("v1 70%", await history.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEdit_SendsItsJournaledWritesInOrder_AndNothingElse()
    {
        using var http = _dashboard.CreateBrowserLikeClient();
        using (var earlier = await http.PutAsync(new Uri("/api/services/bookinfo/reviews/weights", UriKind.Relative), Json("""{"weights": {"v1": 70, "v2": 30}}"""), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
        }
        var events = _dashboard.App.App.Services.GetRequiredService<ChangeEvents>();
        await events.WhenRecordedAsync();
        var before = NonWatchRequests().Count;

        using var change = await http.PutAsync(new Uri("/api/services/bookinfo/reviews/weights", UriKind.Relative), Json("""{"weights": {"v1": 40, "v2": 60}}"""), Cancel);
        var answered = RequestsSince(before);
        await events.WhenRecordedAsync();
        var requests = RequestsSince(before);

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        // The journal entry, its "writing" mark, the VirtualService, the history and the recent-changes list (each written
        // over the copy the watch holds, without reading it first), the journal's close; the Event after the answer.
        var journal = Assert.Single(requests, r => r.StartsWith("PATCH /api/v1/namespaces/meshdashboard/configmaps/meshdashboard-change-", StringComparison.Ordinal))
            ["PATCH ".Length..];
        Assert.Equal(
            [
                "POST /api/v1/namespaces/meshdashboard/configmaps",
                $"PATCH {journal}",
                "PATCH /apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews",
                "PUT /api/v1/namespaces/meshdashboard/configmaps/meshdashboard-history-bookinfo-reviews",
                "PUT /api/v1/namespaces/meshdashboard/configmaps/meshdashboard-recent-changes",
                $"DELETE {journal}",
                "POST /api/v1/namespaces/bookinfo/events",
            ],
            requests);
        Assert.Equal(requests.Take(6), answered.Take(6));
    }

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
