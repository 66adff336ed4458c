using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshDashboard.Tests.Security;

/// <summary>Every write route of the API, for every kind of caller: only release managers change anything.</summary>
public sealed class ApiAuthorizationTests : IAsyncLifetime
{
    private readonly SecuredDashboard _secured = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _secured.InitializeAsync();

    public ValueTask DisposeAsync() => _secured.DisposeAsync();

    public static TheoryData<string, string, string> WriteRoutes => new()
    {
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 50}}""" },
        { "PUT", "/api/services/bookinfo/reviews/routes", """{"rules": [], "fallback": {"v1": 100}}""" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "tester"}""" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"loadBalancer": "RANDOM"}""" },
        { "POST", "/api/services/myapp/myapp/switch", """{"subset": "v1"}""" },
        { "POST", "/api/services/myapp/myapp/rollback", """{"revision": "r000000"}""" },
    };

    private HttpClient Client(string? token)
    {
        var client = _secured.Dashboard.CreateHttpClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    private async Task<string> MeshStateAsync() =>
        (await _secured.Dashboard.Kubectl.RunAsync("get", "vs,dr,gw", "-A", "-o", "jsonpath={range .items[*]}{.metadata.name}@{.metadata.resourceVersion} {end}")).EnsureSuccess().Output;

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string body) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") }, Cancel);

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task WriteRoute_WithoutCredentials_Answers401AndWritesNothing(string method, string path, string body)
    {
        var before = await MeshStateAsync();
        using var client = Client(token: null);

        using var response = await SendAsync(client, method, path, body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await MeshStateAsync());
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task WriteRoute_ForAViewerToken_Answers403AndWritesNothing(string method, string path, string body)
    {
        var before = await MeshStateAsync();
        using var client = Client(SecuredDashboard.ReaderToken);

        using var response = await SendAsync(client, method, path, body);
        using var dryRun = await SendAsync(client, method, path + "?dryRun=true", body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, dryRun.StatusCode);
        Assert.Equal(before, await MeshStateAsync());
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task WriteRoute_ForAViewerSignedInInTheBrowser_Answers403AndWritesNothing(string method, string path, string body)
    {
        var before = await MeshStateAsync();
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        (await SecuredDashboard.SignInAsync(browser, "victor", SecuredDashboard.VictorPassword)).Dispose();

        using var response = await SendAsync(browser, method, path, body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await MeshStateAsync());
    }

    [Fact]
    public async Task Reads_WithoutCredentials_Answer401_AndWithAViewerToken_Succeed()
    {
        using var anonymous = Client(token: null);
        using var viewer = Client(SecuredDashboard.ReaderToken);
        using var wrongToken = Client("mdt_wrong");

        using var refused = await anonymous.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel);
        using var allowed = await viewer.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel);
        using var invalid = await wrongToken.GetAsync(new Uri("/api/services", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
    }

    [Fact]
    public async Task ReleaseManagerToken_Changes_AndTheTokensNameIsInTheHistory()
    {
        using var client = Client(SecuredDashboard.PipelineToken);

        using var response = await SendAsync(client, "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 40, "v2": 60}}""");
        var history = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/services/myapp/myapp/history", UriKind.Relative), Cancel))!.AsArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("release-pipeline", (string?)history[0]!["author"]);
    }

    private async Task<string> DestinationRuleAsync() =>
        (await _secured.Dashboard.Kubectl.RunAsync("get", "dr", "myapp", "-n", "myapp", "-o", "json")).EnsureSuccess().Output;

    private static string? TlsModeIn(string destinationRuleJson) => (string?)JsonNode.Parse(destinationRuleJson)!["spec"]!["trafficPolicy"]?["tls"]?["mode"];

    public static TheoryData<string, string, string> WaysToDropTlsByOmission => new()
    {
        // The demo's DestinationRule myapp/myapp says tls.mode ISTIO_MUTUAL service-wide. Each request leaves it out or nulls it.
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{}""" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"outlierDetection": {"consecutive5xxErrors": 3}}""" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"tlsMode": null}""" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"tlsMode": "SIMPLE"}""" },
    };

    [Theory]
    [MemberData(nameof(WaysToDropTlsByOmission))]
    public async Task ReleaseManager_CannotLowerTls_WhateverTheRequestCarries(string method, string path, string body)
    {
        var before = await DestinationRuleAsync();
        using var client = Client(SecuredDashboard.PipelineToken);

        using var response = await SendAsync(client, method, path, body);
        using var dryRun = await SendAsync(client, method, path + "?dryRun=true", body);

        // Leaving tls out keeps it (200 with nothing lowered); removing or lowering it is refused, naming the rule.
        var after = await DestinationRuleAsync();
        Assert.Equal("ISTIO_MUTUAL", TlsModeIn(after));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, dryRun.StatusCode);
            Assert.Contains("DestinationRule myapp/myapp, all subsets: tls.mode ISTIO_MUTUAL", await response.Content.ReadAsStringAsync(Cancel));
            Assert.Equal(before, after);
        }
    }

    [Fact]
    public async Task ReleaseManager_CannotRollBackOrRestoreAwayAnAdminsTls_ButAnAdminCan()
    {
        using var admin = Client(SecuredDashboard.AdminToken);
        using var manager = Client(SecuredDashboard.PipelineToken);
        // The Admin lowers TLS (r1) and restores it (r2); undoing r2 or restoring r1 would lower it again.
        (await SendAsync(admin, "PUT", "/api/services/myapp/myapp/traffic-policy", """{"tlsMode": "DISABLE"}""")).EnsureSuccessStatusCode().Dispose();
        (await SendAsync(admin, "PUT", "/api/services/myapp/myapp/traffic-policy", """{"tlsMode": "ISTIO_MUTUAL"}""")).EnsureSuccessStatusCode().Dispose();
        var history = JsonNode.Parse(await manager.GetStringAsync(new Uri("/api/services/myapp/myapp/history", UriKind.Relative), Cancel))!.AsArray();
        var disabledRevision = (string)history[1]!["revision"]!;
        var before = await DestinationRuleAsync();

        using var rollback = await SendAsync(manager, "POST", "/api/services/myapp/myapp/rollback", """{}""");
        using var restore = await SendAsync(manager, "POST", "/api/services/myapp/myapp/rollback", $$"""{"revision": "{{disabledRevision}}"}""");

        Assert.Equal(HttpStatusCode.Forbidden, rollback.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, restore.StatusCode);
        Assert.Contains("tls.mode ISTIO_MUTUAL → DISABLE", await restore.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(before, await DestinationRuleAsync());

        using var adminRollback = await SendAsync(admin, "POST", "/api/services/myapp/myapp/rollback", """{}""");
        Assert.Equal(HttpStatusCode.OK, adminRollback.StatusCode);
        Assert.Equal("DISABLE", TlsModeIn(await DestinationRuleAsync()));
    }

    [Fact]
    public async Task AReasonOfMoreThan1000Characters_Answers400NamingTheField_AndWritesNothing()
    {
        var before = await MeshStateAsync();
        using var client = Client(SecuredDashboard.PipelineToken);
        var body = new JsonObject { ["weights"] = new JsonObject { ["v1"] = 50, ["v2"] = 50 }, ["reason"] = new string('r', 1001) }.ToJsonString();

        using var response = await SendAsync(client, "PUT", "/api/services/myapp/myapp/weights", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["errors"]!["reason"]);
        Assert.Equal(before, await MeshStateAsync());
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://127.0.0.1:1")]
    public async Task ACookieSignedInReleaseManager_CannotBeMadeToWriteByAnotherOrigin(string header, string value)
    {
        var before = await MeshStateAsync();
        using var browser = _secured.Dashboard.CreateBrowserLikeClient();
        (await SecuredDashboard.SignInAsync(browser, "alice", SecuredDashboard.AlicePassword)).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/services/myapp/myapp/switch", UriKind.Relative))
        {
            Content = new StringContent("""{"subset": "v1"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(header, value);

        using var response = await browser.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await MeshStateAsync());
    }

    [Fact]
    public async Task IfMatchStar_MatchesAnyCurrentState()
    {
        using var client = Client(SecuredDashboard.PipelineToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/services/myapp/myapp/weights", UriKind.Relative))
        {
            Content = new StringContent("""{"weights": {"v1": 10, "v2": 90}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "*");

        using var response = await client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Admin_MayRemoveTls()
    {
        using var admin = Client(SecuredDashboard.AdminToken);

        using var response = await SendAsync(admin, "PUT", "/api/services/myapp/myapp/traffic-policy", """{"tlsMode": null}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(TlsModeIn(await DestinationRuleAsync()));
    }

    [Fact]
    public async Task ReleaseManager_CannotTurnMeshTlsOff_ButTheChangeIsNotWritten()
    {
        var before = await MeshStateAsync();
        using var client = Client(SecuredDashboard.PipelineToken);

        using var response = await SendAsync(client, "PUT", "/api/services/myapp/myapp/traffic-policy", """{"tlsMode": "DISABLE"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await MeshStateAsync());
    }
}
