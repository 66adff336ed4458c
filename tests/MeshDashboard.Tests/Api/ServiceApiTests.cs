using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshDashboard.Tests.Api;

/// <summary>The automation API against the real app and its sandbox, read back with kubectl.</summary>
public sealed class ServiceApiTests : ApiTestBase
{
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        return Http.SendAsync(request, Cancel);
    }

    private async Task<string> WeightsAsync() =>
        (await Dashboard.Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[*].weight}")).EnsureSuccess().Output;

    private async Task<string> MeshStateAsync() =>
        (await Dashboard.Kubectl.RunAsync("get", "vs,dr,gw", "-A", "-o", "jsonpath={range .items[*]}{.metadata.name}@{.metadata.resourceVersion} {end}")).EnsureSuccess().Output;

    [Fact]
    public async Task ListServices_ShowsSubsetsWithPodsAndRoutingInWords()
    {
        var services = (await GetJsonAsync("/api/services")).AsArray();

        var reviews = services.Single(s => (string?)s!["name"] == "reviews")!;
        Assert.Equal("bookinfo", (string?)reviews["namespace"]);
        var v3 = reviews["subsets"]!.AsArray().Single(s => (string?)s!["name"] == "v3")!;
        Assert.Equal(2, (int)v3["pods"]!);
        Assert.Equal(1, (int)v3["readyPods"]!);
        Assert.Equal("end-user: tester → v2 (50% aborted with 503); everyone else → v1", (string?)reviews["routing"]![0]);
    }

    [Fact]
    public async Task GetService_CarriesAnETag_AndUnknownServicesAre404Problems()
    {
        using var found = await Http.GetAsync(new Uri("/api/services/myapp/myapp", UriKind.Relative), Cancel);
        using var missing = await Http.GetAsync(new Uri("/api/services/myapp/nope", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.NotNull(found.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PutWeights_AppliesTheCanaryAndRecordsWhoDidIt()
    {
        using var response = await SendAsync(HttpMethod.Put, "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 50}, "reason": "step 2"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("50 50", await WeightsAsync());
        var history = (await GetJsonAsync("/api/services/myapp/myapp/history")).AsArray();
        Assert.Equal("local", (string?)history[0]!["author"]);
        Assert.Equal("step 2", (string?)history[0]!["reason"]);
    }

    [Fact]
    public async Task DryRun_AnswersThePreviewAndWritesNothing()
    {
        using var response = await SendAsync(HttpMethod.Put, "/api/services/myapp/myapp/weights?dryRun=true", """{"weights": {"v1": 50, "v2": 50}}""");

        var preview = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)preview["dryRunAccepted"]!);
        Assert.Contains("+      weight: 50", (string?)preview["objects"]![0]!["diff"]);
        Assert.Equal("25 75", await WeightsAsync());
    }

    [Fact]
    public async Task IfMatch_WithAnOldETag_Answers412AndWritesNothing()
    {
        using var read = await Http.GetAsync(new Uri("/api/services/myapp/myapp", UriKind.Relative), Cancel);
        var etag = read.Headers.ETag!.ToString();
        (await SendAsync(HttpMethod.Put, "/api/services/myapp/myapp/weights", """{"weights": {"v1": 40, "v2": 60}}""")).Dispose();

        using var response = await SendAsync(HttpMethod.Put, "/api/services/myapp/myapp/weights", """{"weights": {"v1": 0, "v2": 100}}""", etag);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("40 60", await WeightsAsync());
    }

    [Fact]
    public async Task IfMatch_WithTheCurrentETag_Applies()
    {
        using var read = await Http.GetAsync(new Uri("/api/services/myapp/myapp", UriKind.Relative), Cancel);

        using var response = await SendAsync(HttpMethod.Put, "/api/services/myapp/myapp/weights", """{"weights": {"v1": 10, "v2": 90}}""", read.Headers.ETag!.ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("10 90", await WeightsAsync());
    }

    public static TheoryData<string, string, string, string> BadInputs => new()
    {
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 60}}""", "weights" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": "half", "v2": 50}}""", "weights.v1" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v9": 50}}""", "weights.v9" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": -10, "v2": 110}}""", "weights.v1" },
        { "PUT", "/api/services/myapp/myapp/weights", """{}""", "weights" },
        { "PUT", "/api/services/myapp/myapp/weights", """not json""", "body" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "tester", "abort": {"percent": 50, "httpStatus": 700}}""", "abort.httpStatus" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "tester", "abort": {"percent": 150, "httpStatus": 503}}""", "abort.percent" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "tester", "delay": {"percent": 10, "fixedDelay": "soon"}}""", "delay.fixedDelay" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "nope", "abort": {"percent": 10, "httpStatus": 503}}""", "rule" },
        { "PUT", "/api/services/bookinfo/reviews/routes", """{"rules": [{"name": "tester", "conditions": [{"kind": "header", "name": "End User", "match": "exact", "value": "tester"}], "targets": {"v2": 100}}], "fallback": {"v1": 100}}""", "rules[0].conditions[0].name" },
        { "PUT", "/api/services/bookinfo/reviews/routes", """{"rules": [{"name": "tester", "conditions": [{"kind": "header", "name": "end-user", "match": "regex", "value": "(?=x)"}], "targets": {"v2": 100}}], "fallback": {"v1": 100}}""", "rules[0].conditions[0].value" },
        { "PUT", "/api/services/bookinfo/reviews/routes", """{"rules": [{"name": "tester", "conditions": [{"kind": "cookie", "name": "a", "match": "exact", "value": "b"}], "targets": {"v2": 100}}], "fallback": {"v1": 100}}""", "rules[0].conditions[0].kind" },
        { "PUT", "/api/services/bookinfo/reviews/routes", """{"rules": [{"name": "tester", "conditions": [{"kind": "header", "name": "end-user", "match": "exact", "value": "tester"}], "orConditions": [[]], "targets": {"v2": 100}}], "fallback": {"v1": 100}}""", "rules[0].orConditions[0]" },
        { "PUT", "/api/services/bookinfo/reviews/routes", """{"rules": [{"name": "tester", "conditions": [{"kind": "header", "name": "end-user", "match": "exact", "value": "tester"}], "orConditions": [{"kind": "uri"}], "targets": {"v2": 100}}], "fallback": {"v1": 100}}""", "rules[0].orConditions[0]" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"subset": "v2", "outlierDetection": {"maxEjectionPercent": 150}}""", "outlierDetection.maxEjectionPercent" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"tlsMode": "PLAINTEXT"}""", "tlsMode" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"subset": "v7", "loadBalancer": "RANDOM"}""", "subset" },
        { "POST", "/api/services/bookinfo/ratings/routing", """{"labelKey": "track"}""", "labelKey" },
        { "POST", "/api/services/bookinfo/reviews/routing", """{}""", "service" },
        { "POST", "/api/services/myapp/myapp/switch", """{"subset": "v9"}""", "subset" },
        { "POST", "/api/services/myapp/myapp/switch", """{}""", "subset" },
        { "POST", "/api/services/myapp/myapp/rollback", """{"revision": "r999999"}""", "revision" },
        { "PUT", "/api/services/bookinfo/reviews/timeout", """{"rule": "default", "retries": {"attempts": 3, "retryOn": "5xx, reset"}}""", "retries.retryOn" },
        { "PUT", "/api/services/bookinfo/reviews/timeout", """{"rule": "default", "retries": {"attempts": 3, "retryOn": "timeout"}}""", "retries.retryOn" },
        { "PUT", "/api/services/bookinfo/reviews/timeout", """{"rule": "default", "retries": {"retryOn": "5xx"}}""", "retries.attempts" },
        { "PUT", "/api/services/bookinfo/reviews/timeout", """{"rule": "default", "timeout": "0s"}""", "timeout" },
        { "PUT", "/api/services/bookinfo/reviews/timeout", """{"rule": "nope", "timeout": "1s"}""", "rule" },
        { "PUT", "/api/services/bookinfo/reviews/mirror", """{"rule": "default", "subset": "v2", "percent": -1}""", "percent" },
        { "PUT", "/api/services/bookinfo/reviews/mirror", """{"rule": "default", "subset": "v2", "percent": 150}""", "percent" },
        { "PUT", "/api/services/bookinfo/reviews/mirror", """{"rule": "default", "subset": "v2"}""", "percent" },
        { "PUT", "/api/services/bookinfo/reviews/mirror", """{"rule": "default", "subset": "v9", "percent": 10}""", "subset" },
        { "PUT", "/api/services/bookinfo/reviews/mirror", """{"rule": "default", "percent": 10}""", "subset" },
        { "PUT", "/api/services/bookinfo/reviews/tcp-weights", """{"route": 0, "weights": {"v1": 100}}""", "route" },
        { "PUT", "/api/services/myapp/myapp/tcp-weights", """{"route": 0, "weights": {"v1": 50, "v2": 60}}""", "weights" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_Answers400NamingTheField_AndLeavesTheClusterAsItWas(string method, string path, string body, string field)
    {
        var before = await MeshStateAsync();

        using var response = await SendAsync(new HttpMethod(method), path, body);

        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors do not name {field}: {problem.ToJsonString()}");
        Assert.Equal(before, await MeshStateAsync());
    }

    [Fact]
    public async Task Switch_AndRollback_GoThroughTheSamePipeline()
    {
        using var switched = await SendAsync(HttpMethod.Post, "/api/services/myapp/myapp/switch", """{"subset": "v1"}""");
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.Equal("v1", (await Dashboard.Kubectl.RunAsync("get", "vs", "myapp-public", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[0].destination.subset}")).Output);

        using var rolledBack = await SendAsync(HttpMethod.Post, "/api/services/myapp/myapp/rollback", "{}");

        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        Assert.Equal("v2", (await Dashboard.Kubectl.RunAsync("get", "vs", "myapp-public", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[0].destination.subset}")).Output);
        var history = (await GetJsonAsync("/api/services/myapp/myapp/history")).AsArray();
        Assert.Equal(3, history.Count);
        Assert.True((bool)history[2]!["baseline"]!);
    }

    [Fact]
    public async Task FaultRoutesAndPolicy_AreAppliedAndReadBack()
    {
        using var routes = await SendAsync(HttpMethod.Put, "/api/services/bookinfo/reviews/routes",
            """{"rules": [{"name": "tester", "conditions": [{"kind": "header", "name": "end-user", "match": "exact", "value": "tester"}, {"kind": "uri", "match": "prefix", "value": "/api"}], "targets": {"v3": 100}}], "fallback": {"v1": 100}}""");
        using var fault = await SendAsync(HttpMethod.Put, "/api/services/bookinfo/reviews/fault", """{"rule": "tester", "delay": {"percent": 10, "fixedDelay": "2s"}}""");
        using var policy = await SendAsync(HttpMethod.Put, "/api/services/myapp/myapp/traffic-policy", """{"subset": "v2", "outlierDetection": {"consecutive5xxErrors": 3, "interval": "10s"}}""");

        Assert.Equal(HttpStatusCode.OK, routes.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        var vs = JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", "vs", "reviews", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output)!;
        var tester = vs["spec"]!["http"]![0]!;
        Assert.Single(tester["match"]!.AsArray());
        Assert.Equal("tester", (string?)tester["match"]![0]!["headers"]!["end-user"]!["exact"]);
        Assert.Equal("/api", (string?)tester["match"]![0]!["uri"]!["prefix"]);
        Assert.Equal("2s", (string?)tester["fault"]!["delay"]!["fixedDelay"]);
        var dr = JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", "dr", "myapp", "-n", "myapp", "-o", "json")).EnsureSuccess().Output)!;
        var outlier = dr["spec"]!["subsets"]![1]!["trafficPolicy"]!["outlierDetection"]!;
        Assert.Equal(3, (int)outlier["consecutive5xxErrors"]!);
        Assert.Null(outlier["consecutiveErrors"]);
    }

    [Fact]
    public async Task Routes_OrConditionsBecomeOneMatchEntryEach()
    {
        using var routes = await SendAsync(HttpMethod.Put, "/api/services/bookinfo/reviews/routes",
            """{"rules": [{"name": "tester", "conditions": [{"kind": "header", "name": "end-user", "match": "exact", "value": "tester"}], "orConditions": [[{"kind": "queryParam", "name": "beta", "match": "exact", "value": "1"}]], "targets": {"v2": 100}}], "fallback": {"v1": 100}}""");

        Assert.Equal(HttpStatusCode.OK, routes.StatusCode);
        var vs = JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", "vs", "reviews", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output)!;
        var match = vs["spec"]!["http"]![0]!["match"]!.AsArray();
        Assert.Equal(2, match.Count);
        Assert.Equal("tester", (string?)match[0]!["headers"]!["end-user"]!["exact"]);
        Assert.Equal("1", (string?)match[1]!["queryParams"]!["beta"]!["exact"]);
    }

    [Fact]
    public async Task Routing_ForAServiceWithoutIstioObjects_CreatesSubsetsAndKeepsTodaysSpread()
    {
        using var created = await SendAsync(HttpMethod.Post, "/api/services/bookinfo/ratings/routing", "{}");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var dr = JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", "dr", "ratings", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output)!;
        var vs = JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output)!;
        Assert.Equal("version", ((JsonObject)dr["spec"]!["subsets"]![0]!["labels"]!).Single().Key);
        Assert.Equal((string?)dr["spec"]!["subsets"]![0]!["name"], (string?)vs["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]);
        var history = (await GetJsonAsync("/api/services/bookinfo/ratings/history")).AsArray();
        Assert.Contains("created routing", (string?)history[0]!["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentChanges_ListTheLatestChangeOfAnyServiceFirst()
    {
        using var weights = await SendAsync(HttpMethod.Put, "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 50}}""");
        using var routing = await SendAsync(HttpMethod.Post, "/api/services/bookinfo/ratings/routing", "{}");

        var changes = (await GetJsonAsync("/api/changes")).AsArray();

        Assert.Equal(["bookinfo/ratings", "myapp/myapp"], changes.Select(c => $"{c!["namespace"]}/{c["service"]}"));
        Assert.Equal("local", (string?)changes[0]!["author"]);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        var document = await GetJsonAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/services"));
        Assert.True(paths.ContainsKey("/api/services/{namespace}/{name}/weights"));
        Assert.True(paths.ContainsKey("/api/services/{namespace}/{name}/rollback"));
    }
}
