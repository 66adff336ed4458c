using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Operations;

public class SetFaultTests
{
    private static FaultSettings Abort(double percent, int status) => new(percent, status, null, null, null);

    private static FaultSettings Delay(double percent, string fixedDelay) => new(null, null, null, percent, fixedDelay);

    [Fact]
    public void SetFault_WritesAbortWithPercentageValue()
    {
        var plan = new SetFault(Reviews, "default", Abort(10, 500)).Plan(Bookinfo());

        var fault = plan.Single().After.At("spec.http[2].fault")!;
        Assert.Equal("""{"abort":{"httpStatus":500,"percentage":{"value":10}}}""", fault.Json());
        Assert.Equal("reviews: fault on default: abort 10% with 500", plan.Summary);
    }

    [Fact]
    public void SetFault_KeepsRetriesTimeoutAndCorsOfTheRule()
    {
        var snapshot = Bookinfo();
        var before = snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!.Raw;

        var after = new SetFault(Reviews, "default", Delay(5, "2s")).Plan(snapshot).Single().After!;

        foreach (var field in new[] { "retries", "timeout", "corsPolicy", "headers", "route" })
        {
            Assert.Equal(before.At($"spec.http[2].{field}").Json(), after.At($"spec.http[2].{field}").Json());
        }
        Assert.Equal(before.At("spec.http[0]").Json(), after.At("spec.http[0]").Json());
        Assert.Equal("[\".\"]", after.At("spec.exportTo").Json());
        Assert.Equal("books", after.At("metadata.labels.team")!.GetValue<string>());
    }

    [Fact]
    public void SetFault_ReplacesAnAbortWithADelayAndBoth()
    {
        var both = new FaultSettings(25, 503, null, 50, "1m30s");

        var fault = new SetFault(Reviews, "tester", both).Plan(Bookinfo()).Single().After.At("spec.http[0].fault")!;

        Assert.Equal(25, fault.At("abort.percentage.value")!.GetValue<double>());
        Assert.Equal("1m30s", fault.At("delay.fixedDelay")!.GetValue<string>());
        Assert.Equal(50, fault.At("delay.percentage.value")!.GetValue<double>());

        var delayOnly = new SetFault(Reviews, "tester", Delay(50, "5s")).Plan(Bookinfo()).Single().After.At("spec.http[0].fault")!;
        Assert.Null(delayOnly["abort"]);
    }

    [Fact]
    public void SetFault_NullRemovesTheFault()
    {
        var plan = new SetFault(Reviews, "tester", null).Plan(Bookinfo());

        var rule = plan.Single().After.At("spec.http[0]")!;
        Assert.Null(rule["fault"]);
        Assert.NotNull(rule["mirror"]);
        Assert.Equal("reviews: fault removed from tester", plan.Summary);
    }

    [Fact]
    public void SetFault_MigratesDeprecatedDelayPercent()
    {
        var vs = """
            {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}],
              "fault": {"delay": {"percent": 50, "fixedDelay": "7s"}}}]}
            """;

        var fault = new SetFault(Reviews, "rule 1", Delay(50, "7s")).Plan(Bookinfo(vs)).Single().After.At("spec.http[0].fault.delay")!;

        Assert.Null(fault["percent"]);
        Assert.Equal(50, fault.At("percentage.value")!.GetValue<double>());
    }

    [Fact]
    public void SetFault_FindsUnnamedRulesByLabelOrPosition()
    {
        var vs = """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""";

        Assert.Single(new SetFault(Reviews, "rule 1", Abort(1, 503)).Plan(Bookinfo(vs)).Changes);
        Assert.Single(new SetFault(Reviews, "1", Abort(1, 503)).Plan(Bookinfo(vs)).Changes);
        FailsOn(new SetFault(Reviews, "2", Abort(1, 503)), Bookinfo(vs), "rule", "no rule");
    }

    [Fact]
    public void SetFault_WritesAGrpcAbort()
    {
        var fault = new SetFault(Reviews, "default", new FaultSettings(5, null, "UNAVAILABLE", null, null)).Plan(Bookinfo()).Single().After.At("spec.http[2].fault.abort")!;

        Assert.Equal("UNAVAILABLE", fault["grpcStatus"]!.GetValue<string>());
        Assert.Null(fault["httpStatus"]);
    }

    [Fact]
    public void SetFault_RejectsAnUnknownRule()
    {
        FailsOn(new SetFault(Reviews, "nope", Abort(1, 503)), Bookinfo(), "rule", "no rule \"nope\"");
    }

