using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshDashboard.Tests.Api;

/// <summary><c>POST /api/simulate</c> against the real app and the sandbox's demo mesh.</summary>
public sealed class SimulateApiTests : ApiTestBase
{
    private async Task<(HttpStatusCode Status, string? MediaType, JsonNode Body)> PostAsync(string json, string contentType = "application/json")
    {
        using var response = await Http.PostAsync(new Uri("/api/simulate", UriKind.Relative), new StringContent(json, Encoding.UTF8, contentType), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length > 0 ? JsonNode.Parse(text)! : new JsonObject());
    }

    [Fact]
    public async Task Simulate_TesterGoesToReviewsV2WithTheFault_EveryoneElseToV1()
    {
        var (status, _, tester) = await PostAsync("""{"host": "reviews", "sourceNamespace": "bookinfo", "path": "/reviews/1", "headers": {"End-User": "tester"}}""");
        var (_, _, other) = await PostAsync("""{"host": "reviews.bookinfo.svc.cluster.local", "sourceNamespace": "bookinfo", "headers": {"end-user": "alice"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("routed", (string?)tester["outcome"]);
        Assert.Equal("reviews", (string?)tester["virtualService"]!["name"]);
        Assert.Equal(0, (int)tester["rule"]!["index"]!);
        Assert.Equal("tester", (string?)tester["rule"]!["name"]);
        var destination = tester["destinations"]!.AsArray().Single()!;
        Assert.Equal("reviews.bookinfo.svc.cluster.local", (string?)destination["host"]);
        Assert.Equal("v2", (string?)destination["subset"]);
        Assert.Equal(100, (double)destination["percent"]!);
        Assert.Equal(503, (int)tester["fault"]!["abort"]!["httpStatus"]!);
        Assert.Equal(50, (double)tester["fault"]!["abort"]!["percent"]!);
        Assert.NotEmpty(tester["explanation"]!.AsArray());

        Assert.Equal(1, (int)other["rule"]!["index"]!);
        Assert.Equal("v1", (string?)other["destinations"]![0]!["subset"]);
        Assert.Contains(other["explanation"]!.AsArray(), l => ((string?)l)!.Contains("no match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_MyAppInTheMeshIsA25To75Canary_AndThePublicHostGoesThroughItsGateway()
    {
        var (_, _, mesh) = await PostAsync("""{"host": "myapp.myapp", "sourceNamespace": "default"}""");
        var (_, _, gateway) = await PostAsync("""{"host": "myapp.example.com", "gateway": "myapp/myapp-gateway"}""");
        var (_, _, meshForPublicHost) = await PostAsync("""{"host": "myapp.example.com", "sourceNamespace": "myapp"}""");

        Assert.Equal([25.0, 75.0], mesh["destinations"]!.AsArray().Select(d => (double)d!["percent"]!));
        Assert.Equal(["v1", "v2"], mesh["destinations"]!.AsArray().Select(d => (string?)d!["subset"]));
        Assert.Equal("myapp-public", (string?)gateway["virtualService"]!["name"]);
        Assert.Equal("serviceDefault", (string?)meshForPublicHost["outcome"]);
    }

    [Fact]
    public async Task Simulate_BadInputIsAProblemNamingTheField_AndAPostNeedsJson()
    {
        var (missingHost, mediaType, problem) = await PostAsync("""{"path": "/"}""");
        var (shortHost, _, shortProblem) = await PostAsync("""{"host": "reviews"}""");
        var (badPath, _, pathProblem) = await PostAsync("""{"host": "reviews.bookinfo", "path": "reviews"}""");
        var (unknownField, _, unknownProblem) = await PostAsync("""{"host": "reviews.bookinfo", "headerz": {}}""");
        var (notJson, _, _) = await PostAsync("""{"host": "reviews.bookinfo"}""", "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, missingHost);
        Assert.Equal("application/problem+json", mediaType);
        Assert.NotNull(problem["errors"]!["host"]);
        Assert.Equal(HttpStatusCode.BadRequest, shortHost);
        Assert.NotNull(shortProblem["errors"]!["sourceNamespace"]);
        Assert.Equal(HttpStatusCode.BadRequest, badPath);
        Assert.NotNull(pathProblem["errors"]!["path"]);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField);
        Assert.NotNull(unknownProblem["errors"]!["headerz"]);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson);
    }
}
