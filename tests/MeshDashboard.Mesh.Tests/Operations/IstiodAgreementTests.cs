using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Tests.Operations;

/// <summary>
/// The editors' checks give istiod's verdicts on the fields they edit (istio/istio pkg/config/validation; the same cases
/// are in tests/MeshDashboard.Sandbox.Tests/Admission/istiod-verdicts.yaml): what istiod accepts is not refused here.
/// </summary>
public class IstiodAgreementTests
{
    private static readonly HashSet<string> Subsets = ["v1", "v2"];

    private static IReadOnlyList<FieldError> RuleErrors(MatchCondition condition) =>
        SetRoutingRules.Check([new RoutingRule("canary", [condition], new Dictionary<string, int> { ["v2"] = 100 })],
            new Dictionary<string, int> { ["v1"] = 100 }, "default", Subsets);

    /// <summary>ValidateHTTPHeaderNameOrJwtClaimRoute: RFC 7230 tokens in any case, pseudo-headers; not empty, not "::".</summary>
    [Theory]
    [InlineData("X-Requested-With", true)]
    [InlineData(":authority", true)]
    [InlineData("funky!$#_", true)]
    [InlineData("::", false)]
    [InlineData("illegal\"char", false)]
    public void HeaderNames_AreJudgedAsIstiodJudgesThem(string name, bool accepted)
    {
        var errors = RuleErrors(new MatchCondition(ConditionKind.Header, name, MatchKind.Exact, "x"));

        Assert.Equal(accepted, !errors.Any(e => e.Field.EndsWith(".name", StringComparison.Ordinal)));
    }

    /// <summary>validateStringRegexp: RE2's grammar, 1,024 bytes at most; a withoutHeaders regex "*" means present.</summary>
    [Theory]
    [InlineData(ConditionKind.Uri, "/users/(?P<id>[0-9]+)", true)]
    [InlineData(ConditionKind.Header, "\\pL+", true)]
    [InlineData(ConditionKind.Uri, "\\Q/a.b\\E.*", true)]
    [InlineData(ConditionKind.WithoutHeader, "*", true)]
    [InlineData(ConditionKind.Header, "*", false)]
    [InlineData(ConditionKind.Uri, "/a(?=b)", false)]
    [InlineData(ConditionKind.Header, "(a)\\1", false)]
    public void Regexes_AreJudgedAsIstiodJudgesThem(ConditionKind kind, string regex, bool accepted)
    {
        var name = kind is ConditionKind.Uri ? null : "x-user";

        var errors = RuleErrors(new MatchCondition(kind, name, MatchKind.Regex, regex));

        Assert.Equal(accepted, errors.Count == 0);
    }

    [Fact]
    public void ARegexOver1024Bytes_IsRefused_OneOf1024IsNot()
    {
        Assert.NotEmpty(RuleErrors(new MatchCondition(ConditionKind.Uri, null, MatchKind.Regex, new string('a', 1025))));
        Assert.Empty(RuleErrors(new MatchCondition(ConditionKind.Uri, null, MatchKind.Regex, new string('a', 1024))));
    }

    /// <summary>validateHTTPStatus lets 200..600 through; only an abort's status outside that is refused.</summary>
    [Theory]
    [InlineData(199, false)]
    [InlineData(200, true)]
    [InlineData(600, true)]
    [InlineData(601, false)]
    public void AbortStatuses_AreJudgedAsIstiodJudgesThem(int status, bool accepted)
    {
        Assert.Equal(accepted, SetFault.Check(new FaultSettings(10, status, null, null, null)).Count == 0);
    }

    /// <summary>validatePercentage: 0, or 0.0001 to 100.</summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(0.0001, true)]
    [InlineData(100, true)]
    [InlineData(0.00001, false)]
    [InlineData(100.5, false)]
    [InlineData(-10, false)]
    public void FaultPercentages_AreJudgedAsIstiodJudgesThem(double percent, bool accepted)
    {
        Assert.Equal(accepted, SetFault.Check(new FaultSettings(percent, 503, null, null, null)).Count == 0);
    }

    /// <summary>agent.ValidateDuration: at least 1ms and whole milliseconds, for timeout and perTryTimeout alike.</summary>
    [Theory]
    [InlineData("1ms", true)]
    [InlineData("0.5s", true)]
    [InlineData("999us", false)]
    [InlineData("1500us", false)]
    [InlineData("2.000000001s", false)]
    [InlineData("0s", false)]
    public void Durations_AreJudgedAsIstiodJudgesThem(string duration, bool accepted)
    {
        var timeout = SetTimeoutAndRetries.Check(Patch<string>.Set(duration), default);
        var perTry = SetTimeoutAndRetries.Check(default, Patch<RetrySettings>.Set(new RetrySettings(Patch<int>.Set(3), Patch<string>.Set(duration))));

        Assert.Equal(accepted, timeout.Count == 0);
        Assert.Equal(accepted, perTry.Count == 0);
    }

    /// <summary>ValidateHTTPRetry: a condition Envoy knows, or a code Go's net/http names; split on commas only.</summary>
    [Theory]
    [InlineData("5xx,gateway-error", true)]
    [InlineData("503,connect-failure", true)]
    [InlineData("600,connect-failure", false)]
    [InlineData("5xx,invalid policy", false)]
    public void RetryOn_IsJudgedAsIstiodJudgesIt(string retryOn, bool accepted)
    {
        var errors = SetTimeoutAndRetries.Check(default, Patch<RetrySettings>.Set(new RetrySettings(Patch<int>.Set(3), RetryOn: Patch<string>.Set(retryOn))));

        Assert.Equal(accepted, errors.Count == 0);
    }
}
