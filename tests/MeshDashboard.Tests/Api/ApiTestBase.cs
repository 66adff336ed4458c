using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Api;

/// <summary>The real dashboard on its own sandbox, and a client of its API, fresh for each test.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected TestDashboard Dashboard { get; } = new();

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
}
