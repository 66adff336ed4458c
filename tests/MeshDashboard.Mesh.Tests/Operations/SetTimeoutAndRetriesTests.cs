using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class SetTimeoutAndRetriesTests
{
    private static RetrySettings Retry(Patch<int> attempts = default, Patch<string> perTryTimeout = default, Patch<string> retryOn = default) =>
        new(attempts, perTryTimeout, retryOn);

    [Fact]
    public void SetTimeoutAndRetries_WritesBothOnARuleWithout()
    {
        var plan = new SetTimeoutAndRetries(Reviews, "tester", "3s", Retry(2, "1s", "5xx,reset")).Plan(Bookinfo());

        var rule = plan.Single().After.At("spec.http[0]")!;
        Assert.Equal("3s", rule["timeout"]!.GetValue<string>());
        Assert.Equal("""{"attempts":2,"perTryTimeout":"1s","retryOn":"5xx,reset"}""", rule["retries"].Json());
        Assert.Equal("reviews: timeout 3s, retries 2× (1s each) on 5xx,reset on tester", plan.Summary);
    }

    [Fact]
    public void SetTimeoutAndRetries_LeftOutFieldsAreKept()
    {
        var snapshot = Bookinfo();
        var before = snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!.Raw;

        var after = new SetTimeoutAndRetries(Reviews, "default", Retries: Retry(attempts: 5)).Plan(snapshot).Single().After!;

        Assert.Equal("10s", after.At("spec.http[2].timeout")!.GetValue<string>());
        Assert.Equal("""{"attempts":5,"perTryTimeout":"2s"}""", after.At("spec.http[2].retries").Json());
        foreach (var field in new[] { "route", "corsPolicy", "headers", "name" })
        {
            Assert.Equal(before.At($"spec.http[2].{field}").Json(), after.At($"spec.http[2].{field}").Json());
        }
        Assert.Equal(before.At("spec.http[0]").Json(), after.At("spec.http[0]").Json());
        Assert.Equal("books", after.At("metadata.labels.team")!.GetValue<string>());
    }

    [Fact]
    public void SetTimeoutAndRetries_NullRemovesTheTimeout_AndKeepsTheRetries()
    {
        var plan = new SetTimeoutAndRetries(Reviews, "default", Patch<string>.Remove).Plan(Bookinfo());

        var rule = plan.Single().After.At("spec.http[2]")!;
        Assert.Null(rule["timeout"]);
        Assert.Equal("""{"attempts":3,"perTryTimeout":"2s"}""", rule["retries"].Json());
        Assert.Equal("reviews: timeout removed on default", plan.Summary);
    }

    [Fact]
    public void SetTimeoutAndRetries_NullRetriesRemovesThePolicy_SoIstiosDefaultApplies()
    {
        var rule = new SetTimeoutAndRetries(Reviews, "default", Retries: Patch<RetrySettings>.Remove).Plan(Bookinfo()).Single().After.At("spec.http[2]")!;

        Assert.Null(rule["retries"]);
        Assert.Equal("10s", rule["timeout"]!.GetValue<string>());
    }

    [Fact]
    public void SetTimeoutAndRetries_RemovingEveryRetryField_RemovesThePolicy()
    {
        var retries = Retry(Patch<int>.Remove, Patch<string>.Remove);

        var rule = new SetTimeoutAndRetries(Reviews, "default", Retries: retries).Plan(Bookinfo()).Single().After.At("spec.http[2]")!;

        Assert.Null(rule["retries"]);
    }

    [Fact]
    public void SetTimeoutAndRetries_KeepsRetryFieldsItDoesNotModel()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "retries": {"attempts": 3, "backoff": "25ms", "retryRemoteLocalities": true, "retryIgnorePreviousHosts": false}}]}
            """;

        var retries = new SetTimeoutAndRetries(Reviews, "rule 1", Retries: Retry(retryOn: "gateway-error")).Plan(Bookinfo(vs)).Single().After.At("spec.http[0].retries")!;

        Assert.Equal("""{"attempts":3,"backoff":"25ms","retryRemoteLocalities":true,"retryIgnorePreviousHosts":false,"retryOn":"gateway-error"}""", retries.Json());
    }

    [Fact]
    public void SetTimeoutAndRetries_TheSameValuesChangeNothing()
    {
        var plan = new SetTimeoutAndRetries(Reviews, "default", "10s", Retry(3, "2s")).Plan(Bookinfo());

        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void SetTimeoutAndRetries_AllowsATimeoutShorterThanAllTries()
    {
        // 3 tries of 2s exceed 1s: the analyzer warns, istiod accepts, so do we.
        Assert.Single(new SetTimeoutAndRetries(Reviews, "default", "1s").Plan(Bookinfo()).Changes);
    }

    [Fact]
    public void SetTimeoutAndRetries_AttemptsZeroDisablesRetries()
    {
        var retries = new SetTimeoutAndRetries(Reviews, "tester", Retries: Retry(attempts: 0)).Plan(Bookinfo()).Single().After.At("spec.http[0].retries")!;

        Assert.Equal("""{"attempts":0}""", retries.Json());
    }

    [Fact]
    public void SetTimeoutAndRetries_RefusesZeroAttemptsBesideAPerTryTimeout_AsIstiodDoes()
    {
        // The default rule keeps its perTryTimeout: 2s, which istiod refuses once attempts is 0.
        FailsOn(new SetTimeoutAndRetries(Reviews, "default", Retries: Retry(attempts: 0)), Bookinfo(), "retries.attempts", "perTryTimeout");
        Assert.Single(new SetTimeoutAndRetries(Reviews, "default", Retries: Retry(0, Patch<string>.Remove)).Plan(Bookinfo()).Changes);
    }

    [Fact]
    public void SetTimeoutAndRetries_RefusesRetryOnWithoutAttempts_WhichIstioReadsAsZero()
    {
        FailsOn(new SetTimeoutAndRetries(Reviews, "tester", Retries: Retry(retryOn: "5xx")), Bookinfo(), "retries.attempts", "left out");
    }

    [Fact]
    public void SetTimeoutAndRetries_RefusesNegativeAttempts()
    {
        FailsOn(new SetTimeoutAndRetries(Reviews, "tester", Retries: Retry(attempts: -1)), Bookinfo(), "retries.attempts", "negative");
    }

    [Theory]
    [InlineData("0s", "timeout", "minimum of 1ms")]
    [InlineData("soon", "timeout", "not a duration")]
    [InlineData("1.5ms", "timeout", "whole number of milliseconds")]
    public void SetTimeoutAndRetries_RefusesBadTimeouts(string timeout, string field, string message)
    {
        FailsOn(new SetTimeoutAndRetries(Reviews, "tester", timeout), Bookinfo(), field, message);
    }

    [Fact]
    public void SetTimeoutAndRetries_RefusesABadPerTryTimeout()
    {
        FailsOn(new SetTimeoutAndRetries(Reviews, "tester", Retries: Retry(2, "500us")), Bookinfo(), "retries.perTryTimeout", "minimum of 1ms");
    }

    [Theory]
    [InlineData("5xx")]
    [InlineData("gateway-error,connect-failure,refused-stream")]
    [InlineData("reset-before-request,http3-post-connect-failure,envoy-ratelimited")]
    [InlineData("retriable-4xx,retriable-status-codes,retriable-headers")]
    [InlineData("cancelled,deadline-exceeded,internal,resource-exhausted,unavailable")]
    [InlineData("503")]
    [InlineData("connect-failure,429,503")]
    [InlineData("425")]
    [InlineData("+503")]
    public void SetTimeoutAndRetries_AcceptsWhatIstiodAccepts(string retryOn)
    {
        Assert.Single(new SetTimeoutAndRetries(Reviews, "tester", Retries: Retry(2, retryOn: retryOn)).Plan(Bookinfo()).Changes);
    }

    [Theory]
    [InlineData("5XX", "not a retry condition")]
    [InlineData("5xx, reset", "remove the spaces")]
    [InlineData("5xx,,reset", "not a retry condition")]
    [InlineData("599", "not a retry condition")]
    [InlineData("306", "not a retry condition")]
    [InlineData("timeout", "not a retry condition")]
    [InlineData("", "is empty")]
    public void SetTimeoutAndRetries_RefusesWhatIstiodRefuses(string retryOn, string message)
    {
        FailsOn(new SetTimeoutAndRetries(Reviews, "tester", Retries: Retry(2, retryOn: retryOn)), Bookinfo(), "retries.retryOn", message);
    }

    [Fact]
    public void SetTimeoutAndRetries_NeedsSomethingToChange()
    {
        FailsOn(new SetTimeoutAndRetries(Reviews, "tester"), Bookinfo(), "timeout", "give a timeout, retries or both");
    }

    [Fact]
    public void SetTimeoutAndRetries_RefusesAnUnknownRule_AndAServiceWithoutVirtualService()
    {
        FailsOn(new SetTimeoutAndRetries(Reviews, "nope", "1s"), Bookinfo(), "rule", "no rule \"nope\"");
        FailsOn(new SetTimeoutAndRetries(Reviews, "default", "1s"), Bookinfo(vs: null), "rule", "no mesh VirtualService");
    }

    private const string TwoUnnamedRules = """
        {"hosts": ["reviews"], "http": [
          {"match": [{"headers": {"end-user": {"exact": "jason"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
          {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
        """;

    private static RuleOrigin OriginOf(MeshSnapshot snapshot, int index) =>
        new(index, VirtualServiceView.From(snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!).Http[index].Fingerprint);

    [Fact]
    public void SetTimeoutAndRetries_WithAnOrigin_GoesOnThatRule_AndAStaleOneIsAConflict()
    {
        var read = Bookinfo(vs: TwoUnnamedRules);
        var operation = new SetTimeoutAndRetries(Reviews, "", "2s") { Origin = OriginOf(read, 1) };

        Assert.Equal("2s", operation.Plan(read).Single().After.At("spec.http[1].timeout")!.GetValue<string>());

        var changed = Bookinfo(vs: TwoUnnamedRules.Replace("\"v1\"", "\"v3\"", StringComparison.Ordinal));
        var error = Assert.Throws<OperationException>(() => operation.Plan(changed));
        Assert.True(error.IsConflict);
        Assert.Equal("origin", Assert.Single(error.Errors).Field);
    }
}
