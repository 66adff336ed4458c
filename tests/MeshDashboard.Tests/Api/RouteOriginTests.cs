using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace MeshDashboard.Tests.Api;

/// <summary>
/// <c>PUT …/routes</c> edits a rule by its origin (index and fingerprint from the detail), so an unnamed rule, as in
/// Istio's own samples, is rewritten in place with every field the request does not model; a rule changed since it
/// was read is a 409 and nothing is written.
/// </summary>
public sealed class RouteOriginTests : ApiTestBase
{
    // Shaped like Istio's samples/bookinfo/networking/virtual-service-ratings-test-abort.yaml: the fault rule has no name.
    // Two JSON documents in one YAML stream, as kubectl apply -f - reads them.
    private const string RatingsTestAbort = """
        {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "ratings", "namespace": "bookinfo"},
         "spec": {"host": "ratings", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}}
        ---
        {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "ratings", "namespace": "bookinfo"},
         "spec": {"hosts": ["ratings"], "http": [
           {"match": [{"headers": {"end-user": {"exact": "jason"}}}],
            "fault": {"abort": {"percentage": {"value": 100.0}, "httpStatus": 500}},
            "route": [{"destination": {"host": "ratings", "subset": "v1"}}]},
           {"route": [{"destination": {"host": "ratings", "subset": "v1"}}]}]}}
        """;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        (await Dashboard.Kubectl.RunAsync(["apply", "-f", "-"], RatingsTestAbort)).EnsureSuccess();
        await DashboardSeesAsync("bookinfo", "ratings");
    }

    private async Task<JsonObject> VirtualServiceAsync() =>
        JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output)!.AsObject();

    private async Task<JsonObject> FaultRuleAsync()
    {
        var detail = JsonNode.Parse(await Http.GetStringAsync(new Uri("/api/services/bookinfo/ratings", UriKind.Relative), Cancel))!;
        var route = detail["routes"]!.AsArray().Single(r => (string?)r!["virtualService"] == "bookinfo/ratings")!;
        return route["rules"]![0]!.AsObject();
    }

    private Task<HttpResponseMessage> PutRoutesAsync(JsonObject rule, string subset) =>
        Http.PutAsync(new Uri("/api/services/bookinfo/ratings/routes", UriKind.Relative), new StringContent($$$"""
            {"rules": [{"name": "rule-1", "conditions": [{"kind": "header", "name": "end-user", "match": "exact", "value": "jason"}],
                        "targets": {"{{{subset}}}": 100},
                        "origin": {"index": {{{(int)rule["index"]!}}}, "fingerprint": "{{{(string?)rule["fingerprint"]}}}"}}],
             "fallback": {"v1": 100}}
            """, Encoding.UTF8, "application/json"), Cancel);

    [Fact]
    public async Task GetService_GivesEveryRuleItsIndexAndFingerprint_NamedOrNot()
    {
        var detail = JsonNode.Parse(await Http.GetStringAsync(new Uri("/api/services/bookinfo/ratings", UriKind.Relative), Cancel))!;

        var rules = detail["routes"]![0]!["rules"]!.AsArray();
        Assert.Equal([0, 1], rules.Select(r => (int)r!["index"]!));
        Assert.All(rules, r => Assert.Matches("^[0-9a-f]{16}$", (string?)r!["fingerprint"]));
        Assert.NotEqual((string?)rules[0]!["fingerprint"], (string?)rules[1]!["fingerprint"]);
        Assert.Null(rules[0]!["name"]);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheRuleOrigin()
    {
        var document = JsonNode.Parse(await Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel))!;

        var schemas = document["components"]!["schemas"]!;
        Assert.NotNull(schemas["RuleRequest"]!["properties"]!["origin"]);
        Assert.Equal(["index", "fingerprint"], schemas["RuleOriginRequest"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.NotNull(schemas["RuleDto"]!["properties"]!["fingerprint"]);
    }

    [Fact]
    public async Task PutRoutes_ByOrigin_RewritesTheUnnamedFaultRuleInPlace_KeepingEveryOtherField()
    {
        var before = await VirtualServiceAsync();

        using var response = await PutRoutesAsync(await FaultRuleAsync(), "v2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await VirtualServiceAsync();
        // Exactly what was asked: the first rule goes to v2 and is now named; its fault, match and the catch-all stay as written.
        var expected = before["spec"]!.DeepClone().AsObject();
        expected["http"]![0]!["route"]![0]!["destination"]!["subset"] = "v2";
        expected["http"]![0]!["name"] = "rule-1";
        Assert.True(JsonNode.DeepEquals(expected, after["spec"]), after["spec"]!.ToJsonString());
        Assert.Equal(500, (int)after["spec"]!["http"]![0]!["fault"]!["abort"]!["httpStatus"]!);
    }

    [Fact]
    public async Task PutRoutes_WithAStaleOrigin_Is409NamingTheOrigin_AndWritesNothing()
    {
        var read = await FaultRuleAsync();
        (await Dashboard.Kubectl.RunAsync("patch", "vs", "ratings", "-n", "bookinfo", "--type=json",
            "-p", """[{"op": "replace", "path": "/spec/http/0/fault/abort/httpStatus", "value": 503}]""")).EnsureSuccess();
        await DashboardSeesAsync("bookinfo", "ratings");
        var edited = await VirtualServiceAsync();

        using var response = await PutRoutesAsync(read, "v2");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.Contains("changed since it was read", (string?)problem["errors"]!["rules[0].origin"]![0], StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(edited, await VirtualServiceAsync()), "the object was written");
    }

    [Fact]
    public async Task PutRoutes_WithAStaleOrigin_InADryRun_Is409Too()
    {
        var read = await FaultRuleAsync();
        (await Dashboard.Kubectl.RunAsync("patch", "vs", "ratings", "-n", "bookinfo", "--type=json",
            "-p", """[{"op": "replace", "path": "/spec/http/0/fault/abort/httpStatus", "value": 503}]""")).EnsureSuccess();
        await DashboardSeesAsync("bookinfo", "ratings");

        using var response = await Http.PutAsync(new Uri("/api/services/bookinfo/ratings/routes?dryRun=true", UriKind.Relative),
            new StringContent($$$"""
                {"rules": [{"name": "rule-1", "conditions": [{"name": "end-user", "value": "jason"}], "targets": {"v2": 100},
                            "origin": {"index": 0, "fingerprint": "{{{(string?)read["fingerprint"]}}}"}}], "fallback": {"v1": 100}}
                """, Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        Assert.NotNull(problem["errors"]!["rules[0].origin"]);
    }
}
