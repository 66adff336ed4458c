using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests.Admission;

/// <summary>istiod's verdicts at the HTTP level: a refusal is a Status naming the webhook, a warning is a Warning header on a stored object.</summary>
public sealed class IstiodWebhookTests : IAsyncLifetime
{
    private const string VirtualServices = "/apis/networking.istio.io/v1/namespaces/myapp/virtualservices";

    private readonly TestSandbox _sandbox = new();
    private HttpClient _http = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        _http = _sandbox.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static StringContent VirtualService(string name, JsonObject spec) => new(new JsonObject
    {
        ["apiVersion"] = "networking.istio.io/v1",
        ["kind"] = "VirtualService",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    }.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<HttpStatusCode> GetCodeAsync(string name)
    {
        using var response = await _http.GetAsync(new Uri($"{VirtualServices}/{name}", UriKind.Relative), Cancel);
        return response.StatusCode;
    }

    [Fact]
    public async Task AnAbortWithoutAStatus_IsStored_WithIstiodsWarningInAWarningHeader()
    {
        var spec = JsonNode.Parse("""{"hosts":["reviews"],"http":[{"fault":{"abort":{"percentage":{"value":10}}},"route":[{"destination":{"host":"reviews"}}]}]}""")!.AsObject();

        using var response = await _http.PostAsync(new Uri(VirtualServices, UriKind.Relative), VirtualService("abort-without-status", spec), Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warning = Assert.Single(response.Headers.GetValues("Warning"));
        Assert.StartsWith("299 - ", warning, StringComparison.Ordinal);
        Assert.Contains("spec.http[0].fault.abort: abort configured, but error type not set", warning, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await GetCodeAsync("abort-without-status"));
    }

    [Fact]
    public async Task AStarHostForSidecars_IsRefusedByTheWebhook_NamingTheField_AndNotStored()
    {
        var spec = JsonNode.Parse("""{"hosts":["*"],"http":[{"route":[{"destination":{"host":"reviews"}}]}]}""")!.AsObject();

        using var response = await _http.PostAsync(new Uri(VirtualServices, UriKind.Relative), VirtualService("star-for-mesh", spec), Cancel);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Contains("admission webhook \"validation.istio.io\" denied the request", (string?)status["message"], StringComparison.Ordinal);
        Assert.Contains(status["details"]!["causes"]!.AsArray(), c => (string?)c!["field"] == "spec.hosts[0]");
        Assert.Equal(HttpStatusCode.NotFound, await GetCodeAsync("star-for-mesh"));
    }

    [Fact]
    public async Task AnUppercaseHeaderMatch_AndAnRe2NamedGroup_AreStored_AsIstiodStoresThem()
    {
        var spec = JsonNode.Parse("""{"hosts":["reviews"],"http":[{"match":[{"headers":{"X-Requested-With":{"exact":"XMLHttpRequest"}},"uri":{"regex":"/u/(?P<id>[0-9]+)"}}],"route":[{"destination":{"host":"reviews"}}]}]}""")!.AsObject();

        using var response = await _http.PostAsync(new Uri(VirtualServices, UriKind.Relative), VirtualService("uppercase-and-re2", spec), Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
    }
}
