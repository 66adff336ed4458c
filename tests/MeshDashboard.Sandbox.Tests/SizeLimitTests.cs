using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>The sizes kube-apiserver and etcd refuse, refused the same way, with nothing stored.</summary>
public sealed class SizeLimitTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;

    private readonly TestSandbox _sandbox = new(seedDemoMesh: true);
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

    private static string ConfigMap(string name, int dataBytes) =>
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["data"] = new JsonObject { ["blob"] = new string('x', dataBytes) },
        }.ToJsonString();

    private async Task<(HttpStatusCode Code, JsonNode Status)> PostAsync(string path, HttpContent content)
    {
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content, Cancel);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!);
    }

    private async Task<HttpStatusCode> GetCodeAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        return response.StatusCode;
    }

    [Fact]
    public async Task AConfigMapHoldingMoreThan1MiB_IsInvalid_AndNotStored()
    {
        var (code, status) = await PostAsync("/api/v1/namespaces/myapp/configmaps", new StringContent(ConfigMap("big", 2 * MiB), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", (string?)status["reason"]);
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal("[]", (string?)cause["field"]);
        Assert.Equal("FieldValueTooLong", (string?)cause["reason"]);
        Assert.Equal("ConfigMap \"big\" is invalid: []: Too long: may not be more than 1048576 bytes", (string?)status["message"]);
        Assert.Equal(HttpStatusCode.NotFound, await GetCodeAsync("/api/v1/namespaces/myapp/configmaps/big"));
    }

    [Fact]
    public async Task AConfigMapOfExactly1MiB_IsAccepted()
    {
        var (code, _) = await PostAsync("/api/v1/namespaces/myapp/configmaps", new StringContent(ConfigMap("at-the-limit", MiB), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, code);
    }

    [Fact]
    public async Task ASecretHoldingMoreThan1MiB_IsInvalidOnItsDataField()
    {
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "big" },
            ["data"] = new JsonObject { ["blob"] = Convert.ToBase64String(new byte[MiB + 1]) },
        };

        var (code, status) = await PostAsync("/api/v1/namespaces/myapp/secrets", new StringContent(secret.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("data", (string?)Assert.Single(status["details"]!["causes"]!.AsArray())!["field"]);
        Assert.Equal(HttpStatusCode.NotFound, await GetCodeAsync("/api/v1/namespaces/myapp/secrets/big"));
    }

    [Fact]
    public async Task ABodyOver3MiB_IsAnswered413BeforeItIsRead()
    {
        var (code, status) = await PostAsync("/api/v1/namespaces/myapp/configmaps", new StringContent(ConfigMap("huge", 3 * MiB), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Equal("RequestEntityTooLarge", (string?)status["reason"]);
        Assert.Equal("Request entity too large: limit is 3145728", (string?)status["message"]);
        Assert.Equal(413, (int)status["code"]!);
        Assert.Equal(HttpStatusCode.NotFound, await GetCodeAsync("/api/v1/namespaces/myapp/configmaps/huge"));
    }

    [Fact]
    public async Task AChunkedBodyOver3MiB_IsAnswered413Too()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(ConfigMap("huge", 3 * MiB))));
        content.Headers.ContentType = new("application/json");
        // Without a declared length the body goes chunked, so only counting what arrives can catch it.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/namespaces/myapp/configmaps", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _http.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AnObjectOverEtcdsRequestLimit_IsRefusedWithEtcdsError_AndNotStored()
    {
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "big" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "app",
                    ["image"] = "app",
                    ["env"] = new JsonArray(new JsonObject { ["name"] = "BLOB", ["value"] = new string('x', 2 * MiB) }),
                }),
            },
        };

        var (code, status) = await PostAsync("/api/v1/namespaces/myapp/pods", new StringContent(pod.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("etcdserver: request is too large", (string?)status["message"]);
        Assert.Null(status["reason"]);
        Assert.Equal(HttpStatusCode.NotFound, await GetCodeAsync("/api/v1/namespaces/myapp/pods/big"));
    }
}
