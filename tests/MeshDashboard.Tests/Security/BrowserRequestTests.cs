using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Security;

/// <summary>
/// The requests a browser page of another origin (or a DNS-rebinding name) can make, played over HTTP against the
/// dashboard without sign-in (the default). The drive-by page in a real Chromium is in the browser tests.
/// </summary>
public sealed class BrowserRequestTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    private async Task<string> MeshStateAsync() =>
        (await _dashboard.Kubectl.RunAsync("get", "vs,dr", "-A", "-o", "jsonpath={range .items[*]}{.metadata.name}@{.metadata.resourceVersion} {end}")).EnsureSuccess().Output;

    private static HttpRequestMessage Switch(string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/services/myapp/myapp/switch", UriKind.Relative))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"subset":"v1"}""")),
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return request;
    }

    private static async Task AssertProblemNamingAsync(HttpResponseMessage response, HttpStatusCode status, string header)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.NotNull(problem["errors"]![header]);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:80")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task AForgedHost_IsRefused_ForReadsAndWrites(string host)
    {
        var before = await MeshStateAsync();
        using var client = _dashboard.CreateHttpClient();
        using var write = Switch();
        write.Headers.Host = host;
        using var read = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/services", UriKind.Relative));
        read.Headers.Host = host;

        using var written = await client.SendAsync(write, Cancel);
        using var listed = await client.SendAsync(read, Cancel);

        await AssertProblemNamingAsync(written, HttpStatusCode.BadRequest, "Host");
        await AssertProblemNamingAsync(listed, HttpStatusCode.BadRequest, "Host");
        Assert.Equal(before, await MeshStateAsync());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task LoopbackNames_AreServed(string host)
    {
        using var client = _dashboard.CreateHttpClient();
        using var read = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/services", UriKind.Relative));
        read.Headers.Host = $"{host}:{_dashboard.BaseAddress.Port}";

        using var response = await client.SendAsync(read, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task AnApiWrite_WithoutJsonContentType_Answers415AndWritesNothing(string? contentType)
    {
        var before = await MeshStateAsync();
        using var client = _dashboard.CreateHttpClient();

        using var response = await client.SendAsync(Switch(contentType), Cancel);

        await AssertProblemNamingAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Equal(before, await MeshStateAsync());
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    public async Task AWriteFromAnotherOrigin_Answers403AndWritesNothing(string header, string value)
    {
        var before = await MeshStateAsync();
        using var client = _dashboard.CreateHttpClient();
        using var request = Switch();
        request.Headers.Add(header, value);

        using var response = await client.SendAsync(request, Cancel);

        await AssertProblemNamingAsync(response, HttpStatusCode.Forbidden, header);
        Assert.Equal(before, await MeshStateAsync());
    }

    [Fact]
    public async Task AWriteFromTheDashboardsOwnOrigin_IsApplied()
    {
        using var client = _dashboard.CreateHttpClient();
        using var request = Switch();
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Add("Origin", _dashboard.BaseAddress.GetLeftPart(UriPartial.Authority));

        using var response = await client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
