using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>Protocol details kube-apiserver has and clients rely on: how query booleans read, which bodies are refused and how.</summary>
public sealed class ProtocolTests : IAsyncLifetime
{
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

    private static Uri Relative(string path) => new(path, UriKind.Relative);

    // apimachinery Convert_Slice_string_To_bool: false only for "0" and "false" (any case).
    [Theory]
    [InlineData("True")]
    [InlineData("true")]
    [InlineData("1")]
    [InlineData("t")]
    [InlineData("yes")]
    public async Task Watch_WithAnyValueButZeroOrFalse_StreamsEvents(string value)
    {
        using var response = await _http.GetAsync(Relative($"/apis/networking.istio.io/v1/namespaces/myapp/virtualservices?watch={value}"), HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));

        var first = JsonNode.Parse((await reader.ReadLineAsync(Cancel))!)!;

        Assert.Equal("ADDED", (string?)first["type"]);
    }

    [Theory]
    [InlineData("False")]
    [InlineData("0")]
    public async Task Watch_WithZeroOrFalseInAnyCase_IsAPlainList(string value)
    {
        var list = JsonNode.Parse(await _http.GetStringAsync(Relative($"/apis/networking.istio.io/v1/namespaces/myapp/virtualservices?watch={value}"), Cancel))!;

        Assert.Equal("VirtualServiceList", (string?)list["kind"]);
    }

    [Theory]
    [InlineData("[]", "error decoding patch")]
    [InlineData("[{\"spec\":{}}]", "error decoding patch")]
    [InlineData("null", "Invalid JSON Patch")]
    [InlineData("42", "error decoding patch")]
    public async Task MergePatch_WhoseBodyIsNotAnObject_IsA400StatusAndChangesNothing(string body, string message)
    {
        const string path = "/apis/networking.istio.io/v1/namespaces/myapp/virtualservices/myapp";
        var before = await _http.GetStringAsync(Relative(path), Cancel);

        using var response = await _http.PatchAsync(Relative(path), new StringContent(body, Encoding.UTF8, "application/merge-patch+json"), Cancel);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.Contains(message, (string?)status["message"], StringComparison.Ordinal);
        Assert.Equal(before, await _http.GetStringAsync(Relative(path), Cancel));
    }

    [Fact]
    public async Task Create_WithAResourceVersion_IsRefusedAsEtcdRefusesIt()
    {
        using var response = await _http.PostAsync(Relative("/api/v1/namespaces/myapp/configmaps"),
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"stale","resourceVersion":"12"}}""", Encoding.UTF8, "application/json"), Cancel);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        using var lookup = await _http.GetAsync(Relative("/api/v1/namespaces/myapp/configmaps/stale"), Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("resourceVersion should not be set on objects to be created", (string?)status["message"]);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Create_WithResourceVersionZero_IsAccepted()
    {
        using var response = await _http.PostAsync(Relative("/api/v1/namespaces/myapp/configmaps"),
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"zero","resourceVersion":"0"}}""", Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task SystemNamespaces_ExistFromTheFirstStart(string name)
    {
        var ns = JsonNode.Parse(await _http.GetStringAsync(Relative($"/api/v1/namespaces/{name}"), Cancel))!;

        Assert.Equal("Active", (string?)ns["status"]!["phase"]);
    }

    [Fact]
    public async Task UnknownPath_IsA404Status()
    {
        using var response = await _http.GetAsync(Relative("/apis/nope.example.com/v1/things"), Cancel);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Status", (string?)status["kind"]);
    }
}
