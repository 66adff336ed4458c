using System.Net;
using System.Text.Json.Nodes;

namespace MeshDashboard.Tests.Api;

/// <summary>Request bodies are bound strictly to the documented records; every malformed body is a 400 naming the field.</summary>
public sealed class RequestBindingTests : ApiTestBase
{
    private async Task<string> MeshStateAsync() =>
        (await Dashboard.Kubectl.RunAsync("get", "vs,dr", "-A", "-o", "jsonpath={range .items[*]}{.metadata.name}@{.metadata.resourceVersion} {end}")).EnsureSuccess().Output;

    private static string Routes(string condition, string orConditions = "") =>
        $$$"""{"rules": [{"name": "tester", "conditions": [{{{condition}}}]{{{orConditions}}}, "targets": {"v2": 100}}], "fallback": {"v1": 100}}""";

    public static TheoryData<string, string, string, string> MalformedBodies => new()
    {
        // A key given twice: which one counts is up to the parser, so neither does.
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 50, "v1": 0}}""", "weights.v1" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 50}, "weights": {"v1": 0, "v2": 100}}""", "weights" },
        // Conditions that are not objects.
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("5"), "rules[0].conditions[0]" },
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("\"x\""), "rules[0].conditions[0]" },
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("null"), "rules[0].conditions[0]" },
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("""{"kind": "uri", "match": "prefix", "value": "/"}""", """, "orConditions": [[5]]"""), "rules[0].orConditions[0][0]" },
        { "PUT", "/api/services/bookinfo/reviews/routes", """{"rules": [5], "fallback": {"v1": 100}}""", "rules[0]" },
        // A rule's origin: both fields, the index a whole number, 0 or more.
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("""{"name": "end-user", "value": "x"}""", """, "origin": {"index": 0}"""), "rules[0].origin.fingerprint" },
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("""{"name": "end-user", "value": "x"}""", """, "origin": {"index": "0", "fingerprint": "0123456789abcdef"}"""), "rules[0].origin.index" },
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("""{"name": "end-user", "value": "x"}""", """, "origin": {"index": -1, "fingerprint": "0123456789abcdef"}"""), "rules[0].origin.index" },
        // Durations longer than Go (and so istiod) can hold.
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "tester", "delay": {"percent": 10, "fixedDelay": "999999999999h"}}""", "delay.fixedDelay" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "tester", "delay": {"percent": 10, "fixedDelay": "106751991167h"}}""", "delay.fixedDelay" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"outlierDetection": {"interval": "999999999999h"}}""", "outlierDetection.interval" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"outlierDetection": {"interval": "106751991167h"}}""", "outlierDetection.interval" },
        // Wrong kinds: numbers must be numbers, whole where whole.
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": "50", "v2": 50}}""", "weights.v1" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50.5, "v2": 49.5}}""", "weights.v1" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 1e20, "v2": 0}}""", "weights.v1" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": [50, 50]}""", "weights" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": null}""", "weights" },
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 50}, "reason": 7}""", "reason" },
        { "PUT", "/api/services/myapp/myapp/weights", """[]""", "body" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": 5}""", "rule" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "tester", "abort": {"percent": "10", "httpStatus": 503}}""", "abort.percent" },
        { "PUT", "/api/services/bookinfo/reviews/fault", """{"rule": "tester", "abort": {"httpStatus": 503}}""", "abort.percent" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"outlierDetection": {"consecutive5xxErrors": "3"}}""", "outlierDetection.consecutive5xxErrors" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"connectionPool": 10}""", "connectionPool" },
        { "POST", "/api/services/myapp/myapp/switch", """{"subset": ["v1"]}""", "subset" },
        { "POST", "/api/services/myapp/myapp/rollback", """{"revision": 2}""", "revision" },
        // Members the record does not have: a typo is refused, not ignored.
        { "PUT", "/api/services/myapp/myapp/weights", """{"weights": {"v1": 50, "v2": 50}, "weigths": {"v1": 0}}""", "weigths" },
        { "PUT", "/api/services/myapp/myapp/traffic-policy", """{"outlierDetection": {"intervall": "10s"}}""", "outlierDetection.intervall" },
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("""{"kind": "header", "name": "end-user", "value": "x", "regex": "y"}"""), "rules[0].conditions[0].regex" },
        // Header names and values istiod (and HTTP) would refuse.
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("""{"kind": "header", "name": "😀", "match": "exact", "value": "x"}"""), "rules[0].conditions[0].name" },
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("""{"kind": "header", "name": "end-user", "match": "exact", "value": "tester\r\nx-admin: 1"}"""), "rules[0].conditions[0].value" },
        { "PUT", "/api/services/bookinfo/reviews/routes", Routes("""{"kind": "header", "name": "end-user", "match": "prefix", "value": "a\u0000b"}"""), "rules[0].conditions[0].value" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task MalformedBody_Answers400ProblemNamingTheField_AndLeavesTheClusterAsItWas(string method, string path, string body, string field)
    {
        var before = await MeshStateAsync();

        using var response = await SendAsync(method, path, body);

        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"errors do not name {field}: {text}");
        Assert.Equal(before, await MeshStateAsync());
    }

    [Fact]
    public async Task TrafficPolicy_KeepsFieldsLeftOut_AndRemovesFieldsSetToNull()
    {
        using var set = await SendAsync("PUT", "/api/services/myapp/myapp/traffic-policy", """{"subset": "v2", "outlierDetection": {"consecutive5xxErrors": 3, "interval": "10s"}}""");
        using var patched = await SendAsync("PUT", "/api/services/myapp/myapp/traffic-policy", """{"subset": "v2", "outlierDetection": {"interval": null}, "loadBalancer": "RANDOM"}""");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var dr = JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", "dr", "myapp", "-n", "myapp", "-o", "json")).EnsureSuccess().Output)!;
        var policy = dr["spec"]!["subsets"]![1]!["trafficPolicy"]!;
        Assert.Equal(3, (int)policy["outlierDetection"]!["consecutive5xxErrors"]!);
        Assert.Null(policy["outlierDetection"]!["interval"]);
        Assert.Equal("RANDOM", (string?)policy["loadBalancer"]!["simple"]);
    }
}
