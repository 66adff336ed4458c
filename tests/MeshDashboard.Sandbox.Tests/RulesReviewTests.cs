using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>
/// SelfSubjectRulesReview, read by clients we did not write: kubectl's <c>auth can-i --list</c> (which sends it as
/// protobuf) and python3-kubernetes. The token may do everything; a read-only user may get, list and watch.
/// </summary>
public sealed class RulesReviewTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new(seedDemoMesh: true, "rita");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    [Fact]
    public async Task KubectlAuthCanIList_ForTheToken_ShowsEveryVerbOnEveryResource()
    {
        var output = (await _sandbox.Kubectl.RunAsync("auth", "can-i", "--list", "-n", "bookinfo")).EnsureSuccess().Output;

        var everything = Assert.Single(output.Split('\n'), line => line.StartsWith("*.*", StringComparison.Ordinal));
        Assert.EndsWith("[*]", everything.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlAuthCanIList_ForAReadOnlyUser_ShowsOnlyReading()
    {
        var output = (await _sandbox.Kubectl.RunAsync("auth", "can-i", "--list", "-n", "bookinfo", "--as", "rita")).EnsureSuccess().Output;

        var everything = Assert.Single(output.Split('\n'), line => line.StartsWith("*.*", StringComparison.Ordinal));
        Assert.EndsWith("[get list watch]", everything.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonClient_ReadsTheRulesAndTheIncompleteFlag_AndANamespaceIsRequired()
    {
        const string script = """
            authz = client.AuthorizationV1Api()
            review = authz.create_self_subject_rules_review(client.V1SelfSubjectRulesReview(spec=client.V1SelfSubjectRulesReviewSpec(namespace="bookinfo")))
            try:
                authz.create_self_subject_rules_review(client.V1SelfSubjectRulesReview(spec=client.V1SelfSubjectRulesReviewSpec()))
                missing = None
            except ApiException as e:
                missing = {"status": e.status, "reason": json.loads(e.body)["reason"]}
            rule = review.status.resource_rules[0]
            print(json.dumps({"verbs": rule.verbs, "groups": rule.api_groups, "resources": rule.resources,
                              "incomplete": review.status.incomplete, "nonResource": len(review.status.non_resource_rules), "missing": missing}))
            """;

        var result = await PythonClient.RunAsync(_sandbox.KubeconfigPath, script, Cancel);

        Assert.Equal("*", (string?)result["verbs"]![0]);
        Assert.Equal("*", (string?)result["groups"]![0]);
        Assert.Equal("*", (string?)result["resources"]![0]);
        Assert.False((bool)result["incomplete"]!);
        Assert.Equal(1, (int)result["nonResource"]!);
        Assert.Equal(400, (int)result["missing"]!["status"]!);
        Assert.Equal("BadRequest", (string?)result["missing"]!["reason"]);
    }
}