    [Fact]
    public void SetFault_RequiresAMeshVirtualService()
    {
        FailsOn(new SetFault(Reviews, "default", Abort(1, 503)), Bookinfo(vs: null), "rule", "no mesh VirtualService");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(0.00001)]
    public void SetFault_RejectsPercentagesOutOfRange(double percent)
    {
        FailsOn(new SetFault(Reviews, "default", Abort(percent, 503)), Bookinfo(), "fault.abortPercent", "not a valid percentage");
        FailsOn(new SetFault(Reviews, "default", Delay(percent, "1s")), Bookinfo(), "fault.delayPercent", "not a valid percentage");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.0001)]
    [InlineData(100)]
    public void SetFault_AcceptsPercentagesAtTheEdges(double percent)
    {
        Assert.Single(new SetFault(Reviews, "default", Abort(percent, 503)).Plan(Bookinfo()).Changes);
    }

    /// <summary>istio/istio pkg/config/validation/validation.go, validateHTTPStatus: refused when status &lt; 200 || status &gt; 600.</summary>
    [Theory]
    [InlineData(199)]
    [InlineData(601)]
    public void SetFault_RejectsStatusOutOfRange(int status)
    {
        FailsOn(new SetFault(Reviews, "default", Abort(10, status)), Bookinfo(), "fault.abortHttpStatus", "outside 200..600");
    }

    /// <summary>validateHTTPStatus lets 600 through although its message says 200-599; istiod accepts it, so do we.</summary>
    [Theory]
    [InlineData(200)]
    [InlineData(599)]
    [InlineData(600)]
    public void SetFault_AcceptsTheStatusesIstiodAccepts(int status)
    {
        Assert.Empty(SetFault.Check(Abort(10, status)));
    }

    /// <summary>istiod accepts an abort without a status with a warning (validateHTTPFaultInjectionAbort): written, not refused; MD009 warns.</summary>
    [Fact]
    public void SetFault_AbortWithoutAStatus_IsWrittenAsGiven_AsIstiodAcceptsIt()
    {
        var plan = new SetFault(Reviews, "default", new FaultSettings(10, null, null, null, null)).Plan(Bookinfo());

        Assert.Equal("""{"abort":{"percentage":{"value":10}}}""", plan.Single().After.At("spec.http[2].fault").Json());
        Assert.Equal("reviews: fault on default: abort 10% with no status set", plan.Summary);
    }

    /// <summary>istiod accepts an abort without a percentage (it then aborts nothing); MD009 says so as info.</summary>
    [Fact]
    public void SetFault_AbortWithoutAPercentage_IsWrittenWithoutOne()
    {
        var plan = new SetFault(Reviews, "default", new FaultSettings(null, 503, null, null, null)).Plan(Bookinfo());

        Assert.Equal("""{"abort":{"httpStatus":503}}""", plan.Single().After.At("spec.http[2].fault").Json());
    }

    [Fact]
    public void SetFault_RejectsAnUnknownGrpcStatus()
    {
        FailsOn(new SetFault(Reviews, "default", new FaultSettings(10, null, "BROKEN", null, null)), Bookinfo(), "fault.abortGrpcStatus", "not a gRPC status");
    }

    /// <summary>istiod checks a delay's duration only when one is set (validateHTTPFaultInjectionDelay): written, not refused.</summary>
    [Fact]
    public void SetFault_DelayWithoutAFixedDelay_IsWrittenAsGiven_AsIstiodAcceptsIt()
    {
        Assert.Empty(SetFault.Check(new FaultSettings(null, null, null, 10, null)));
    }

    [Theory]
    [InlineData("5", "not a duration")]
    [InlineData("five seconds", "not a duration")]
    [InlineData("500us", "minimum of 1ms")]
    [InlineData("1.5ms", "whole number of milliseconds")]
    [InlineData("1001us", "whole number of milliseconds")]
    public void SetFault_RejectsBadFixedDelays(string fixedDelay, string message)
    {
        FailsOn(new SetFault(Reviews, "default", Delay(10, fixedDelay)), Bookinfo(), "fault.fixedDelay", message);
    }

    [Theory]
    [InlineData("1ms")]
    [InlineData("100ms")]
    [InlineData("1m30s")]
    [InlineData("1.5h")]
    [InlineData("0.001s")]
    [InlineData("1.1s")]
    [InlineData("2000us")]
    public void SetFault_AcceptsGoDurations(string fixedDelay)
    {
        Assert.Single(new SetFault(Reviews, "default", Delay(10, fixedDelay)).Plan(Bookinfo()).Changes);
    }

    [Fact]
    public void SetFault_NeedsAbortOrDelay()
    {
        FailsOn(new SetFault(Reviews, "default", new FaultSettings(null, null, null, null, null)), Bookinfo(), "fault", "abort, a delay");
    }

    private const string TwoUnnamedRules = """
        {"hosts": ["reviews"], "http": [
          {"match": [{"headers": {"end-user": {"exact": "jason"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
          {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
        """;

    private const string ReorderedRules = """
        {"hosts": ["reviews"], "http": [
          {"match": [{"uri": {"prefix": "/beta"}}], "route": [{"destination": {"host": "reviews", "subset": "v3"}}]},
          {"match": [{"headers": {"end-user": {"exact": "jason"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
          {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}
        """;

    private static RuleOrigin OriginOf(MeshSnapshot snapshot, int index) =>
        new(index, VirtualServiceView.From(snapshot.Find(ResourceKind.VirtualService, "bookinfo", "reviews")!).Http[index].Fingerprint);

    [Fact]
    public void SetFault_WithAnOrigin_GoesOnExactlyThatUnnamedRule()
    {
        var snapshot = Bookinfo(vs: TwoUnnamedRules);

        var change = new SetFault(Reviews, "1", Abort(10, 503)) { Origin = OriginOf(snapshot, 0) }.Plan(snapshot).Single();

        Assert.Equal(503, change.After.At("spec.http[0].fault.abort.httpStatus")!.GetValue<int>());
        Assert.Null(change.After.At("spec.http[1].fault"));
    }

    [Fact]
    public void SetFault_WithAnOriginWhoseRuleChanged_IsRefusedNotGuessed()
    {
        var read = Bookinfo(vs: TwoUnnamedRules);
        var operation = new SetFault(Reviews, "1", Abort(10, 503)) { Origin = OriginOf(read, 0) };
        // Someone put another rule first meanwhile: position 1 is now a different rule.
        var reordered = Bookinfo(vs: ReorderedRules);

        FailsOn(operation, reordered, "rule", "changed since it was read");
    }
}
