using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Cluster.Watching;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeshDashboard.Tests.Api;

/// <summary>The real dashboard on its own sandbox, and a client of its API, fresh for each test.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected ApiTestBase()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>The dashboard with its settings adjusted (short intervals for tests that watch something happen).</summary>
    protected ApiTestBase(IDictionary<string, string?> settings) => Dashboard = new(settings);

    protected TestDashboard Dashboard { get; }

    protected HttpClient Http { get; private set; } = null!;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        await Dashboard.InitializeAsync();
        Http = Dashboard.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Dashboard.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A write as a pipeline sends it: JSON with its content type.</summary>
    protected Task<HttpResponseMessage> SendAsync(string method, string path, string json) =>
        Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, Cancel);

    protected async Task<JsonNode> GetJsonAsync(string path) =>
        JsonNode.Parse(await Http.GetStringAsync(new Uri(path, UriKind.Relative), Cancel))!;

    /// <summary>
    /// Waits until the dashboard's cache holds the VirtualService and DestinationRule <paramref name="name"/> as the cluster
    /// has them now, so a write planned next starts from them (and a refusal is the dashboard's, not a stale cache's).
    /// </summary>
    protected async Task DashboardSeesAsync(string ns, string name)
    {
        var versions = (await Dashboard.Kubectl.RunAsync("get", $"vs/{name}", $"dr/{name}", "-n", ns, "-o", "jsonpath={range .items[*]}{.metadata.resourceVersion} {end}"))
            .EnsureSuccess().Output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var cache = Dashboard.App.App.Services.GetRequiredService<IMeshCache>();
        await foreach (var snapshot in cache.SubscribeAsync(timeout.Token))
        {
            if (snapshot.Find(ResourceKind.VirtualService, ns, name)?.ResourceVersion == versions[0]
                && snapshot.Find(ResourceKind.DestinationRule, ns, name)?.ResourceVersion == versions[1])
            {
                return;
            }
        }
    }
}
