using System.Collections.Immutable;
using MeshDashboard.Cluster.Changes;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>
/// A rules review judged as Kubernetes RBAC judges a request against a rule. Each case follows
/// kubernetes/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches,
/// ResourceNameMatches) as combined by plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows; the "*" resource name follows
/// the SelfSubjectRulesReview API's documentation of ResourceRule.resourceNames (k8s.io/api authorization/v1 types.go).
/// </summary>
public sealed class RulesReviewTests
{
    private const string Istio = "networking.istio.io";

    private static RulesReview Of(params ResourceRule[] rules) => new([.. rules], Incomplete: false, EvaluationError: null);

    private static ResourceRule Rule(string[] verbs, string[] groups, string[] resources, params string[] names) =>
        new([.. verbs], [.. groups], [.. resources], [.. names]);

    [Theory]
    [InlineData("*", "*", "*", true)]                                   // VerbAll, APIGroupAll, ResourceAll
    [InlineData("patch", Istio, "virtualservices", true)]               // exact matches
    [InlineData("update", Istio, "virtualservices", false)]             // update is not patch
    [InlineData("patch", "", "virtualservices", false)]                 // the core group is not Istio's
    [InlineData("patch", "networking.istio.io", "destinationrules", false)] // another resource of the group
    [InlineData("patch", "*", "virtualservices", true)]
    [InlineData("*", Istio, "*", true)]
    [InlineData("patch", Istio, "virtualservices/status", false)]       // a subresource rule is not the resource
    public void AVerbGroupAndResource_EachMatchExactlyOrByStar(string verb, string group, string resource, bool allowed)
    {
        var rules = Of(Rule([verb], [group], [resource]));

        Assert.Equal(allowed, rules.Allows("patch", Istio, "virtualservices", "reviews"));
    }

    [Fact]
    public void ARuleWithNames_CoversOnlyThoseNames_AndNoCreate()
    {
        var rules = Of(Rule(["patch", "create"], [Istio], ["virtualservices"], "reviews"));

        Assert.True(rules.Allows("patch", Istio, "virtualservices", "reviews"));
        Assert.False(rules.Allows("patch", Istio, "virtualservices", "ratings"));
        Assert.False(rules.Allows("create", Istio, "virtualservices", ""));
    }

    [Fact]
    public void ARuleWithoutNames_CoversEveryName_AndTheStarNameToo()
    {
        var unnamed = Of(Rule(["patch", "create"], [Istio], ["virtualservices"]));
        var star = Of(Rule(["patch"], [Istio], ["virtualservices"], "*"));

        Assert.True(unnamed.Allows("patch", Istio, "virtualservices", "ratings"));
        Assert.True(unnamed.Allows("create", Istio, "virtualservices", ""));
        Assert.True(star.Allows("patch", Istio, "virtualservices", "ratings"));
    }

    [Fact]
    public void AnyOneRuleThatAllows_IsEnough()
    {
        var rules = Of(Rule(["get", "list"], ["*"], ["*"]), Rule(["patch"], [Istio], ["destinationrules"]));

        Assert.True(rules.Allows("patch", Istio, "destinationrules", "reviews"));
        Assert.False(rules.Allows("patch", Istio, "virtualservices", "reviews"));
    }

    [Fact]
    public void RulesMarkedIncompleteOrWithAnEvaluationError_AreNotAllThereIs()
    {
        Assert.True(Of().IsComplete);
        Assert.False(new RulesReview([], Incomplete: true, EvaluationError: null).IsComplete);
        Assert.False(new RulesReview([], Incomplete: false, EvaluationError: "role \"missing\" not found").IsComplete);
    }

    [Fact]
    public void AnAnswerWithoutAStatus_IsIncomplete()
    {
        Assert.False(RulesReview.From(null).IsComplete);
        Assert.Equal(ImmutableArray<ResourceRule>.Empty, RulesReview.From(null).Rules);
    }
}
