using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>Only a caller holding the sandbox's token (written into its kubeconfig) reaches the API.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string VirtualServices = "/apis/networking.istio.io/v1/namespaces/myapp/virtualservices";

    private readonly TestSandbox _sandbox = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private HttpClient Anonymous() => _sandbox.CreateAnonymousHttpClient();

    private HttpClient WithToken(string token)
    {
        var http = Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        var expected = JsonNode.Parse("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel));
        Assert.True(JsonNode.DeepEquals(expected, body), $"not kube-apiserver's 401 Status: {body?.ToJsonString()}");
    }

    [Fact]
    public async Task ListingVirtualServicesWithoutAToken_IsAnswered401WithTheApiServersStatus()
    {
        using var http = Anonymous();

        using var response = await http.GetAsync(new Uri(VirtualServices, UriKind.Relative), Cancel);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task ATokenThatIsNotTheSandboxes_IsAnswered401()
    {
        using var http = WithToken("not-the-token");

        using var response = await http.GetAsync(new Uri(VirtualServices, UriKind.Relative), Cancel);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task AForeignTokenThatImpersonatesSomeone_IsAnswered401AndNeverActedOn()
    {
        using var http = WithToken("not-the-token");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(VirtualServices, UriKind.Relative));
        request.Headers.Add("Impersonate-User", "mallory");
        request.Headers.Add("Impersonate-Group", "system:masters");

        using var response = await http.SendAsync(request, Cancel);

        await AssertUnauthorizedAsync(response);
        Assert.DoesNotContain(_sandbox.Cluster.Requests.Snapshot(), r => r.ImpersonateUser == "mallory");
    }

    [Fact]
    public async Task KubernetesClientWithTheSandboxKubeconfig_IsLetIn()
    {
        using var client = _sandbox.CreateClient();

        var namespaces = await client.CoreV1.ListNamespaceAsync(cancellationToken: Cancel);

        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "myapp");
    }

    [Fact]
    public async Task KubectlWithTheSandboxKubeconfig_IsLetIn_AndWithAnotherTokenIsToldItIsUnauthorized()
    {
        var allowed = await _sandbox.Kubectl.RunAsync("get", "vs", "-n", "myapp", "-o", "name");
        var refused = await _sandbox.Kubectl.RunAsync("--token", "not-the-token", "get", "vs", "-n", "myapp");

        Assert.Contains("virtualservice.networking.istio.io/myapp", allowed.EnsureSuccess().Output, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Unauthorized", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    [InlineData("/version")]
    public async Task PublicInfo_IsReadableWithoutAToken_AsKubeApiserversPublicInfoViewerRoleAllows(string path)
    {
        using var http = Anonymous();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/apis")]
    [InlineData("/openapi/v3")]
    [InlineData("/readyz/ping")]
    public async Task DiscoveryAndEverythingElse_NeedsTheToken(string path)
    {
        using var http = Anonymous();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Cancel);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task AWrongToken_IsRefusedEvenOnHealthz_BecauseAuthenticationFailsBeforeAnyRuleIsConsulted()
    {
        using var http = WithToken("not-the-token");

        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Cancel);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task TheTokenFromTheKubeconfig_IsNotThePlaceholderOfOlderVersions_AndIs32RandomBytes()
    {
        var token = _sandbox.Token;
        using var http = WithToken("meshdashboard-sandbox");

        using var response = await http.GetAsync(new Uri(VirtualServices, UriKind.Relative), Cancel);

        await AssertUnauthorizedAsync(response);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(token).Length);
    }
}
