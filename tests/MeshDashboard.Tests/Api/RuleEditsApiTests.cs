using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace MeshDashboard.Tests.Api;

/// <summary>
/// <c>PUT …/timeout</c>, <c>…/mirror</c> and <c>…/tcp-weights</c> against the demo mesh, read back with kubectl: each changes
/// only its fields, a partial update keeps what it leaves out, and a rollback gives back the object as it was.
/// </summary>
public sealed class RuleEditsApiTests : ApiTestBase
{
    private Task<HttpResponseMessage> PutAsync(string path, string json) =>
        Http.PutAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), Cancel);

    private Task<HttpResponseMessage> RollbackAsync(string service) =>
        Http.PostAsync(new Uri($"/api/services/{service}/rollback", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"), Cancel);

    private async Task<JsonObject> SpecAsync(string ns, string name) =>
        JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", "vs", name, "-n", ns, "-o", "json")).EnsureSuccess().Output)!["spec"]!.AsObject();

    private static async Task<string> ProblemAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync(Cancel);

    [Fact]
    public async Task PutTimeout_SetsTimeoutAndRetries_KeepsWhatIsLeftOut_AndRollsBack()
    {
        var before = await SpecAsync("bookinfo", "reviews");

        using var set = await PutAsync("/api/services/bookinfo/reviews/timeout",
            """{"rule": "default", "timeout": "5s", "retries": {"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx,reset,503"}}""");
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var expected = before.DeepClone().AsObject();
        expected["http"]![1]!["timeout"] = "5s";
        expected["http"]![1]!["retries"] = JsonNode.Parse("""{"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx,reset,503"}""");
        var afterSet = await SpecAsync("bookinfo", "reviews");
        Assert.True(JsonNode.DeepEquals(expected, afterSet), afterSet.ToJsonString());

        // Left out = kept, null = removed.
        using var partial = await PutAsync("/api/services/bookinfo/reviews/timeout", """{"rule": "default", "retries": {"attempts": 5, "retryOn": null}}""");
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        var rule = (await SpecAsync("bookinfo", "reviews"))["http"]![1]!;
        Assert.Equal("5s", (string?)rule["timeout"]);
        Assert.Equal("""{"attempts":5,"perTryTimeout":"2s"}""", rule["retries"]!.ToJsonString());

        using var rolledBack = await RollbackAsync("bookinfo/reviews");
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        var restored = await SpecAsync("bookinfo", "reviews");
        Assert.True(JsonNode.DeepEquals(afterSet, restored), restored.ToJsonString());
    }

    [Fact]
    public async Task PutTimeout_NullRemovesTheTimeout()
    {
        (await PutAsync("/api/services/bookinfo/reviews/timeout", """{"rule": "tester", "timeout": "3s"}""")).Dispose();

        using var removed = await PutAsync("/api/services/bookinfo/reviews/timeout", """{"rule": "tester", "timeout": null}""");

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Null((await SpecAsync("bookinfo", "reviews"))["http"]![0]!["timeout"]);
    }

    [Fact]
    public async Task PutTimeout_WithAStaleOrigin_Is409()
    {
        using var response = await PutAsync("/api/services/bookinfo/reviews/timeout",
            """{"rule": "default", "origin": {"index": 1, "fingerprint": "0000000000000000"}, "timeout": "5s"}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("\"origin\"", await ProblemAsync(response), StringComparison.Ordinal);
        Assert.Null((await SpecAsync("bookinfo", "reviews"))["http"]![1]!["timeout"]);
    }

    [Fact]
    public async Task PutMirror_WritesMirrorAndPercentage_RemovesIt_AndRollsBack()
    {
        var before = await SpecAsync("bookinfo", "reviews");

        using var set = await PutAsync("/api/services/bookinfo/reviews/mirror", """{"rule": "default", "subset": "v2", "percent": 10}""");
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var expected = before.DeepClone().AsObject();
        expected["http"]![1]!["mirror"] = JsonNode.Parse("""{"host": "reviews", "subset": "v2"}""");
        expected["http"]![1]!["mirrorPercentage"] = JsonNode.Parse("""{"value": 10}""");
        var mirrored = await SpecAsync("bookinfo", "reviews");
        Assert.True(JsonNode.DeepEquals(expected, mirrored), mirrored.ToJsonString());

        using var removed = await PutAsync("/api/services/bookinfo/reviews/mirror", """{"rule": "default", "subset": null}""");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var unmirrored = await SpecAsync("bookinfo", "reviews");
        Assert.True(JsonNode.DeepEquals(before, unmirrored), unmirrored.ToJsonString());

        using var rolledBack = await RollbackAsync("bookinfo/reviews");
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        var restored = await SpecAsync("bookinfo", "reviews");
        Assert.True(JsonNode.DeepEquals(mirrored, restored), restored.ToJsonString());
    }

    // The ratings service of the demo has no Istio objects: a DestinationRule and a VirtualService with a TCP route are
    // applied for the TCP test, shaped like Istio's samples/tcp-echo (a weighted split on one port).
    private const string RatingsTcp = """
        {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "ratings", "namespace": "bookinfo"},
         "spec": {"host": "ratings", "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}}
        ---
        {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "ratings", "namespace": "bookinfo"},
         "spec": {"hosts": ["ratings"], "tcp": [{"match": [{"port": 9080}], "route": [
           {"destination": {"host": "ratings", "port": {"number": 9080}, "subset": "v1"}}]}]}}
        """;

    [Fact]
    public async Task PutTcpWeights_SplitsTheTcpRoute_KeepingItsPort_AndRollsBack()
    {
        (await Dashboard.Kubectl.RunAsync(["apply", "-f", "-"], RatingsTcp)).EnsureSuccess();
        await DashboardSeesAsync("bookinfo", "ratings");
        var before = await SpecAsync("bookinfo", "ratings");
        var detail = JsonNode.Parse(await Http.GetStringAsync(new Uri("/api/services/bookinfo/ratings", UriKind.Relative), Cancel))!;
        var tcp = detail["routes"]![0]!["tcpAndTls"]![0]!;
        Assert.Matches("^[0-9a-f]{16}$", (string?)tcp["fingerprint"]);

        using var set = await PutAsync("/api/services/bookinfo/ratings/tcp-weights",
            $$$"""{"route": 0, "fingerprint": "{{{(string?)tcp["fingerprint"]}}}", "weights": {"v1": 80, "v2": 20}}""");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var route = (await SpecAsync("bookinfo", "ratings"))["tcp"]![0]!["route"]!;
        // The API server gives custom resources back with their keys sorted, so compare as JSON, not as text.
        var expected = JsonNode.Parse("""
            [{"destination": {"host": "ratings", "port": {"number": 9080}, "subset": "v1"}, "weight": 80},
             {"destination": {"host": "ratings", "subset": "v2", "port": {"number": 9080}}, "weight": 20}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, route), route.ToJsonString());

        using var rolledBack = await RollbackAsync("bookinfo/ratings");
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        var restored = await SpecAsync("bookinfo", "ratings");
        Assert.True(JsonNode.DeepEquals(before, restored), restored.ToJsonString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheRuleEdits()
    {
        var document = JsonNode.Parse(await Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel))!;

        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/services/{namespace}/{name}/timeout"));
        Assert.True(paths.ContainsKey("/api/services/{namespace}/{name}/mirror"));
        Assert.True(paths.ContainsKey("/api/services/{namespace}/{name}/tcp-weights"));
        Assert.Equal(["attempts", "perTryTimeout", "retryOn"], document["components"]!["schemas"]!["RetriesRequest"]!["properties"]!.AsObject().Select(p => p.Key));
    }
}
